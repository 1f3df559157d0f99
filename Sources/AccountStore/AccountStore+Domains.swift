import GRDB
import MailCore

extension AccountStore {
    /// Adds a domain this server receives mail for.
    @discardableResult
    public func addDomain(_ domain: Domain) throws -> DomainRecord {
        let now = self.now
        return try write { db in
            if try Self.domainID(db, domain) != nil { throw DirectoryError.domainExists(domain.name) }
            try db.execute(sql: "INSERT INTO domain(name, created_at) VALUES (?, ?)", arguments: [domain.name, now])
            return DomainRecord(id: db.lastInsertedRowID, name: domain, createdAt: now, accountCount: 0)
        }
    }

    /// All domains, by name, with their live account counts.
    public func domains() throws -> [DomainRecord] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.name, d.created_at,
                           (SELECT count(*) FROM account a WHERE a.domain_id = d.id AND a.status <> 'deleted') AS n
                    FROM domain d ORDER BY d.name
                    """
            ).map { row in
                DomainRecord(
                    id: row["id"], name: try Domain(row["name"] as String), createdAt: row["created_at"],
                    accountCount: row["n"])
            }
        }
    }

    /// Removes a domain that has no accounts or aliases (deleted accounts keep it for reports).
    public func removeDomain(_ domain: Domain) throws {
        try write { db in
            guard let id = try Self.domainID(db, domain) else { throw DirectoryError.unknownDomain(domain.name) }
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM account WHERE domain_id = ?", arguments: [id]) ?? 0
            let aliases =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM alias WHERE domain_id = ?", arguments: [id]) ?? 0
            if n + aliases > 0 { throw DirectoryError.domainInUse(domain.name, accounts: n + aliases) }
            try db.execute(sql: "DELETE FROM domain WHERE id = ?", arguments: [id])
        }
    }

    static func domainID(_ db: Database, _ domain: Domain) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM domain WHERE name = ?", arguments: [domain.name])
    }
}
