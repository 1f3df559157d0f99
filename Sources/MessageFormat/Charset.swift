import MailCore

/// A character set named in a MIME charset parameter or an encoded word (RFC 2045 §5.1, RFC 2047 §2).
public enum Charset: Sendable, Hashable {
    case utf8
    case usASCII
    case iso8859_1
    case windows1252
    case windows1258
    /// A charset this module cannot decode; the lowercased name as written.
    case unknown(String)

    /// Recognises a charset name and its common aliases, ignoring case and an RFC 2231 `*language` suffix.
    public init(name: String) {
        var n = name.lowercased()
        if let star = n.firstIndex(of: "*") { n = String(n[..<star]) }
        n = n.trimmingASCIIWhitespace()
        switch n {
        case "utf-8", "utf8": self = .utf8
        case "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "": self = .usASCII
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "iso-ir-100", "cp819", "iso_8859-1:1987":
            self = .iso8859_1
        case "windows-1252", "cp1252", "x-cp1252": self = .windows1252
        case "windows-1258", "cp1258", "x-cp1258": self = .windows1258
        default: self = .unknown(n)
        }
    }

    /// Whether `decode` can turn bytes in this charset into text.
    public var isKnown: Bool {
        if case .unknown = self { return false }
        return true
    }

    /// Decodes bytes to text with Latin letters and combining marks composed (NFC for Vietnamese, whether
    /// Windows-1258 tone marks or decomposed UTF-8); nil for an unknown charset.
    /// Invalid UTF-8 becomes U+FFFD. Bytes above 0x7F in US-ASCII (often simply no charset given) are
    /// UTF-8 when they are valid UTF-8 — what unlabelled Vietnamese mail is today, and how Dovecot
    /// reads it — and Windows-1252 otherwise, what older mislabelled mail almost always means.
    public func decode<C: Collection>(_ bytes: C) -> String? where C.Element == UInt8 {
        switch self {
        case .utf8:
            let s = String(decoding: bytes, as: UTF8.self)
            // Decomposed Vietnamese (macOS clients) carries U+0300...U+036F, lead bytes 0xCC/0xCD.
            return bytes.contains(where: { $0 == 0xCC || $0 == 0xCD }) ? LatinComposition.compose(s) : s
        case .usASCII:
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            if String(validating: bytes, as: UTF8.self) != nil { return Charset.utf8.decode(bytes) }
            return Charset.decodeSingleByte(bytes, high: CharsetTables.windows1252High, compose: false)
        case .iso8859_1:
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        case .windows1252:
            return Charset.decodeSingleByte(bytes, high: CharsetTables.windows1252High, compose: false)
        case .windows1258:
            return Charset.decodeSingleByte(bytes, high: CharsetTables.windows1258High, compose: true)
        case .unknown:
            return nil
        }
    }

    /// Decodes with this charset, or keeps the bytes as UTF-8 (then Windows-1252) when it is unknown.
    public func decodeOrKeep<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let s = decode(bytes) { return s }
        return Charset.bestEffort(bytes)
    }

    /// Raw bytes of unknown origin: UTF-8 when valid, Windows-1252 otherwise (never fails).
    static func bestEffort<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        return decodeSingleByte(bytes, high: CharsetTables.windows1252High, compose: false)
    }

    private static func decodeSingleByte<C: Collection>(_ bytes: C, high: [UInt16], compose: Bool) -> String
    where C.Element == UInt8 {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        for b in bytes {
            let v = b < 0x80 ? UInt32(b) : UInt32(high[Int(b) - 0x80])
            scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
        }
        if compose { scalars = LatinComposition.compose(scalars) }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
