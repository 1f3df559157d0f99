import GRDB

extension AccountStore {
    /// For an activity import from the system GovMail replaces: accounts whose history starts after
    /// `at` are counted as existing from `at` (their first `created` row is moved back to it, in the
    /// unit and kind it names). Months before a GovMail account was created had no GovMail data, so
    /// this only fills them; it never moves a row later. Returns how many accounts changed.
    @discardableResult
    public func backdateCreation(accountIDs: [Int64], to at: Int64) throws -> Int {
        try write { db in
            var changed = 0
            for id in accountIDs {
                guard
                    let first = try Row.fetchOne(
                        db,
                        sql: "SELECT id, at, event FROM account_history WHERE account_id = ? ORDER BY at, id LIMIT 1",
                        arguments: [id]),
                    first["event"] as String == "created", (first["at"] as Int64) > at
                else { continue }
                try db.execute(
                    sql: "UPDATE account_history SET at = ? WHERE id = ?", arguments: [at, first["id"] as Int64])
                changed += 1
            }
            return changed
        }
    }
}
