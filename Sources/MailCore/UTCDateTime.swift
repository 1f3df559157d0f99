/// A moment split into its UTC calendar fields, without Foundation or a time zone database:
/// the one home for the date headers of the pure protocol modules (HTTP Date, RFC 5322 Date).
public struct UTCDateTime: Sendable, Equatable {
    public let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
    /// 0 = Sunday.
    public let weekday: Int

    public init(epochSeconds: Double) {
        let secs = Int(epochSeconds.rounded(.down))
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let rem = secs - days * 86_400
        (year, month, day) = CivilDate.date(fromDays: Int64(days))
        weekday = CivilDate.weekday(ofDays: Int64(days))
        hour = rem / 3600
        minute = rem / 60 % 60
        second = rem % 60
    }

    /// RFC 5322 §3.3 date-time in UTC, e.g. `Fri, 27 Nov 2026 10:58:20 +0000`.
    public var rfc5322: String {
        let two = Self.twoDigits
        return
            "\(CivilDate.weekdayNames[weekday]), \(day) \(CivilDate.monthNames[month - 1]) \(year) \(two(hour)):\(two(minute)):\(two(second)) +0000"
    }

    /// "06", "12": two digits.
    public static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
