import GRDB
import MailCore

/// What a member may do with a shared (unit) mailbox (issue 17).
public enum DelegationRight: String, Sendable, Codable, CaseIterable, Comparable {
    /// Read the shared mailbox (IMAP, not built yet).
    case read
    /// Change it: flags, moves, deletes, appends (IMAP, not built yet).
    case write
    /// Send with the shared address in MAIL FROM and From:, the member invisible to recipients.
    case sendAs = "send-as"
    /// Send with From: the shared address and Sender: the member (RFC 5322 §3.6.2).
    case sendOnBehalf = "send-on-behalf"

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses `read,write,send-as` (case and blanks ignored).
    public static func parseList(_ text: String) throws -> Set<DelegationRight> {
        var out: Set<DelegationRight> = []
        for word in text.split(separator: ",") {
            let w = String(word).trimmingASCIIWhitespace().lowercased()
            guard let r = DelegationRight(rawValue: w) else {
                throw DirectoryError.invalid(
                    "unknown right \"\(w)\"; use a comma-separated list of: \(allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            out.insert(r)
        }
        return out
    }
}

/// One member's rights on one shared mailbox.
public struct Delegation: Sendable, Equatable {
    public let shared: EmailAddress
    public let sharedAccountID: Int64
    public let member: EmailAddress
    public let memberAccountID: Int64
    public let rights: Set<DelegationRight>
    public let createdAt: Int64
}

/// A message a member sent as, or on behalf of, a shared mailbox: the audit trail of issue 17.
public struct DelegatedSend: Sendable, Equatable {
    public enum Mode: String, Sendable, Codable { case sendAs = "send-as", sendOnBehalf = "send-on-behalf" }
    public let shared: EmailAddress
    public let member: EmailAddress
    /// Seconds since 1970.
    public let at: Int64
    public let mode: Mode
    public let messageID: String
    public let recipients: Int
}

extension Schema {
    /// Delegation of shared mailboxes to members and the audit table of delegated sends. The schema
    /// holds the rules: a shared mailbox is an account of kind `shared`, a member is not, rights are
    /// never all off (that is a removal), and audit rows are never lost with an account (RESTRICT;
    /// accounts are soft-deleted anyway).
    static let delegation = """
        CREATE TABLE delegation (
            shared_account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            member_account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
            can_read INTEGER NOT NULL CHECK (can_read IN (0, 1)),
            can_write INTEGER NOT NULL CHECK (can_write IN (0, 1)),
            can_send_as INTEGER NOT NULL CHECK (can_send_as IN (0, 1)),
            can_send_on_behalf INTEGER NOT NULL CHECK (can_send_on_behalf IN (0, 1)),
            created_at INTEGER NOT NULL,
            PRIMARY KEY (shared_account_id, member_account_id),
            CHECK (shared_account_id <> member_account_id),
            CHECK (can_read + can_write + can_send_as + can_send_on_behalf > 0)
        ) WITHOUT ROWID;
        CREATE INDEX delegation_member ON delegation(member_account_id);
        CREATE TRIGGER delegation_needs_shared_mailbox BEFORE INSERT ON delegation
        WHEN (SELECT kind FROM account WHERE id = NEW.shared_account_id) <> 'shared'
        BEGIN SELECT RAISE(ABORT, 'delegation of an account that is not a shared mailbox'); END;
        CREATE TRIGGER delegation_member_not_shared BEFORE INSERT ON delegation
        WHEN (SELECT kind FROM account WHERE id = NEW.member_account_id) = 'shared'
        BEGIN SELECT RAISE(ABORT, 'a shared mailbox cannot be a member'); END;

        CREATE TABLE delegated_send (
            id INTEGER PRIMARY KEY,
            shared_account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            member_account_id INTEGER NOT NULL REFERENCES account(id) ON DELETE RESTRICT,
            at INTEGER NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('send-as', 'send-on-behalf')),
            message_id TEXT NOT NULL CHECK (length(message_id) <= 998),
            recipients INTEGER NOT NULL CHECK (recipients >= 0)
        );
        CREATE INDEX delegated_send_shared_at ON delegated_send(shared_account_id, at);
        """
}

extension AccountStore {
    static let delegationSelect = """
        SELECT d.*, s.address AS shared, m.address AS member
        FROM delegation d JOIN account s ON s.id = d.shared_account_id JOIN account m ON m.id = d.member_account_id
        """

    static func delegation(_ r: Row) throws -> Delegation {
        var rights: Set<DelegationRight> = []
        if r["can_read"] as Bool { rights.insert(.read) }
        if r["can_write"] as Bool { rights.insert(.write) }
        if r["can_send_as"] as Bool { rights.insert(.sendAs) }
        if r["can_send_on_behalf"] as Bool { rights.insert(.sendOnBehalf) }
        return Delegation(
            shared: try EmailAddress(r["shared"] as String), sharedAccountID: r["shared_account_id"],
            member: try EmailAddress(r["member"] as String), memberAccountID: r["member_account_id"],
            rights: rights, createdAt: r["created_at"])
    }

    /// Grants `member` exactly `rights` on the shared mailbox `shared` (replacing earlier rights).
    /// Both must be live accounts; `shared` of kind `shared`, `member` of another kind.
    @discardableResult
    public func grantDelegation(shared: EmailAddress, member: EmailAddress, rights: Set<DelegationRight>) throws
        -> Delegation
    {
        guard !rights.isEmpty else {
            throw DirectoryError.invalid(
                "give at least one right (read, write, send-as, send-on-behalf), or remove the delegation with: govmail delegate remove \(shared) \(member)"
            )
        }
        let now = self.now
        return try write { db in
            let s = try Self.requireLive(db, shared), m = try Self.requireLive(db, member)
            guard s.kind == .shared else {
                throw DirectoryError.invalid(
                    "\(shared) is a \(s.kind.rawValue) account, not a shared mailbox; create one with: govmail account add \(shared) --kind shared ..."
                )
            }
            guard m.kind != .shared else {
                throw DirectoryError.invalid(
                    "\(member) is itself a shared mailbox; members are staff or service accounts")
            }
            try db.execute(
                sql: """
                    INSERT INTO delegation(shared_account_id, member_account_id, can_read, can_write, can_send_as,
                        can_send_on_behalf, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(shared_account_id, member_account_id) DO UPDATE SET
                        can_read = excluded.can_read, can_write = excluded.can_write,
                        can_send_as = excluded.can_send_as, can_send_on_behalf = excluded.can_send_on_behalf
                    """,
                arguments: [
                    s.id, m.id, rights.contains(.read), rights.contains(.write), rights.contains(.sendAs),
                    rights.contains(.sendOnBehalf), now,
                ])
            return try Self.delegation(
                try Row.fetchOne(
                    db, sql: Self.delegationSelect + " WHERE d.shared_account_id = ? AND d.member_account_id = ?",
                    arguments: [s.id, m.id])!)
        }
    }

    /// Removes `member` from `shared`; false when there was no such delegation.
    @discardableResult
    public func removeDelegation(shared: EmailAddress, member: EmailAddress) throws -> Bool {
        try write { db in
            let s = try Self.requireLive(db, shared), m = try Self.requireLive(db, member)
            try db.execute(
                sql: "DELETE FROM delegation WHERE shared_account_id = ? AND member_account_id = ?",
                arguments: [s.id, m.id])
            return db.changesCount > 0
        }
    }

    /// Every delegation, or those of one shared mailbox, ordered by shared then member address;
    /// deleted accounts are left out (their rights are gone).
    public func delegations(shared: EmailAddress? = nil) throws -> [Delegation] {
        try read { db in
            var sql = Self.delegationSelect + " WHERE s.status <> 'deleted' AND m.status <> 'deleted'"
            var args: [any DatabaseValueConvertible] = []
            if let shared {
                sql += " AND d.shared_account_id = ?"
                args.append(try Self.requireLive(db, shared).id)
            }
            return try Row.fetchAll(
                db, sql: sql + " ORDER BY s.address_key, m.address_key", arguments: StatementArguments(args)
            ).map(Self.delegation)
        }
    }

    /// The shared mailboxes `memberAccountID` may send for (send-as or send-on-behalf), each with
    /// its aliases, for the SMTP sender checks; only live shared mailboxes count.
    public func sendDelegations(memberAccountID: Int64) throws -> [(delegation: Delegation, aliases: [EmailAddress])] {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: Self.delegationSelect + """
                     WHERE d.member_account_id = ? AND s.status <> 'deleted' AND m.status = 'enabled'
                       AND (d.can_send_as = 1 OR d.can_send_on_behalf = 1)
                    """, arguments: [memberAccountID])
            return try rows.map { r in
                let d = try Self.delegation(r)
                let aliases = try String.fetchAll(
                    db, sql: "SELECT address FROM alias WHERE account_id = ? ORDER BY address_key",
                    arguments: [d.sharedAccountID]
                ).map { try EmailAddress($0) }
                return (d, aliases)
            }
        }
    }

    /// Records one delegated send in the audit table.
    public func recordDelegatedSend(
        sharedAccountID: Int64, memberAccountID: Int64, mode: DelegatedSend.Mode, messageID: String, recipients: Int,
        at: Int64? = nil
    ) throws {
        let when = at ?? now
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO delegated_send(shared_account_id, member_account_id, at, mode, message_id, recipients)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    sharedAccountID, memberAccountID, when, mode.rawValue, String(messageID.prefix(998)), recipients,
                ])
        }
    }

    /// Delegated sends of the shared mailbox `shared` with `from <= at < to`, oldest first.
    public func delegatedSends(shared: EmailAddress, from: Int64, to: Int64) throws -> [DelegatedSend] {
        try read { db in
            guard let s = try Self.liveAccount(db, shared) ?? Self.latestAccount(db, shared) else {
                throw DirectoryError.unknownAccount(shared.description)
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT s.address AS shared, m.address AS member, x.at, x.mode, x.message_id, x.recipients
                    FROM delegated_send x JOIN account s ON s.id = x.shared_account_id
                    JOIN account m ON m.id = x.member_account_id
                    WHERE x.shared_account_id = ? AND x.at >= ? AND x.at < ? ORDER BY x.at, x.id
                    """, arguments: [s.id, from, to]
            ).map { r in
                DelegatedSend(
                    shared: try EmailAddress(r["shared"] as String), member: try EmailAddress(r["member"] as String),
                    at: r["at"], mode: try r.decode(forColumn: "mode"), messageID: r["message_id"],
                    recipients: r["recipients"])
            }
        }
    }

    /// The most recent account (deleted or not) with this address: audits outlive mailboxes.
    static func latestAccount(_ db: Database, _ address: EmailAddress) throws -> Account? {
        try Row.fetchOne(
            db, sql: accountSelect + " WHERE a.address_key = ? ORDER BY a.id DESC LIMIT 1", arguments: [address.key]
        ).map(account)
    }
}
