/// A body section specifier: part numbers and an optional text part (RFC 3501 §6.4.5, §9 `section`).
public struct IMAPSection: Sendable, Hashable, CustomStringConvertible {
    public enum Text: Sendable, Hashable {
        case header, text, mime
        case headerFields([String])
        case headerFieldsNot([String])
    }
    /// Part numbers such as `1.2`; empty for the whole message.
    public var part: [Int]
    public var text: Text?
    public init(part: [Int] = [], text: Text? = nil) {
        self.part = part
        self.text = text
    }

    public var description: String {
        var s = part.map(String.init).joined(separator: ".")
        if let text {
            if !s.isEmpty { s += "." }
            switch text {
            case .header: s += "HEADER"
            case .text: s += "TEXT"
            case .mime: s += "MIME"
            case .headerFields(let f): s += "HEADER.FIELDS (\(f.joined(separator: " ")))"
            case .headerFieldsNot(let f): s += "HEADER.FIELDS.NOT (\(f.joined(separator: " ")))"
            }
        }
        return s
    }
}

/// A byte range `<origin.count>` of a section (RFC 3501 §6.4.5).
public struct IMAPPartial: Sendable, Hashable {
    public var origin: UInt32
    public var count: UInt32
    public init(origin: UInt32, count: UInt32) {
        self.origin = origin
        self.count = count
    }
}

/// One FETCH data item (RFC 3501 §6.4.5, §9 `fetch-att`); macros are expanded by the parser.
public enum FetchAttribute: Sendable, Hashable {
    case flags, uid, internalDate, rfc822Size, envelope
    case bodyStructure
    /// `BODY` without a section: the non-extensible body structure.
    case bodyBasic
    case body(IMAPSection, peek: Bool, partial: IMAPPartial?)
    /// `RFC822` (= BODY[]), `RFC822.HEADER` (= BODY.PEEK[HEADER]), `RFC822.TEXT` (= BODY[TEXT]).
    case rfc822, rfc822Header, rfc822Text
    /// `BINARY[part]` / `BINARY.PEEK[part]` (RFC 3516 §4.2): the part with its transfer encoding undone.
    case binary(part: [Int], peek: Bool, partial: IMAPPartial?)
    /// `BINARY.SIZE[part]` (RFC 3516 §4.3): the decoded size.
    case binarySize(part: [Int])

    /// Whether fetching this item sets \Seen (RFC 3501 §6.4.5).
    public var setsSeen: Bool {
        switch self {
        case .body(_, let peek, _), .binary(_, let peek, _): return !peek
        case .rfc822, .rfc822Text: return true
        default: return false
        }
    }

    /// The section whose bytes the store must supply, if any.
    public var section: IMAPSection? {
        switch self {
        case .body(let s, _, _): return s
        case .rfc822: return IMAPSection()
        case .rfc822Header: return IMAPSection(text: .header)
        case .rfc822Text: return IMAPSection(text: .text)
        default: return nil
        }
    }

    /// ALL macro (RFC 3501 §6.4.5).
    public static let all: [FetchAttribute] = [.flags, .internalDate, .rfc822Size, .envelope]
    /// FAST macro.
    public static let fast: [FetchAttribute] = [.flags, .internalDate, .rfc822Size]
    /// FULL macro.
    public static let full: [FetchAttribute] = [.flags, .internalDate, .rfc822Size, .envelope, .bodyBasic]
}
