import AccountStore
import Foundation

/// Which daily rows `analytics.retention_months` keeps: the current month and the
/// `retentionMonths` complete months before it (monthly figures need whole months).
public enum ActivityRetention {
    /// The first month whose daily rows are kept at `now`.
    /// The arithmetic lives in AccountStore, so the server (which does not import this module) prunes alike.
    public static func firstKeptMonth(now: Double, timeZone: TimeZone, retentionMonths: Int) -> ReportMonth {
        let (year, month) = AccountStore.firstKeptActivityMonth(
            now: now, timeZone: timeZone,
            retentionMonths: retentionMonths)
        return ReportMonth(unchecked: year, month)
    }

    /// The first kept day, `YYYY-MM-01`, for `AccountStore.pruneActivity(before:)`.
    public static func firstKeptDay(now: Double, timeZone: TimeZone, retentionMonths: Int) -> String {
        AccountStore.firstKeptActivityDay(now: now, timeZone: timeZone, retentionMonths: retentionMonths)
    }
}
