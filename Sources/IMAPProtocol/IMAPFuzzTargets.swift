import MailCore

/// Entry points for the libFuzzer targets (Sources/GovMailFuzz): any input, no crash, no hang.
public enum IMAPFuzzTargets {
    /// Frames and parses every command in the input, as a connection would.
    public static func command(_ bytes: [UInt8]) {
        var limits = IMAPLimits()
        limits.lineLength = 1024; limits.appendLimit = 4096; limits.literalSize = 1024
        var framer = IMAPCommandFramer(limits: limits)
        let parser = IMAPCommandParser(limits: limits)
        var queue = ByteQueue(bytes)
        var steps = 0
        while steps < 10_000, let outcome = framer.next(&queue) {
            steps += 1
            if case .command(let frame) = outcome { _ = try? parser.parse(frame) }
        }
    }
}
