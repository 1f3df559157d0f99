/// Limits the IMAP parser and session enforce; a struct with documented defaults so tests shrink them.
public struct IMAPLimits: Sendable, Equatable {
    /// Longest command line (excluding literals) we buffer. RFC 7162 §4 asks for at least 8192;
    /// Dovecot accepts 64 KiB, and legal commands need it (an ID with 30 fields of 1,000 characters
    /// is one 32 KiB line). Abuse is bounded by the literal and pipelining limits, not by this.
    public var lineLength = 64 * 1024
    /// Largest message APPEND accepts; advertised as APPENDLIMIT=<n> (RFC 7889).
    public var appendLimit = 50 * 1024 * 1024
    /// Largest literal in any other command (mailbox names, passwords, search strings).
    public var literalSize = 64 * 1024
    /// Deepest nesting of parenthesised search keys or lists.
    public var nestingDepth = 32
    /// Most keys in one SEARCH. Each text key costs a pass over every message of the folder, so a
    /// 64 KiB line of `OR FROM a …` would otherwise cost minutes of CPU (issue 18); clients send
    /// tens. Over it: `BAD [LIMIT]`.
    public var searchKeys = 1000
    /// Autologout after this many idle seconds; RFC 3501 §5.4 requires at least 30 minutes.
    public var autologoutSeconds: Double = 30 * 60
    /// Failed LOGIN/AUTHENTICATE attempts on one connection before it is closed.
    public var authenticationFailures = 3

    public init() {}
}
