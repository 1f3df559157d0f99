import GRDB
import MailCore

extension AccountStore {
    static let aliasSelect = """
        SELECT l.id, l.address, l.account_id, a.address AS target, l.created_at
        FROM alias l JOIN account a ON a.id = l.account_id
        """

    static func alias(_ row: Row) throws -> Alias {
        Alias(
            id: row["id"], address: try EmailAddress(row["address"] as String), accountID: row["account_id"],
            target: try EmailAddress(row["target"] as String), createdAt: row["created_at"])
    }

    /// Adds `alias` delivering to the live account `target`; the alias's domain must be served here.
    @discardableResult
    public func addAlias(_ alias: EmailAddress, target: EmailAddress) throws -> Alias {
        let now = self.now
        return try write { db in
            guard let domainID = try Self.domainID(db, alias.domain) else {
                throw DirectoryError.unknownDomain(alias.domain.name)
            }
            let account = try Self.requireLive(db, target)
            if try Self.liveAccount(db, alias) != nil { throw DirectoryError.aliasShadowsAccount(alias.description) }
            if let existing = try Row.fetchOne(
                db, sql: Self.aliasSelect + " WHERE l.address_key = ?", arguments: [alias.key])
            {
                let a = try Self.alias(existing)
                throw DirectoryError.invalid(
                    "the alias \(alias) already exists (it delivers to \(a.target)); remove it first with: govmail alias remove \(alias)"
                )
            }
            try db.execute(
                sql:
                    "INSERT INTO alias(address, address_key, domain_id, account_id, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [alias.description, alias.key, domainID, account.id, now])
            return try Self.alias(
                try Row.fetchOne(db, sql: Self.aliasSelect + " WHERE l.id = ?", arguments: [db.lastInsertedRowID])!)
        }
    }

    /// All aliases, or those of one account, ordered by alias address.
    public func aliases(target: EmailAddress? = nil) throws -> [Alias] {
        try read { db in
            if let target {
                let account = try Self.requireLive(db, target)
                return try Row.fetchAll(
                    db, sql: Self.aliasSelect + " WHERE l.account_id = ? ORDER BY l.address_key",
                    arguments: [account.id]
                ).map(Self.alias)
            }
            return try Row.fetchAll(db, sql: Self.aliasSelect + " ORDER BY l.address_key").map(Self.alias)
        }
    }

    /// Removes an alias.
    public func removeAlias(_ alias: EmailAddress) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM alias WHERE address_key = ?", arguments: [alias.key])
            if db.changesCount == 0 { throw DirectoryError.unknownAlias(alias.description) }
        }
    }
}
