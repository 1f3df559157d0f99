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

    /// Feeds arbitrary bytes (in two pieces) to a ManageSieve session whose logins and requests
    /// all succeed at once, so every state is reachable.
    public static func manageSieveSession(_ bytes: [UInt8]) {
        var configuration = ManageSieveConfiguration(tlsAvailable: true, tlsActive: false, allowPlaintextAuth: true)
        configuration.limits.maxScriptSize = 4096
        var session = ManageSieveSession(configuration: configuration)
        var pending = session.receive(.connected)
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        for piece in [Array(bytes[..<cut]), Array(bytes[cut...])] {
            pending += session.receive(.received(piece))
            var rounds = 0
            while rounds < 10_000, let action = pending.first {
                pending.removeFirst()
                rounds += 1
                switch action {
                case .authenticate(let user, _, _):
                    pending += session.receive(.authenticationResult(.succeeded(account: user)))
                case .perform(.get):
                    pending += session.receive(.requestResult(.script("keep;\n")))
                case .perform(.list):
                    pending += session.receive(.requestResult(.list([.init(name: "a", active: true)])))
                case .perform:
                    pending += session.receive(.requestResult(.done))
                case .startTLS:
                    pending += session.receive(.tlsStarted)
                case .send, .close:
                    break
                }
            }
        }
    }
}
