import Foundation

/// Which daily rows `analytics.retention_months` keeps: the current month and the
/// `retentionMonths` complete months before it (monthly figures need whole months).
public enum ActivityRetention {
    /// The first month whose daily rows are kept at `now`.
    public static func firstKeptMonth(now: Double, timeZone: TimeZone, retentionMonths: Int) -> ReportMonth {
        var month = ReportMonth.lastComplete(now: now, timeZone: timeZone)
        for _ in 1..<max(1, retentionMonths) { month = month.previous }
        return month
    }

    /// The first kept day, `YYYY-MM-01`, for `AccountStore.pruneActivity(before:)`.
    public static func firstKeptDay(now: Double, timeZone: TimeZone, retentionMonths: Int) -> String {
        firstKeptMonth(now: now, timeZone: timeZone, retentionMonths: retentionMonths).description + "-01"
    }
}
