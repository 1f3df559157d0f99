import GRDB
import MailCore

/// What a server needs to know about an address: the account it reaches and how.
public struct DirectoryEntry: Sendable, Equatable {
    public let accountID: Int64
    /// The account's own address (canonical spelling), also when looked up through an alias.
    public let address: EmailAddress
    /// The alias used in the lookup, if any.
    public let viaAlias: EmailAddress?
    public let status: AccountStatus
    public let kind: AccountKind
    /// Bytes; 0 means unlimited.
    public let quota: Int64
    public let passwordHash: Secret?
    /// Changes whenever the password, status, address, unit or kind changes (schema trigger).
    public let credentialGeneration: Int64
}

/// Why a login failed; for the server's log only. Clients get the same answer for every reason.
public enum AuthenticationFailure: String, Sendable, Equatable {
    case unknownAddress = "unknown address", disabled = "account disabled", noPassword = "no password set",
        wrongPassword = "wrong password", unsupportedHash = "stored hash scheme not supported"
}

/// The outcome of a login attempt.
public enum AuthenticationResult: Sendable, Equatable {
    case success(DirectoryEntry)
    case failure(AuthenticationFailure)
}

/// The directory as the SMTP and IMAP servers see it; another backend (e.g. PostgreSQL) can implement it.
public protocol DirectoryService: Sendable {
    /// The live account an address or alias reaches (deleted accounts are not found).
    func lookup(_ address: EmailAddress) throws -> DirectoryEntry?
    /// Verifies a login by account address; costs one password hash whatever the outcome, and upgrades
    /// an old-scheme hash after success.
    func authenticate(_ address: EmailAddress, password: Secret) throws -> AuthenticationResult
    /// The aliases that deliver to an account (for MAIL FROM checks).
    func aliases(ofAccount accountID: Int64) throws -> [EmailAddress]
    /// Adds usage counters in one transaction.
    func recordActivity(_ increments: [ActivityIncrement]) throws
}

/// `DirectoryService` backed by `govmail.sqlite`, with cached statements on the lookup path.
public struct SQLiteDirectory: DirectoryService {
    public let store: AccountStore
    public let verifier: any PasswordVerifying

    public init(store: AccountStore, verifier: any PasswordVerifying) {
        self.store = store
        self.verifier = verifier
    }

    public func lookup(_ address: EmailAddress) throws -> DirectoryEntry? {
        try store.read { db in
            let byAddress = try db.cachedStatement(
                sql: """
                    SELECT id, address, status, kind, quota, password_hash, credential_generation FROM account
                    WHERE address_key = ? AND status <> 'deleted'
                    """)
            if let row = try Row.fetchOne(byAddress, arguments: [address.key]) {
                return try Self.entry(row, viaAlias: nil)
            }
            let byAlias = try db.cachedStatement(
                sql: """
                    SELECT a.id, a.address, a.status, a.kind, a.quota, a.password_hash, a.credential_generation,
                        l.address AS alias
                    FROM alias l JOIN account a ON a.id = l.account_id
                    WHERE l.address_key = ? AND a.status <> 'deleted'
                    """)
            if let row = try Row.fetchOne(byAlias, arguments: [address.key]) {
                return try Self.entry(row, viaAlias: try EmailAddress(row["alias"] as String))
            }
            return nil
        }
    }

    static func entry(_ row: Row, viaAlias: EmailAddress?) throws -> DirectoryEntry {
        let hash: String? = row["password_hash"]
        return DirectoryEntry(
            accountID: row["id"], address: try EmailAddress(row["address"] as String), viaAlias: viaAlias,
            status: try row.decode(forColumn: "status"), kind: try row.decode(forColumn: "kind"), quota: row["quota"],
            passwordHash: hash.map(Secret.init), credentialGeneration: row["credential_generation"])
    }

    public func authenticate(_ address: EmailAddress, password: Secret) throws -> AuthenticationResult {
        // Logins use the account's own address, not an alias.
        guard let entry = try lookup(address), entry.viaAlias == nil else {
            verifier.checkDummy(password)
            return .failure(.unknownAddress)
        }
        guard let hash = entry.passwordHash else {
            verifier.checkDummy(password)
            return .failure(.noPassword)
        }
        let check = verifier.check(password, against: hash.unsafeText)
        guard entry.status == .enabled else { return .failure(.disabled) }
        switch check {
        case .mismatch: return .failure(.wrongPassword)
        case .unsupportedScheme: return .failure(.unsupportedHash)
        case .match(let upgraded):
            guard let upgraded else { return .success(entry) }
            try store.setPasswordHash(accountID: entry.accountID, Secret(upgraded))
            // The upgrade bumped the credential generation: hand back the entry as it is now.
            return .success(try lookup(address) ?? entry)
        }
    }

    public func aliases(ofAccount accountID: Int64) throws -> [EmailAddress] {
        try store.read { db in
            try String.fetchAll(
                db, sql: "SELECT address FROM alias WHERE account_id = ? ORDER BY address_key",
                arguments: [accountID]
            ).map { try EmailAddress($0) }
        }
    }

    public func recordActivity(_ increments: [ActivityIncrement]) throws { try store.recordActivity(increments) }
}
