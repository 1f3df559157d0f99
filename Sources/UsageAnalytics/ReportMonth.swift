import Foundation

/// A calendar month `YYYY-MM`, the unit a report covers.
public struct ReportMonth: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    /// 1…12.
    public let month: Int

    /// A month; fails with a message that says what to type when `month` is out of range.
    public init(year: Int, month: Int) throws {
        guard (1...12).contains(month), (1970...9999).contains(year) else {
            throw ReportError.badMonth("\(year)-\(month)")
        }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM` (e.g. `2026-10`).
    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                v = v * 10 + Int(bytes[i] - 0x30)
            }
            return v
        }
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), let y = digits(0..<4), let m = digits(5..<7) else {
            throw ReportError.badMonth(text)
        }
        do { try self.init(year: y, month: m) } catch { throw ReportError.badMonth(text) }
    }

    public var description: String {
        let y = String(year), m = month < 10 ? "0\(month)" : String(month)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + m
    }

    public var previous: ReportMonth {
        month == 1 ? ReportMonth(unchecked: year - 1, 12) : ReportMonth(unchecked: year, month - 1)
    }
    public var next: ReportMonth {
        month == 12 ? ReportMonth(unchecked: year + 1, 1) : ReportMonth(unchecked: year, month + 1)
    }

    /// This month and the `count - 1` months before it, oldest first.
    public func trailing(_ count: Int) -> [ReportMonth] {
        var months = [self]
        while months.count < count { months.insert(months[0].previous, at: 0) }
        return months
    }

    /// Number of days in the month (Gregorian).
    public var dayCount: Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The day of the month (1…31) of a `YYYY-MM-DD` string in this month, or nil for any other day.
    public func dayOfMonth(_ day: String) -> Int? {
        var text = day
        let parsed = text.withUTF8 { b -> (Int, Int, Int)? in
            guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
            func number(_ from: Int, _ to: Int) -> Int? {
                var v = 0
                for i in from..<to {
                    guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                    v = v * 10 + Int(b[i] - 0x30)
                }
                return v
            }
            guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10) else { return nil }
            return (y, m, d)
        }
        guard let (y, m, d) = parsed, y == year, m == month, (1...dayCount).contains(d) else { return nil }
        return d
    }

    /// Start and end (exclusive) of the month in `timeZone`, in seconds since the Unix epoch.
    public func interval(in timeZone: TimeZone) -> (start: Double, end: Double) {
        (Self.startOfMonth(self, timeZone), Self.startOfMonth(next, timeZone))
    }

    /// The last month that has fully ended at `now` in `timeZone` (the default report month).
    public static func lastComplete(now: Double, timeZone: TimeZone) -> ReportMonth {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: now))
        return ReportMonth(unchecked: parts.year!, parts.month!).previous
    }

    public static func < (a: ReportMonth, b: ReportMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }

    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// For months computed from valid ones (no range check).
    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    private static func startOfMonth(_ m: ReportMonth, _ timeZone: TimeZone) -> Double {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let date = calendar.date(from: DateComponents(year: m.year, month: m.month, day: 1))!
        return date.timeIntervalSince1970
    }
}
