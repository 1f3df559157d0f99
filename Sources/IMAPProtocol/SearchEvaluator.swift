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
    ///
    /// Each text the keys look at (header values, all headers, the body) is decoded and folded at
    /// most once per call, however many keys name it, and matched in linear time: a SEARCH with
    /// hundreds of TEXT keys over a large message costs one decode plus one scan per key.
    public static func matches(_ key: SearchKey, message: (any SearchableMessage)?, uid: UID, context c: SearchContext)
        -> Bool
    {
        matches(key, message: message, folded: message.map(FoldedMessage.init), uid: uid, context: c)
    }

    private static func matches(
        _ key: SearchKey, message: (any SearchableMessage)?, folded: FoldedMessage?, uid: UID, context c: SearchContext
    ) -> Bool {
        func matches(_ k: SearchKey) -> Bool { Self.matches(k, message: message, folded: folded, uid: uid, context: c) }
        func header(_ name: String, _ needle: String) -> Bool {
            let n = fold(needle)
            return folded?.headerValues(name).contains { contains(folded: $0, n) } ?? false
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
        case .body(let s): return folded.map { contains(folded: $0.body, fold(s)) } ?? false
        case .text(let s):
            return folded.map { contains(folded: $0.header, fold(s)) || contains(folded: $0.body, fold(s)) } ?? false
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
        case .not(let k): return !matches(k)
        case .or(let a, let b): return matches(a) || matches(b)
        case .and(let ks): return ks.allSatisfy { matches($0) }
        }
    }

    /// Case-insensitive, diacritic-sensitive substring match over Characters (see the type's note).
    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        contains(folded: fold(haystack), fold(needle))
    }

    /// Text lowercased (full Unicode case mapping), ready for matching.
    static func fold(_ text: String) -> FoldedText { FoldedText(text.lowercased()) }

    /// Whether `n` occurs in `h`. Text without combining marks (precomposed, as nearly all mail is)
    /// is matched on its UTF-8 bytes, which for such text is the same as matching Characters and
    /// some twenty times faster; when either side has a combining mark (decomposed Vietnamese,
    /// "Unicode tổ hợp"), Characters are compared so that composed and decomposed forms match.
    /// Both paths are Knuth–Morris–Pratt: linear in the text, whatever the needle.
    static func contains(folded h: FoldedText, _ n: FoldedText) -> Bool {
        if h.hasCombiningMarks || n.hasCombiningMarks { return kmpContains(h.characters, n.characters) }
        return kmpContains(h.bytes, n.bytes)
    }

    static func kmpContains<E: Equatable>(_ h: [E], _ n: [E]) -> Bool {
        if n.isEmpty { return true }
        guard n.count <= h.count else { return false }
        var failure = [Int](repeating: 0, count: n.count)
        var k = 0
        for i in 1..<max(1, n.count) {
            while k > 0 && n[i] != n[k] { k = failure[k - 1] }
            if n[i] == n[k] { k += 1 }
            failure[i] = k
        }
        k = 0
        for c in h {
            while k > 0 && c != n[k] { k = failure[k - 1] }
            if c == n[k] { k += 1 }
            if k == n.count { return true }
        }
        return false
    }
}

/// Lowercased text as UTF-8 bytes, with its Characters only when it holds combining marks.
struct FoldedText {
    let bytes: [UInt8]
    let hasCombiningMarks: Bool
    private let text: String

    init(_ lowercased: String) {
        text = lowercased
        bytes = Array(lowercased.utf8)
        hasCombiningMarks = lowercased.unicodeScalars.contains { $0.properties.canonicalCombiningClass != .notReordered }
    }

    var characters: [Character] { Array(text) }
}

/// The folded texts of one message during one evaluation, each made on first use only.
private final class FoldedMessage {
    private let message: any SearchableMessage
    private var headers: [String: [FoldedText]] = [:]
    private(set) lazy var header: FoldedText = SearchEvaluator.fold(message.headerText)
    private(set) lazy var body: FoldedText = SearchEvaluator.fold(message.bodyText)

    init(_ message: any SearchableMessage) { self.message = message }

    func headerValues(_ name: String) -> [FoldedText] {
        let key = name.lowercased()
        if let known = headers[key] { return known }
        let values = message.headerValues(name).map(SearchEvaluator.fold)
        headers[key] = values
        return values
    }
}
