import GRDB

extension AccountStore {
    /// Proves the directory accepts writes now (for `/readyz`): takes the write lock and makes a
    /// write that is rolled back, so nothing changes. Throws what SQLite said (read-only, locked, full).
    public func checkWritable() throws {
        try pool.write { db in
            try db.inSavepoint {
                try db.execute(sql: "INSERT INTO domain(name, created_at) VALUES ('readiness-probe.invalid', 0)")
                return .rollback
            }
        }
    }
}
