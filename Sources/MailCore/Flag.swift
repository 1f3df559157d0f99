/// An IMAP message flag: one of the system flags or a keyword (RFC 3501 §2.3.2).
public enum Flag: Sendable, Hashable, Comparable, CustomStringConvertible {
    case seen, answered, flagged, deleted, draft, recent
    case keyword(String)

    /// Parses `\Seen`-style system flags (case-insensitive) or a keyword atom.
    public init(_ text: String) {
        switch text.lowercased() {
        case "\\seen": self = .seen
        case "\\answered": self = .answered
        case "\\flagged": self = .flagged
        case "\\deleted": self = .deleted
        case "\\draft": self = .draft
        case "\\recent": self = .recent
        default: self = .keyword(text)
        }
    }

    public var description: String {
        switch self {
        case .seen: return "\\Seen"
        case .answered: return "\\Answered"
        case .flagged: return "\\Flagged"
        case .deleted: return "\\Deleted"
        case .draft: return "\\Draft"
        case .recent: return "\\Recent"
        case .keyword(let k): return k
        }
    }

    public var isSystem: Bool { if case .keyword = self { return false } else { return true } }

    private var order: Int {
        switch self {
        case .answered: return 0
        case .flagged: return 1
        case .deleted: return 2
        case .seen: return 3
        case .draft: return 4
        case .recent: return 5
        case .keyword: return 6
        }
    }

    public static func < (a: Flag, b: Flag) -> Bool {
        if a.order != b.order { return a.order < b.order }
        if case .keyword(let x) = a, case .keyword(let y) = b { return x < y }
        return false
    }

    /// Keywords compare without regard to case (RFC 3501 §2.3.2 treats flag names case-insensitively).
    public static func == (a: Flag, b: Flag) -> Bool {
        switch (a, b) {
        case (.keyword(let x), .keyword(let y)): return x.lowercased() == y.lowercased()
        default: return a.order == b.order
        }
    }
    public func hash(into h: inout Hasher) {
        h.combine(order)
        if case .keyword(let k) = self { h.combine(k.lowercased()) }
    }
}
