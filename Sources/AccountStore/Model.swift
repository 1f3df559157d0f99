import MailCore

/// Level of an organisational unit in the province's hierarchy.
public enum UnitLevel: String, Sendable, Codable, CaseIterable {
    case province, district, commune, other
}

/// What an account is for; only staff accounts count in usage reports.
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    case staff, shared, service
}

/// Whether an account may log in and receive mail. Deleted accounts stay as rows for reports.
public enum AccountStatus: String, Sendable, Codable, CaseIterable {
    case enabled, disabled, deleted
}

/// A mail domain this server is the destination for.
public struct DomainRecord: Sendable, Equatable, Codable {
    public let id: Int64
    public let name: Domain
    public let createdAt: Int64
    /// Accounts (not deleted) in the domain.
    public let accountCount: Int
}

/// Whether a unit still exists: retired and merged units stay as rows for past months' reports.
public enum UnitStatus: String, Sendable, Codable, CaseIterable {
    case active, retired, merged
}

/// An organisational unit (agency, district, commune) with its optional parent, as it is now.
public struct OrgUnit: Sendable, Equatable, Codable {
    public let id: Int64
    public let code: String
    public let name: String
    public let level: UnitLevel
    public let parentID: Int64?
    public let parentCode: String?
    public let createdAt: Int64
    public let status: UnitStatus
}

/// A mailbox account. The password hash is a `Secret` and is never encoded (JSON shows `hasPassword`).
public struct Account: Sendable, Equatable, Encodable {
    public let id: Int64
    public let address: EmailAddress
    public let displayName: String
    public let unitID: Int64
    public let unitCode: String
    public let kind: AccountKind
    public let status: AccountStatus
    /// Bytes; 0 means unlimited.
    public let quota: Int64
    public let passwordHash: Secret?
    public let createdAt: Int64
    public let updatedAt: Int64
    public let deletedAt: Int64?

    public var hasPassword: Bool { passwordHash != nil }

    enum CodingKeys: String, CodingKey {
        case id, address, displayName, unitCode, kind, status, quota, hasPassword, createdAt, updatedAt, deletedAt
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(address, forKey: .address)
        try c.encode(displayName, forKey: .displayName)
        try c.encode(unitCode, forKey: .unitCode)
        try c.encode(kind, forKey: .kind)
        try c.encode(status, forKey: .status)
        try c.encode(quota, forKey: .quota)
        try c.encode(hasPassword, forKey: .hasPassword)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
        try c.encodeIfPresent(deletedAt, forKey: .deletedAt)
    }
}

/// What is needed to create an account.
public struct NewAccount: Sendable {
    public var address: EmailAddress
    public var displayName: String
    public var unitID: Int64
    public var kind: AccountKind
    public var status: AccountStatus
    public var quota: Int64
    public var passwordHash: Secret?

    public init(
        address: EmailAddress, displayName: String, unitID: Int64, kind: AccountKind = .staff,
        status: AccountStatus = .enabled, quota: Int64, passwordHash: Secret? = nil
    ) {
        self.address = address
        self.displayName = displayName
        self.unitID = unitID
        self.kind = kind
        self.status = status
        self.quota = quota
        self.passwordHash = passwordHash
    }
}

/// An alias address that delivers to an account.
public struct Alias: Sendable, Equatable, Codable {
    public let id: Int64
    public let address: EmailAddress
    public let accountID: Int64
    public let target: EmailAddress
    public let createdAt: Int64
}

/// Events kept in the account history; each row also records the state after the event.
public enum HistoryEvent: String, Sendable, Codable, CaseIterable {
    case created, disabled, enabled, moved, kindChanged = "kind_changed", deleted
}

/// One account history row: the event and the account's state right after it.
public struct HistoryEntry: Sendable, Equatable, Codable {
    public let accountID: Int64
    public let at: Int64
    public let event: HistoryEvent
    public let unitID: Int64
    public let kind: AccountKind
    public let enabled: Bool
}

/// An account that was enabled at some moment of a period, with its unit and kind at the last such moment.
public struct EnabledAccount: Sendable, Equatable, Codable {
    public let accountID: Int64
    public let address: String
    public let unitID: Int64
    public let kind: AccountKind
}

/// One change of a roster import, applied with the others in a single transaction.
public enum AccountChange: Sendable {
    case create(NewAccount)
    case update(accountID: Int64, displayName: String?, unitID: Int64?, kind: AccountKind?)
    case setEnabled(accountID: Int64, Bool)
}
