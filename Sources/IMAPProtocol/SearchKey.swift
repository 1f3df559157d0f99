import MailCore

/// A calendar date as IMAP writes it, `1-Feb-2026` (RFC 3501 §9 `date`); compared without a time zone.
public struct IMAPDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    public var description: String { "\(day)-\(Self.monthNames[month - 1])-\(year)" }
    public static func < (a: IMAPDate, b: IMAPDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The calendar date of `seconds` since the epoch, shifted by `offsetSeconds` (the zone to judge in).
    public init(epochSeconds seconds: Double, offsetSeconds: Int = 0) {
        let z = Int(((seconds + Double(offsetSeconds)) / 86400).rounded(.down)) + 719_468
        // Howard Hinnant's civil-from-days algorithm.
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01 (for converting back to seconds).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// A SEARCH key (RFC 3501 §6.4.4, §9 `search-key`).
public indirect enum SearchKey: Sendable, Hashable {
    case all
    case answered, deleted, draft, flagged, new, old, recent, seen
    case unanswered, undeleted, undraft, unflagged, unseen
    case keyword(String), unkeyword(String)
    case from(String), to(String), cc(String), bcc(String), subject(String)
    case body(String), text(String)
    case header(String, String)
    case before(IMAPDate), on(IMAPDate), since(IMAPDate)
    case sentBefore(IMAPDate), sentOn(IMAPDate), sentSince(IMAPDate)
    case larger(UInt32), smaller(UInt32)
    case uid(SequenceSet)
    case sequence(SequenceSet)
    case not(SearchKey)
    case or(SearchKey, SearchKey)
    /// A parenthesised list, or the implicit AND of several top-level keys.
    case and([SearchKey])
}
