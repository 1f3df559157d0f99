import MailCore

/// Entry points for the libFuzzer targets (Sources/GovMailFuzz): any input, no crash, no hang.
public enum HTTPFuzzTargets {
    /// Frames every request in the input through a session, as a connection would, answering each.
    public static func request(_ bytes: [UInt8]) {
        var limits = HTTPLimits()
        limits.requestLineLength = 512; limits.headerBytes = 2048; limits.headerCount = 16; limits.bodyBytes = 4096
        var session = HTTPServerSession(limits: limits)
        var queue = ByteQueue(bytes)
        for _ in 0..<1000 {
            guard case .handle(let request)? = session.receive(&queue).first else { return }
            _ = request.path
            _ = request.query
            _ = request.hostName
            _ = session.respond(.text(.ok, "ok"))
        }
    }
}
