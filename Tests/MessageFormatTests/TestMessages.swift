@testable import MessageFormat

/// Small helpers to write test messages inline.
enum TestMessages {
    /// Joins lines with CRLF and ends with CRLF.
    static func crlf(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n").utf8) }
    /// Joins lines with bare LF and ends with LF.
    static func lf(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    /// Slices a range out of bytes as a String, for readable assertions.
    static func text(_ bytes: [UInt8], _ r: Range<Int>) -> String { String(decoding: bytes[r], as: UTF8.self) }

    static let vietnameseSubject = "Công văn số 123/UBND về việc triển khai"
}
