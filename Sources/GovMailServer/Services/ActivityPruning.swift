import AccountStore
import Foundation

/// Which daily usage rows the server removes, and how: `analytics.retention_months` applied with
/// the same month arithmetic as `govmail report` (`AccountStore.firstKeptActivityDay`).
/// Monthly totals are kept, so closed months stay reportable after their days are gone.
public struct ActivityPruning: Sendable {
    /// Seconds between two prunings after a successful one.
    public static let interval: Double = 86_400
    /// Seconds before trying again after a failed one (a busy or locked database).
    public static let retryInterval: Double = 3_600

    public let store: AccountStore
    public let retentionMonths: Int

    public init(store: AccountStore, retentionMonths: Int) {
        self.store = store
        self.retentionMonths = retentionMonths
    }

    /// Deletes the daily rows before the first kept day at `now`; returns that day and the counts.
    func prune(now: Double, timeZone: TimeZone) throws -> (firstKeptDay: String, pruned: PrunedActivity) {
        let day = AccountStore.firstKeptActivityDay(now: now, timeZone: timeZone, retentionMonths: retentionMonths)
        return (day, try store.pruneActivity(before: day))
    }
}
