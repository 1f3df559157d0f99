/// A mailbox (folder) name as a user sees it, in Unicode, with `.` as the hierarchy separator.
///
/// Validation is what keeps a name from escaping the account's Maildir: no empty components,
/// no `.`/`..` components, no `/`, no control characters. `INBOX` is case-insensitive (RFC 3501 §5.1).
public struct MailboxName: Sendable, Hashable, CustomStringConvertible {
    public static let separator: Character = "."
    public static let inbox = MailboxName(validated: "INBOX")

    /// Components of the name; `["INBOX"]` for the inbox.
    public let components: [String]

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty, emptyComponent, controlCharacter, slash, tooLong
        public var description: String {
            switch self {
            case .empty: return "the folder name is empty"
            case .emptyComponent: return "the folder name has an empty part (two dots in a row, or a dot at either end)"
            case .controlCharacter: return "the folder name contains a control character"
            case .slash: return "the folder name contains \"/\", which is not allowed; use \".\" to make sub-folders"
            case .tooLong: return "the folder name is too long (at most 200 characters per part)"
            }
        }
    }

    private init(validated: String) { components = [validated] }

    /// Parses and validates a Unicode mailbox name.
    public init(_ text: String) throws {
        guard !text.isEmpty else { throw Problem.empty }
        if text.unicodeScalars.contains(where: {
            $0.value < 0x20 || $0.value == 0x7F || ($0.value >= 0x80 && $0.value < 0xA0)
        }) {
            throw Problem.controlCharacter
        }
        if text.contains("/") || text.contains("\\") { throw Problem.slash }
        let parts = text.split(separator: Self.separator, omittingEmptySubsequences: false).map(String.init)
        for p in parts {
            if p.isEmpty { throw Problem.emptyComponent }
            if p.unicodeScalars.count > 200 { throw Problem.tooLong }
        }
        // INBOX is case-insensitive wherever it stands first; its children keep their own case.
        components = parts[0].uppercased() == "INBOX" ? ["INBOX"] + parts.dropFirst() : parts
    }

    public var isInbox: Bool { components == ["INBOX"] }
    public var name: String { components.joined(separator: String(Self.separator)) }
    public var description: String { name }
    public var parent: MailboxName? {
        guard components.count > 1 else { return nil }
        return try? MailboxName(components.dropLast().joined(separator: String(Self.separator)))
    }
    public var leaf: String { components.last ?? "" }

    /// Whether `self` is `other` or lies below it.
    public func isWithin(_ other: MailboxName) -> Bool {
        components.count >= other.components.count
            && Array(components.prefix(other.components.count)) == other.components
    }
}
