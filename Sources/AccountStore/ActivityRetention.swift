import Foundation
import GRDB

/// How many daily rows a pruning removed.
public struct PrunedActivity: Sendable, Equatable {
    public let dailyRows: Int
    public let clientRows: Int

    public init(dailyRows: Int, clientRows: Int) {
        self.dailyRows = dailyRows
        self.clientRows = clientRows
    }
}

extension AccountStore {
    /// The first month whose daily rows `analytics.retention_months` keeps at `now`: the current
    /// month and the `retentionMonths` complete months before it (monthly figures need whole months).
    public static func firstKeptActivityMonth(now: Double, timeZone: TimeZone, retentionMonths: Int)
        -> (year: Int, month: Int)
    {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: now))
        // Months counted from year 0, so that going back crosses years without a loop.
        let index = parts.year! * 12 + (parts.month! - 1) - max(1, retentionMonths)
        return (index / 12, index % 12 + 1)
    }

    /// The first kept day, `YYYY-MM-01`, to pass to `pruneActivity(before:)`.
    public static func firstKeptActivityDay(now: Double, timeZone: TimeZone, retentionMonths: Int) -> String {
        let (year, month) = firstKeptActivityMonth(now: now, timeZone: timeZone, retentionMonths: retentionMonths)
        return String(format: "%04d-%02d-01", year, month)
    }

    /// Deletes daily counters and client-name rows of days before `firstKeptDay` ('YYYY-MM-DD'),
    /// in one transaction. `analytics.retention_months` decides the day (`firstKeptActivityDay`);
    /// the server (daily) and `govmail report` call it.
    @discardableResult
    public func pruneActivity(before firstKeptDay: String) throws -> PrunedActivity {
        guard Self.isDay(firstKeptDay) else {
            throw DirectoryError.invalid("retention day \"\(firstKeptDay)\" is not YYYY-MM-DD")
        }
        return try write { db in
            try db.execute(sql: "DELETE FROM activity_daily WHERE day < ?", arguments: [firstKeptDay])
            let daily = db.changesCount
            try db.execute(sql: "DELETE FROM activity_client WHERE day < ?", arguments: [firstKeptDay])
            return PrunedActivity(dailyRows: daily, clientRows: db.changesCount)
        }
    }
}
