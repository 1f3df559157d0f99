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
    /// Deletes daily counters and client-name rows of days before `firstKeptDay` ('YYYY-MM-DD'),
    /// in one transaction. `analytics.retention_months` decides the day (see
    /// `ActivityRetention.firstKeptDay` in UsageAnalytics); the servers or `govmail report` call it.
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
