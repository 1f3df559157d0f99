import Foundation

/// The days a report covers and whether they are all over, so a month still running is never
/// mistaken for a collapse: every format prints it.
public struct ReportPeriod: Sendable, Equatable, Codable {
    /// First and last calendar day of the period (`YYYY-MM-DD`, configured time zone).
    public var firstDay: String
    public var lastDay: String
    /// The period had not ended when the report was generated: figures are partial.
    public var partial: Bool
    /// With `partial`: the day of generation, the last day whose data can be in the report.
    public var dataThrough: String?

    enum CodingKeys: String, CodingKey {
        case firstDay = "first_day", lastDay = "last_day", partial, dataThrough = "data_through"
    }

    init(month: ReportMonth, generatedAt: Double?, timeZone: TimeZone) {
        firstDay = "\(month.description)-01"
        lastDay = "\(month.description)-\(month.dayCount)"
        let end = month.interval(in: timeZone).end
        partial = generatedAt.map { $0 < end } ?? false
        dataThrough = partial ? generatedAt.map { ReportClock.day($0, timeZone) } : nil
    }
}

/// Timestamps of generation in the configured time zone.
public enum ReportClock {
    /// ISO 8601 with the zone's offset, e.g. `2026-12-04T08:30:00+07:00`.
    public static func timestamp(_ t: Double, _ zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: t.rounded(.down)))
    }

    /// The calendar day `YYYY-MM-DD` of `t` in `zone`.
    public static func day(_ t: Double, _ zone: TimeZone) -> String {
        String(timestamp(t, zone).prefix(10))
    }
}
