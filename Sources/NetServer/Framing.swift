import MailCore

/// One line taken from the input, without its terminator.
public struct Line: Equatable, Sendable {
    public var bytes: [UInt8]
    /// False when the line ended with a bare LF (SMTP and IMAP require CRLF; the driver decides).
    public var endedWithCRLF: Bool
    public init(bytes: [UInt8], endedWithCRLF: Bool) { self.bytes = bytes; self.endedWithCRLF = endedWithCRLF }
}

/// What the line framer found.
public enum LineFrame: Equatable, Sendable {
    case line(Line)
    /// A line longer than the maximum was discarded up to and including its LF, so the dialog
    /// stays in sync; the driver answers it (e.g. `500 5.5.2 Line too long`).
    case tooLong
}

/// Splits input into lines with a maximum length (including CRLF), e.g. RFC 5321 §4.5.3.1.4.
///
/// `next` returns nil when it needs more bytes and consumes nothing in that case, except while
/// discarding an over-long line, whose bytes are dropped as they arrive so memory stays bounded.
public struct LineFramer: Sendable {
    public var maxLength: Int
    private var discarding = false

    public init(maxLength: Int) { self.maxLength = maxLength }

    public mutating func next(from input: inout ByteQueue) -> LineFrame? {
        if discarding {
            if let lf = input.firstIndex(of: 10) {
                input.discard(lf + 1)
                discarding = false
                return .tooLong
            }
            input.removeAll()
            return nil
        }
        let searchLimit = min(input.count, maxLength)
        var lf: Int?
        var i = 0
        while i < searchLimit { if input[i] == 10 { lf = i; break }; i += 1 }
        guard let lf else {
            if input.count >= maxLength {
                discarding = true
                return next(from: &input)
            }
            return nil
        }
        let crlf = lf > 0 && input[lf - 1] == 13
        var bytes = input.consume(lf + 1)
        bytes.removeLast(crlf ? 2 : 1)
        return .line(Line(bytes: bytes, endedWithCRLF: crlf))
    }
}
