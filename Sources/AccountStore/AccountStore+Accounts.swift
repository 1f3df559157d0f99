import GRDB
import MailCore

extension AccountStore {
    static let accountSelect = """
        SELECT a.id, a.address, a.display_name, a.unit_id, u.code AS unit_code, a.kind, a.status, a.quota,
               a.password_hash, a.created_at, a.updated_at, a.deleted_at
        FROM account a JOIN unit u ON u.id = a.unit_id
        """

    static func account(_ row: Row) throws -> Account {
        guard let kind = AccountKind(rawValue: row["kind"]), let status = AccountStatus(rawValue: row["status"]) else {
            throw DirectoryError.invalid("unknown account kind or status in database")
        }
        let hash: String? = row["password_hash"]
        return Account(
            id: row["id"], address: try EmailAddress(row["address"] as String), displayName: row["display_name"],
            unitID: row["unit_id"], unitCode: row["unit_code"], kind: kind, status: status, quota: row["quota"],
            passwordHash: hash.map(Secret.init), createdAt: row["created_at"], updatedAt: row["updated_at"],
            deletedAt: row["deleted_at"])
    }

    /// The live (not deleted) account with this address, or nil.
    public func account(address: EmailAddress) throws -> Account? {
        try read { db in try Self.liveAccount(db, address) }
    }

    /// The account with this id, deleted or not.
    public func account(id: Int64) throws -> Account? {
        try read { db in
            try Row.fetchOne(db, sql: Self.accountSelect + " WHERE a.id = ?", arguments: [id]).map(Self.account)
        }
    }

    /// The most recently deleted account that had this address, or nil.
    public func deletedAccount(address: EmailAddress) throws -> Account? {
        try read { db in
            try Row.fetchOne(
                db,
                sql: Self.accountSelect
                    + " WHERE a.address_key = ? AND a.status = 'deleted' ORDER BY a.deleted_at DESC, a.id DESC LIMIT 1",
                arguments: [address.key]
            ).map(Self.account)
        }
    }

    static func liveAccount(_ db: Database, _ address: EmailAddress) throws -> Account? {
        try Row.fetchOne(
            db, sql: accountSelect + " WHERE a.address_key = ? AND a.status <> 'deleted'",
            arguments: [address.key]
        ).map(account)
    }

    /// Accounts ordered by address; optionally only one unit or domain, and with deleted ones.
    public func accounts(unitCode: String? = nil, domain: Domain? = nil, includeDeleted: Bool = false) throws
        -> [Account]
    {
        try read { db in
            var clauses: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if !includeDeleted { clauses.append("a.status <> 'deleted'") }
            if let unitCode {
                guard try Self.unit(db, code: unitCode) != nil else { throw DirectoryError.unknownUnit(unitCode) }
                clauses.append("u.code = ?"); args.append(unitCode)
            }
            if let domain {
                guard let id = try Self.domainID(db, domain) else { throw DirectoryError.unknownDomain(domain.name) }
                clauses.append("a.domain_id = ?"); args.append(id)
            }
            let whereSQL = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            return try Row.fetchAll(
                db, sql: Self.accountSelect + whereSQL + " ORDER BY a.address_key, a.id",
                arguments: StatementArguments(args)
            ).map(Self.account)
        }
    }

    /// Creates an account and its `created` history row.
    @discardableResult
    public func createAccount(_ new: NewAccount) throws -> Account {
        let now = self.now
        return try write { db in
            let id = try Self.insert(db, new, now: now)
            return try Row.fetchOne(db, sql: Self.accountSelect + " WHERE a.id = ?", arguments: [id]).map(Self.account)!
        }
    }

    static func insert(_ db: Database, _ new: NewAccount, now: Int64) throws -> Int64 {
        guard new.status != .deleted else { throw DirectoryError.invalid("a new account cannot be deleted") }
        // Cached statements: a roster import runs this thousands of times in one transaction.
        let domainStatement = try db.cachedStatement(sql: "SELECT id FROM domain WHERE name = ?")
        guard let domainID = try Int64.fetchOne(domainStatement, arguments: [new.address.domain.name]) else {
            throw DirectoryError.unknownDomain(new.address.domain.name)
        }
        let taken = try db.cachedStatement(
            sql: """
                SELECT (SELECT count(*) FROM account WHERE address_key = ?1 AND status <> 'deleted'),
                       (SELECT count(*) FROM alias WHERE address_key = ?1)
                """)
        if let row = try Row.fetchOne(taken, arguments: [new.address.key]) {
            if (row[0] as Int) > 0 { throw DirectoryError.addressTaken(new.address.description) }
            if (row[1] as Int) > 0 { throw DirectoryError.addressIsAlias(new.address.description) }
        }
        guard new.quota >= 0 else { throw DirectoryError.invalid("the quota cannot be negative") }
        let name = new.displayName.trimmingASCIIWhitespace()
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO account(address, address_key, domain_id, display_name, unit_id, kind, status, password_hash,
                                    quota, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            new.address.description, new.address.key, domainID, name, new.unitID,
            new.kind.rawValue, new.status.rawValue, new.passwordHash?.unsafeText,
            new.quota, now, now,
        ])
        let id = db.lastInsertedRowID
        try recordHistory(
            db, accountID: id, at: now, event: .created, unitID: new.unitID, kind: new.kind,
            enabled: new.status == .enabled)
        return id
    }

    static func recordHistory(
        _ db: Database, accountID: Int64, at: Int64, event: HistoryEvent, unitID: Int64,
        kind: AccountKind, enabled: Bool
    ) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO account_history(account_id, at, event, unit_id, kind, enabled) VALUES (?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [accountID, at, event.rawValue, unitID, kind.rawValue, enabled ? 1 : 0])
    }

    static func requireLive(_ db: Database, _ address: EmailAddress) throws -> Account {
        guard let a = try liveAccount(db, address) else {
            if try Int.fetchOne(
                db, sql: "SELECT count(*) FROM account WHERE address_key = ?", arguments: [address.key])! > 0
            {
                throw DirectoryError.accountDeleted(address.description)
            }
            throw DirectoryError.unknownAccount(address.description)
        }
        return a
    }

    /// Enables or disables an account; returns false when it already was in that state.
    @discardableResult
    public func setEnabled(_ address: EmailAddress, _ enabled: Bool) throws -> Bool {
        let now = self.now
        return try write { db in
            let a = try Self.requireLive(db, address)
            return try Self.setEnabled(db, a, enabled, now: now)
        }
    }

    static func setEnabled(_ db: Database, _ a: Account, _ enabled: Bool, now: Int64) throws -> Bool {
        let target: AccountStatus = enabled ? .enabled : .disabled
        guard a.status != target else { return false }
        try db.execute(
            sql: "UPDATE account SET status = ?, updated_at = ? WHERE id = ?",
            arguments: [target.rawValue, now, a.id])
        try recordHistory(
            db, accountID: a.id, at: now, event: enabled ? .enabled : .disabled, unitID: a.unitID,
            kind: a.kind, enabled: enabled)
        return true
    }

    /// Moves an account to another unit (history keeps the old one for past months).
    public func moveAccount(_ address: EmailAddress, toUnit code: String) throws {
        let now = self.now
        try write { db in
            let a = try Self.requireLive(db, address)
            guard let u = try Self.unit(db, code: code) else { throw DirectoryError.unknownUnit(code) }
            try Self.update(db, a, displayName: nil, unitID: u.id, kind: nil, now: now)
        }
    }

    static func update(
        _ db: Database, _ a: Account, displayName: String?, unitID: Int64?, kind: AccountKind?,
        now: Int64
    ) throws {
        let newName = displayName?.trimmingASCIIWhitespace() ?? a.displayName
        let newUnit = unitID ?? a.unitID
        let newKind = kind ?? a.kind
        guard newName != a.displayName || newUnit != a.unitID || newKind != a.kind else { return }
        try db.execute(
            sql: "UPDATE account SET display_name = ?, unit_id = ?, kind = ?, updated_at = ? WHERE id = ?",
            arguments: [newName, newUnit, newKind.rawValue, now, a.id])
        if newUnit != a.unitID {
            try recordHistory(
                db, accountID: a.id, at: now, event: .moved, unitID: newUnit, kind: newKind,
                enabled: a.status == .enabled)
        } else if newKind != a.kind {
            try recordHistory(
                db, accountID: a.id, at: now, event: .kindChanged, unitID: newUnit, kind: newKind,
                enabled: a.status == .enabled)
        }
    }

    /// Changes an account's display name and/or kind.
    public func updateAccount(_ address: EmailAddress, displayName: String? = nil, kind: AccountKind? = nil) throws {
        let now = self.now
        try write { db in
            let a = try Self.requireLive(db, address)
            try Self.update(db, a, displayName: displayName, unitID: nil, kind: kind, now: now)
        }
    }

    /// Sets the quota in bytes (0 = unlimited).
    public func setQuota(_ address: EmailAddress, bytes: Int64) throws {
        guard bytes >= 0 else { throw DirectoryError.invalid("the quota cannot be negative") }
        let now = self.now
        try write { db in
            let a = try Self.requireLive(db, address)
            try db.execute(
                sql: "UPDATE account SET quota = ?, updated_at = ? WHERE id = ?", arguments: [bytes, now, a.id])
        }
    }

    /// Replaces the password hash of a live account (a new password, or an upgrade after login).
    public func setPasswordHash(accountID: Int64, _ hash: Secret) throws {
        let now = self.now
        try write { db in
            try db.execute(
                sql: "UPDATE account SET password_hash = ?, updated_at = ? WHERE id = ? AND status <> 'deleted'",
                arguments: [hash.unsafeText, now, accountID])
            if db.changesCount == 0 { throw DirectoryError.unknownAccount("#\(accountID)") }
        }
    }

    /// Marks an account deleted (never removes the row: reports need it), clears its password hash,
    /// removes its aliases and writes a `deleted` history row. The address becomes free for a new account.
    @discardableResult
    public func deleteAccount(_ address: EmailAddress) throws -> Account {
        let now = self.now
        return try write { db in
            let a = try Self.requireLive(db, address)
            try db.execute(sql: "DELETE FROM alias WHERE account_id = ?", arguments: [a.id])
            try db.execute(
                sql: """
                    UPDATE account SET status = 'deleted', deleted_at = ?, updated_at = ?, password_hash = NULL WHERE id = ?
                    """, arguments: [now, now, a.id])
            try Self.recordHistory(
                db, accountID: a.id, at: now, event: .deleted, unitID: a.unitID, kind: a.kind,
                enabled: false)
            return try Row.fetchOne(db, sql: Self.accountSelect + " WHERE a.id = ?", arguments: [a.id]).map(
                Self.account)!
        }
    }

    /// Applies a roster's changes in one transaction: all or nothing. Returns the ids of created accounts, in order.
    @discardableResult
    public func apply(_ changes: [AccountChange]) throws -> [Int64] {
        let now = self.now
        return try write { db in
            var created: [Int64] = []
            for change in changes {
                switch change {
                case .create(let new):
                    created.append(try Self.insert(db, new, now: now))
                case .update(let id, let name, let unit, let kind):
                    guard
                        let a = try Row.fetchOne(
                            db, sql: Self.accountSelect + " WHERE a.id = ? AND a.status <> 'deleted'",
                            arguments: [id]
                        ).map(Self.account)
                    else { throw DirectoryError.unknownAccount("#\(id)") }
                    try Self.update(db, a, displayName: name, unitID: unit, kind: kind, now: now)
                case .setEnabled(let id, let enabled):
                    guard
                        let a = try Row.fetchOne(
                            db, sql: Self.accountSelect + " WHERE a.id = ? AND a.status <> 'deleted'",
                            arguments: [id]
                        ).map(Self.account)
                    else { throw DirectoryError.unknownAccount("#\(id)") }
                    _ = try Self.setEnabled(db, a, enabled, now: now)
                }
            }
            return created
        }
    }

    /// The history of one account, oldest first.
    public func history(accountID: Int64) throws -> [HistoryEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM account_history WHERE account_id = ? ORDER BY at, id",
                arguments: [accountID]
            ).map { row in
                HistoryEntry(
                    accountID: row["account_id"], at: row["at"],
                    event: try row.decode(forColumn: "event"), unitID: row["unit_id"],
                    kind: try row.decode(forColumn: "kind"), enabled: (row["enabled"] as Int) == 1)
            }
        }
    }

    /// Accounts that were enabled at some moment in [start, end) (Unix seconds; a month's bounds in the
    /// configured time zone), with the unit and kind they had at the last such moment. Answers "which
    /// staff were enabled on at least one day of month M, and in which unit" for any past month.
    public func accountsEnabled(from start: Int64, to end: Int64, kind: AccountKind? = .staff) throws
        -> [EnabledAccount]
    {
        try read { db in
            // Each history row holds the state from `at` until the next row of the same account.
            try Row.fetchAll(
                db,
                sql: """
                    WITH spans AS (
                        SELECT account_id, at, id, unit_id, kind, enabled,
                               LEAD(at) OVER (PARTITION BY account_id ORDER BY at, id) AS until
                        FROM account_history
                    ), enabled_spans AS (
                        SELECT *, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY at DESC, id DESC) AS rank
                        FROM spans
                        WHERE enabled = 1 AND at < :end AND (until IS NULL OR until > :start) AND (until IS NULL OR until > at)
                    )
                    SELECT s.account_id, a.address, s.unit_id, s.kind FROM enabled_spans s JOIN account a ON a.id = s.account_id
                    WHERE s.rank = 1 AND (:kind IS NULL OR s.kind = :kind)
                    ORDER BY a.address_key, s.account_id
                    """, arguments: ["start": start, "end": end, "kind": kind?.rawValue]
            ).map { row in
                EnabledAccount(
                    accountID: row["account_id"], address: row["address"], unitID: row["unit_id"],
                    kind: try row.decode(forColumn: "kind"))
            }
        }
    }
}
