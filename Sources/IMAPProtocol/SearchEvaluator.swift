import MailCore

/// What SEARCH needs to know about a message beyond the session's own view (flags, \Recent,
/// sequence numbers); the MessageFormat converter supplies decoded text (RFC 3501 §6.4.4).
public protocol SearchableMessage: Sendable {
    var uid: UID { get }
    /// INTERNALDATE, seconds since the epoch.
    var internalDate: Int64 { get }
    /// The Date header's calendar date in its own zone, nil when missing or malformed.
    var sentDate: IMAPDate? { get }
    /// RFC822.SIZE in bytes.
    var size: Int { get }
    /// Decoded (RFC 2047) values of every header with that name, case-insensitive.
    func headerValues(_ name: String) -> [String]
    /// All decoded header text, for TEXT.
    var headerText: String { get }
    /// Decoded text of the body (text parts, transfer encoding and charset undone), for BODY and TEXT.
    var bodyText: String { get }
}

/// What the session knows about a message for SEARCH: its place, flags and \Recent.
public struct SearchContext: Sendable {
    public var sequenceNumber: Int
    public var flags: Set<Flag>
    public var isRecent: Bool
    /// The highest sequence number and UID in the mailbox, for `*`.
    public var largestSequenceNumber: UInt32
    public var largestUID: UInt32
    /// Offset of the server's zone, used to judge the calendar date of INTERNALDATE.
    public var zoneOffsetSeconds: Int

    public init(
        sequenceNumber: Int, flags: Set<Flag>, isRecent: Bool, largestSequenceNumber: UInt32,
        largestUID: UInt32, zoneOffsetSeconds: Int = 0
    ) {
        self.sequenceNumber = sequenceNumber
        self.flags = flags
        self.isRecent = isRecent
        self.largestSequenceNumber = largestSequenceNumber
        self.largestUID = largestUID
        self.zoneOffsetSeconds = zoneOffsetSeconds
    }
}

/// Pure SEARCH evaluation (RFC 3501 §6.4.4).
///
/// Text matching is a case-insensitive substring match over Unicode: both sides are lowercased
/// (full Unicode case mapping, so `Đ` matches `đ`) and compared as Characters, so composed and
/// decomposed forms of the same letter match. Diacritics are significant: `de` does not find `đề`,
/// since in Vietnamese they change the word.
public enum SearchEvaluator {
    /// Whether any key in `key` needs the message's headers or text (the store loads them only then).
    public static func needsMessageData(_ key: SearchKey) -> Bool {
        switch key {
        case .all, .answered, .deleted, .draft, .flagged, .new, .old, .recent, .seen, .unanswered, .undeleted,
            .undraft, .unflagged, .unseen, .keyword, .unkeyword, .uid, .sequence:
            return false
        case .not(let k): return needsMessageData(k)
        case .or(let a, let b): return needsMessageData(a) || needsMessageData(b)
        case .and(let ks): return ks.contains(where: needsMessageData)
        default: return true
        }
    }

    /// Evaluates `key` for one message; `message` may be nil when `needsMessageData(key)` is false.
    public static func matches(_ key: SearchKey, message: (any SearchableMessage)?, uid: UID, context c: SearchContext)
        -> Bool
    {
        func text(_ haystack: String, _ needle: String) -> Bool { contains(haystack, needle) }
        func header(_ name: String, _ needle: String) -> Bool {
            (message?.headerValues(name) ?? []).contains { text($0, needle) }
        }
        let internalDay = message.map {
            IMAPDate(epochSeconds: Double($0.internalDate), offsetSeconds: c.zoneOffsetSeconds)
        }
        switch key {
        case .all: return true
        case .answered: return c.flags.contains(.answered)
        case .deleted: return c.flags.contains(.deleted)
        case .draft: return c.flags.contains(.draft)
        case .flagged: return c.flags.contains(.flagged)
        case .seen: return c.flags.contains(.seen)
        case .recent: return c.isRecent
        case .new: return c.isRecent && !c.flags.contains(.seen)
        case .old: return !c.isRecent
        case .unanswered: return !c.flags.contains(.answered)
        case .undeleted: return !c.flags.contains(.deleted)
        case .undraft: return !c.flags.contains(.draft)
        case .unflagged: return !c.flags.contains(.flagged)
        case .unseen: return !c.flags.contains(.seen)
        case .keyword(let k): return c.flags.contains(Flag.keyword(k))
        case .unkeyword(let k): return !c.flags.contains(Flag.keyword(k))
        case .from(let s): return header("From", s)
        case .to(let s): return header("To", s)
        case .cc(let s): return header("Cc", s)
        case .bcc(let s): return header("Bcc", s)
        case .subject(let s): return header("Subject", s)
        // RFC 3501: an empty HEADER value matches every message that has the field.
        case .header(let name, let s): return s.isEmpty ? !(message?.headerValues(name) ?? []).isEmpty : header(name, s)
        case .body(let s): return message.map { text($0.bodyText, s) } ?? false
        case .text(let s): return message.map { text($0.headerText, s) || text($0.bodyText, s) } ?? false
        case .before(let d): return internalDay.map { $0 < d } ?? false
        case .on(let d): return internalDay == d
        case .since(let d): return internalDay.map { $0 >= d } ?? false
        case .sentBefore(let d): return message?.sentDate.map { $0 < d } ?? false
        case .sentOn(let d): return message?.sentDate == d
        case .sentSince(let d): return message?.sentDate.map { $0 >= d } ?? false
        case .larger(let n): return message.map { $0.size > Int(n) } ?? false
        case .smaller(let n): return message.map { $0.size < Int(n) } ?? false
        case .uid(let set): return set.contains(uid.value, largest: c.largestUID)
        case .sequence(let set): return set.contains(UInt32(c.sequenceNumber), largest: c.largestSequenceNumber)
        case .not(let k): return !matches(k, message: message, uid: uid, context: c)
        case .or(let a, let b):
            return matches(a, message: message, uid: uid, context: c)
                || matches(b, message: message, uid: uid, context: c)
        case .and(let ks): return ks.allSatisfy { matches($0, message: message, uid: uid, context: c) }
        }
    }

    /// Case-insensitive, diacritic-sensitive substring match over Characters (see the type's note).
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        if needle.isEmpty { return true }
        let h = Array(haystack.lowercased()), n = Array(needle.lowercased())
        guard n.count <= h.count else { return false }
        var i = 0
        while i + n.count <= h.count {
            if h[i] == n[0] {
                var k = 1
                while k < n.count && h[i + k] == n[k] { k += 1 }
                if k == n.count { return true }
            }
            i += 1
        }
        return false
    }
}
