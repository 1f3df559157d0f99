/// Fuzz entry point (GovMailFuzz `config-yaml`); `swift test` replays the committed seeds.
public enum ConfigFuzzTargets {
    /// Parses arbitrary bytes as a configuration file: a valid configuration or a `ConfigError`
    /// that names the file and says what to fix; never a crash or any other error.
    public static func config(_ bytes: [UInt8]) {
        do {
            _ = try ConfigLoader.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        } catch let e as ConfigError {
            precondition(e.description.contains("fuzz.yaml") && !e.message.isEmpty, "an error that says nothing")
        } catch {
            preconditionFailure("an error that is not a ConfigError: \(error)")
        }
    }
}
