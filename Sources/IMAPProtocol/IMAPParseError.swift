/// Why a command could not be parsed; `tag` is kept so the server can answer `tag BAD` (RFC 3501 §7.1.3).
public struct IMAPParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: Equatable, Sendable {
        /// Bad grammar: answer `tag BAD`.
        case syntax
        /// Nesting too deep or similar abuse: answer `tag BAD [LIMIT]`.
        case limit
        /// A charset other than UTF-8 in SEARCH: answer `tag NO [BADCHARSET (UTF-8)]` (RFC 3501 §6.4.4).
        case badCharset
        /// The command is well formed but names a folder that cannot exist (not modified UTF-7, a
        /// `/`, an empty part…): answer `tag NO [CANNOT]` when it would create one (CREATE, RENAME's
        /// target), else `tag NO [NONEXISTENT]`, as Dovecot does — never BAD, the client did no wrong.
        /// A failed SELECT/EXAMINE also leaves no folder selected (`deselects`, RFC 3501 §6.3.1).
        case invalidMailboxName(creating: Bool, deselects: Bool)
    }
    public var kind: Kind
    public var tag: String?
    public var message: String

    public init(_ kind: Kind, tag: String?, _ message: String) {
        self.kind = kind
        self.tag = tag
        self.message = message
    }

    public var description: String { "\(tag ?? "*") \(kind): \(message)" }
}
