/// Fuzz entry points (GovMailFuzz `sieve-script`); `swift test` replays the committed seeds.
public enum SieveFuzzTargets {
    /// Compiles arbitrary bytes as a script and, when it compiles, runs it over a small message.
    public static func script(_ bytes: [UInt8]) {
        var limits = SieveLimits()
        limits.maxSteps = 2_000
        guard let script = try? SieveScript.compile(String(decoding: bytes, as: UTF8.self), limits: limits) else {
            return
        }
        let message = SieveMessage(
            bytes: Array("From: a@b.vn\r\nTo: c@d.vn\r\nSubject: =?UTF-8?B?Q8O0bmcgdsSDbg==?=\r\n\r\nbody\r\n".utf8),
            envelopeFrom: "a@b.vn", envelopeTo: "c@d.vn")
        _ = try? SieveEvaluator(limits: limits, now: 1_800_000_000, zoneOffsetMinutes: 420).run(script, on: message)
    }
}
