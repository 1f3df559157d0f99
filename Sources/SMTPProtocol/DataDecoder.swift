import MailCore

/// Reads the text after `DATA` up to the real end of data, `CRLF . CRLF` (RFC 5321 §4.1.1.4).
///
/// Invariants: only CRLF "." CRLF ends the data (`\n.\n`, `\r.\r`, `\n.\r\n` never do: no SMTP
/// smuggling); a bare CR or LF anywhere makes the message refused, never repaired; dot-stuffing is
/// removed (§4.5.2); at most `maxSize` bytes are kept, so memory stays bounded whatever is sent.
public struct DataDecoder: Sendable {
    /// How the data ended.
    public enum Outcome: Sendable, Equatable {
        /// The message with CRLF line ends, dots unstuffed, without the final `.CRLF`.
        case message([UInt8])
        /// Larger than the limit: read to the end and dropped (`552 5.3.4`).
        case tooLarge
        /// Contained a bare CR or LF: read to the end and dropped (5xx).
        case bareLineEnding
    }

    private enum State { case lineStart, lineStartDot, lineStartDotCR, middle, sawCR }

    public let maxSize: Int
    private var state = State.lineStart
    private var message: [UInt8] = []
    private var tooLarge = false
    private var bareLineEnding = false

    public init(maxSize: Int) { self.maxSize = maxSize }

    /// Consumes bytes from `input`; returns the outcome once the end of data was consumed (bytes
    /// after it stay in `input`), or nil after consuming everything when more is needed.
    public mutating func decode(_ input: inout ByteQueue) -> Outcome? {
        var consumed = 0
        defer { input.discard(consumed) }
        let bytes = input.readable
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            i += 1
            consumed += 1
            switch state {
            case .lineStart:
                switch byte {
                case UInt8(ascii: "."): state = .lineStartDot
                case 13: state = .sawCR
                case 10: bareLineEnding = true; state = .middle
                default: append(byte); state = .middle
                }
            case .lineStartDot:
                switch byte {
                case 13: state = .lineStartDotCR
                case 10: bareLineEnding = true; state = .middle
                default: append(byte); state = .middle  // the stuffed dot is dropped
                }
            case .lineStartDotCR:
                if byte == 10 { return finish() }
                bareLineEnding = true
                state = byte == 13 ? .sawCR : .middle
            case .middle:
                // Copy the run up to the next CR or LF in one go; most bytes go this way.
                if byte != 13 && byte != 10 {
                    var end = i
                    while end < bytes.endIndex && bytes[end] != 13 && bytes[end] != 10 { end += 1 }
                    append(byte)
                    append(contentsOf: bytes[i..<end])
                    consumed += end - i
                    i = end
                } else if byte == 13 {
                    state = .sawCR
                } else {
                    bareLineEnding = true
                }
            case .sawCR:
                switch byte {
                case 10: append(13); append(10); state = .lineStart
                case 13: bareLineEnding = true
                default: bareLineEnding = true; append(byte); state = .middle
                }
            }
        }
        return nil
    }

    /// Bytes kept so far (bounded by `maxSize`).
    public var bufferedCount: Int { message.count }

    private mutating func finish() -> Outcome {
        let outcome: Outcome = bareLineEnding ? .bareLineEnding : tooLarge ? .tooLarge : .message(message)
        self = DataDecoder(maxSize: maxSize)
        return outcome
    }

    private mutating func append(_ byte: UInt8) {
        guard !tooLarge, !bareLineEnding else { return }
        if message.count + 1 > maxSize { drop(); return }
        message.append(byte)
    }

    private mutating func append(contentsOf run: ArraySlice<UInt8>) {
        guard !tooLarge, !bareLineEnding, !run.isEmpty else { return }
        if message.count + run.count > maxSize { drop(); return }
        message.append(contentsOf: run)
    }

    private mutating func drop() {
        tooLarge = true
        message = []
    }
}

/// Dot-stuffs a message for sending after DATA and appends the end of data (RFC 5321 §4.5.2).
public enum DataEncoder {
    /// `message` with each line starting with "." doubled, a final CRLF ensured, then `.CRLF`.
    public static func encode(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == 10
        }
        if !message.isEmpty && !(message.count >= 2 && message[message.count - 2] == 13 && message.last == 10) {
            out.append(13); out.append(10)
        }
        out.append(contentsOf: [UInt8(ascii: "."), 13, 10])
        return out
    }
}
