import MailCore
import MessageFormat

/// A SORT criterion (RFC 5256 §3), each optionally REVERSE.
public enum SortCriterion: String, Sendable, Hashable {
    case arrival = "ARRIVAL", cc = "CC", date = "DATE", from = "FROM", size = "SIZE", subject = "SUBJECT", to = "TO"
}

public struct SortKey: Sendable, Hashable {
    public var criterion: SortCriterion
    public var reverse: Bool
    public init(_ criterion: SortCriterion, reverse: Bool = false) {
        self.criterion = criterion
        self.reverse = reverse
    }
}

/// The values SORT compares for one message, computed once per message from the data SEARCH uses.
public struct MessageSortValues: Sendable, Equatable {
    public var arrival: Int64
    /// The Date header's moment; the arrival time when it is missing or unreadable (RFC 5256 §3).
    public var date: Int64
    public var size: Int
    /// Collation keys (`SortCollation.key`) of the base subject and the first addresses' mailboxes.
    public var subject: [UInt8]
    public var from: [UInt8]
    public var to: [UInt8]
    public var cc: [UInt8]

    public init(_ m: any SearchableMessage) {
        arrival = m.internalDate
        date = m.headerValues("Date").first.flatMap(MessageDate.parse)?.secondsSinceEpoch ?? m.internalDate
        size = m.size
        subject = SortCollation.key(BaseSubject.of(m.headerValues("Subject").first ?? ""))
        func mailbox(_ header: String) -> [UInt8] {
            let value = m.headerValues(header).first ?? ""
            let first = AddressList.envelopeAddresses(AddressList.parse(Array(value.utf8))).first
            return SortCollation.key(first?.mailbox ?? "")
        }
        from = mailbox("From")
        to = mailbox("To")
        cc = mailbox("Cc")
    }

    /// The order of two messages by one criterion, before REVERSE (-1, 0, 1).
    func compare(_ other: MessageSortValues, by criterion: SortCriterion) -> Int {
        func cmp<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        func bytes(_ a: [UInt8], _ b: [UInt8]) -> Int {
            a.lexicographicallyPrecedes(b) ? -1 : (a == b ? 0 : 1)
        }
        switch criterion {
        case .arrival: return cmp(arrival, other.arrival)
        case .date: return cmp(date, other.date)
        case .size: return cmp(size, other.size)
        case .subject: return bytes(subject, other.subject)
        case .from: return bytes(from, other.from)
        case .to: return bytes(to, other.to)
        case .cc: return bytes(cc, other.cc)
        }
    }
}

/// The i;unicode-casemap comparator (RFC 5051), which RFC 5256 allows and Dovecot uses: each string
/// is case-mapped, decomposed, and compared as UTF-8 octets. GovMail maps to upper case, which
/// equals the title case RFC 5051 names for every Vietnamese letter, and decomposes Latin letters
/// canonically (`LatinComposition`, no Foundation) rather than by full NFKD: the same keys for
/// Vietnamese, while compatibility characters such as ligatures keep their own code points. So `công`, `CÔNG` and a
/// decomposed `công` sort together, and letters with marks sort right after their base letter
/// (`CA` < `CÁ` < `CB`). `Đ` has no decomposition and sorts after `Z`, as octet order puts it.
public enum SortCollation {
    public static func key(_ text: String) -> [UInt8] {
        Array(LatinComposition.decompose(text.uppercased()).utf8)
    }
}

/// The base subject (RFC 5256 §2.1): without `Re:`, `Fwd:`, `Fw:`, `[list]` blobs, trailing
/// `(fwd)` and `[fwd: …]` wrappers, whitespace collapsed. The subject arrives decoded (RFC 2047).
public enum BaseSubject {
    public static func of(_ subject: String) -> String { extract(subject).base }

    /// The base subject, and whether a reply or forward marker was removed on the way (THREAD=
    /// REFERENCES prefers a non-reply as the parent of a subject group, RFC 5256 §2.2 step 6).
    public static func extract(_ subject: String) -> (base: String, isReply: Bool) {
        var isReply = false
        // (1) tabs and line breaks become spaces, runs of spaces one space.
        var s = ""
        var lastSpace = false
        for ch in subject {
            let space = ch == " " || ch == "\t" || ch == "\r\n" || ch == "\r" || ch == "\n"
            if space {
                if !lastSpace { s.append(" ") }
            } else {
                s.append(ch)
            }
            lastSpace = space
        }
        var text = Substring(s)
        while true {
            // (2) trailing "(fwd)" and blanks.
            while true {
                if text.last == " " {
                    text.removeLast()
                } else if text.lowercased().hasSuffix("(fwd)") {
                    text.removeLast(5)
                    isReply = true
                } else {
                    break
                }
            }
            // (3)-(5) leading blanks, `*blob (re|fw|fwd) *WSP [blob] ":"`, and a lone blob when
            // something remains after it.
            var changed = true
            while changed {
                changed = false
                if text.first == " " {
                    text.removeFirst()
                    changed = true
                    continue
                }
                if let rest = refwdLeader(text) {
                    text = rest
                    isReply = true
                    changed = true
                    continue
                }
                if let rest = blob(text), !rest.isEmpty {
                    text = rest
                    changed = true
                }
            }
            // (6) "[fwd: ... ]" around everything: unwrap and start again.
            if text.lowercased().hasPrefix("[fwd:") && text.hasSuffix("]") {
                text = text.dropFirst(5).dropLast()
                isReply = true
                continue
            }
            return (String(text), isReply)
        }
    }

    /// After `subj-blob` = "[" *BLOBCHAR "]" *WSP, or nil.
    static func blob(_ text: Substring) -> Substring? {
        guard text.first == "[" else { return nil }
        var rest = text.dropFirst()
        while let c = rest.first, c != "]" {
            if c == "[" { return nil }
            rest.removeFirst()
        }
        guard rest.first == "]" else { return nil }
        rest.removeFirst()
        while rest.first == " " { rest.removeFirst() }
        return rest
    }

    /// After `*subj-blob subj-refwd`, subj-refwd = ("re" / "fw" ["d"]) *WSP [subj-blob] ":", or nil.
    static func refwdLeader(_ text: Substring) -> Substring? {
        var rest = text
        while let after = blob(rest) { rest = after }
        let lower = rest.prefix(3).lowercased()
        if lower.hasPrefix("fwd") {
            rest = rest.dropFirst(3)
        } else if lower.hasPrefix("re") || lower.hasPrefix("fw") {
            rest = rest.dropFirst(2)
        } else {
            return nil
        }
        while rest.first == " " { rest.removeFirst() }
        if let after = blob(rest) { rest = after }
        guard rest.first == ":" else { return nil }
        return rest.dropFirst()
    }
}

public enum MessageSortOrder {
    public typealias Row = (seq: Int, uid: UID, values: MessageSortValues)

    /// The rows by the keys in turn, then by sequence number (RFC 5256 §3: ties keep mailbox order).
    public static func sorted(_ rows: [Row], by keys: [SortKey]) -> [Row] {
        rows.sorted { a, b in
            for k in keys {
                let c = a.values.compare(b.values, by: k.criterion)
                if c != 0 { return k.reverse ? c > 0 : c < 0 }
            }
            return a.seq < b.seq
        }
    }
}
