import Foundation

/// Turns instants into calendar days ("YYYY-MM-DD") in the configured time zone, so that usage
/// counters and reports agree on which day and month an event belongs to.
public struct DayCalendar: Sendable {
    private let calendar: Calendar

    public init(timeZone identifier: String) throws {
        guard let tz = TimeZone(identifier: identifier) else {
            throw ServerStartupError("unknown time zone \"\(identifier)\"; use an IANA name such as Asia/Ho_Chi_Minh")
        }
        var c = Calendar(identifier: .gregorian)
        c.timeZone = tz
        calendar = c
    }

    /// The configured time zone (months for `analytics.retention_months` follow it too).
    public var timeZone: TimeZone { calendar.timeZone }

    /// The day an instant (seconds since the epoch) falls on, e.g. "2026-11-27".
    public func day(_ seconds: Double) -> String {
        let d = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: seconds))
        return String(format: "%04d-%02d-%02d", d.year ?? 0, d.month ?? 0, d.day ?? 0)
    }
}
