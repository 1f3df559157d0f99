import ArgumentParser
import Foundation
import GovMailConfig

/// Flags every command accepts: which configuration file and which state folder.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file (YAML).", valueName: "file"))
    public var config: String?

    @Option(
        name: .long, help: ArgumentHelp("State folder; overrides state_dir from the configuration.", valueName: "dir"))
    public var stateDir: String?

    @Flag(name: .shortAndLong, help: "Print more detail.")
    public var verbose = false

    public init() {}

    /// The configuration file in effect: --config, then $GOVMAIL_CONFIG, then /etc/govmail/govmail.yaml if it exists.
    public var configPath: String? {
        if let config { return config }
        if let env = ProcessInfo.processInfo.environment["GOVMAIL_CONFIG"], !env.isEmpty { return env }
        let system = "/etc/govmail/govmail.yaml"
        return FileManager.default.fileExists(atPath: system) ? system : nil
    }

    /// Loads the configuration (or the defaults when there is no file) and applies --state-dir.
    public func loadConfig() throws -> Config {
        var c: Config
        if let path = configPath {
            do { c = try ConfigLoader.load(path: path) } catch let e as ConfigError {
                throw CLIError.badInput("\(e)")
            }
        } else {
            c = Config()
        }
        if let stateDir { c.stateDir = stateDir }
        return c
    }
}
