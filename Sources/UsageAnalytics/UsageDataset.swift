import MailCore

/// Level of an administrative unit in the province's hierarchy.
public enum UnitLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case province, district, commune, other

    public static func < (a: UnitLevel, b: UnitLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// An organisational unit (agency, department, district, commune …) as the report sees it.
public struct UnitRecord: Sendable, Hashable, Codable {
    /// Stable short code, e.g. `STTTT` or `H-BINHLUC`.
    public var code: String
    /// Display name in Vietnamese, e.g. `Sở Thông tin và Truyền thông`.
    public var name: String
    public var level: UnitLevel
    /// Code of the parent unit; `nil` for a root.
    public var parentCode: String?

    public init(code: String, name: String, level: UnitLevel, parentCode: String? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }
}

/// One effective-dated change of a unit; replayed, they give the structure of any month.
///
/// `created` carries the name, level and parent; `renamed` the name; `levelChanged` the level; `moved`
/// the parent (nil = top level); `retired` ends the unit; `merged` ends it into `targetCode`, whose
/// staff its accounts count in from then on.
public struct UnitEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case created, renamed, levelChanged = "level_changed", moved, retired, merged
    }

    public var unitCode: String
    /// Seconds since the Unix epoch; the change holds from this instant on.
    public var at: Double
    public var kind: Kind
    public var name: String?
    public var level: UnitLevel?
    public var parentCode: String?
    public var targetCode: String?

    public init(
        unitCode: String, at: Double, kind: Kind, name: String? = nil, level: UnitLevel? = nil,
        parentCode: String? = nil, targetCode: String? = nil
    ) {
        self.unitCode = unitCode
        self.at = at
        self.kind = kind
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.targetCode = targetCode
    }
}

/// What an account is for; only `staff` accounts count in shares.
public enum AccountKind: String, Sendable, Codable, CaseIterable {
    case staff, shared, service
}

/// Who an account is, for the per-person inactive list (never used in published aggregates).
public struct AccountIdentity: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var address: EmailAddress
    public var displayName: String

    public init(accountID: Int64, address: EmailAddress, displayName: String) {
        self.accountID = accountID
        self.address = address
        self.displayName = displayName
    }
}

/// One row of account history. `unitCode` and `kind` are the account's state *after* the event.
///
/// Effect on the enabled state: `created` and `enabled` enable, `disabled` and `deleted` disable,
/// `moved` keeps it. An account created disabled is `created` followed by `disabled` at the same time.
public struct AccountEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case created, enabled, disabled, moved, deleted }

    public var accountID: Int64
    /// Seconds since the Unix epoch.
    public var at: Double
    public var kind: Kind
    public var unitCode: String
    public var accountKind: AccountKind

    public init(accountID: Int64, at: Double, kind: Kind, unitCode: String, accountKind: AccountKind) {
        self.accountID = accountID
        self.at = at
        self.kind = kind
        self.unitCode = unitCode
        self.accountKind = accountKind
    }
}

/// Counters of one account on one calendar day (in the report's time zone).
public struct DailyActivity: Sendable, Hashable, Codable {
    public var accountID: Int64
    /// Calendar day `YYYY-MM-DD` in the configured time zone.
    public var day: String
    public var imapLogins: Int
    public var smtpAuths: Int
    public var messagesSent: Int
    public var sentInternalRecipients: Int
    public var sentExternalRecipients: Int
    public var messagesSigned: Int
    public var messagesReceived: Int
    /// Of `messagesSigned`, those whose S/MIME signature verified (issue 17).
    public var messagesSignedVerified: Int

    public init(
        accountID: Int64, day: String, imapLogins: Int = 0, smtpAuths: Int = 0, messagesSent: Int = 0,
        sentInternalRecipients: Int = 0, sentExternalRecipients: Int = 0, messagesSigned: Int = 0,
        messagesReceived: Int = 0, messagesSignedVerified: Int = 0
    ) {
        self.accountID = accountID
        self.day = day
        self.imapLogins = imapLogins
        self.smtpAuths = smtpAuths
        self.messagesSent = messagesSent
        self.sentInternalRecipients = sentInternalRecipients
        self.sentExternalRecipients = sentExternalRecipients
        self.messagesSigned = messagesSigned
        self.messagesReceived = messagesReceived
        self.messagesSignedVerified = messagesSignedVerified
    }

    /// Whether this day counts as a day of use: an IMAP login, an SMTP AUTH or a submitted message.
    public var isUse: Bool { imapLogins > 0 || smtpAuths > 0 || messagesSent > 0 }
}

/// How often one account's client software (IMAP ID `name`) was seen on one day.
public struct DailyClientUse: Sendable, Hashable, Codable {
    public var accountID: Int64
    public var day: String
    public var client: String
    public var count: Int

    public init(accountID: Int64, day: String, client: String, count: Int) {
        self.accountID = accountID
        self.day = day
        self.client = client
        self.count = count
    }
}

/// Everything the report reads. The SQLite directory provides it through an adapter; tests and the
/// benchmark use `InMemoryUsageDataset`. Implementations return *all* history (not only the month),
/// because whether an account existed in a month depends on events before it.
public protocol UsageDataset {
    /// All units known now.
    func units() throws -> [UnitRecord]
    /// Effective-dated unit changes, in any order; empty when the units have always been as `units()`.
    func unitHistory() throws -> [UnitEvent]
    /// Every account that ever existed, including deleted ones.
    func accounts() throws -> [AccountIdentity]
    /// Every history event, in any order (ties at the same instant keep their order).
    func history() throws -> [AccountEvent]
    /// Daily counters whose day lies in `month`.
    func activity(in month: ReportMonth) throws -> [DailyActivity]
    /// Client names seen on days in `month`.
    func clientUse(in month: ReportMonth) throws -> [DailyClientUse]
}

extension UsageDataset {
    public func unitHistory() throws -> [UnitEvent] { [] }
}

/// A `UsageDataset` held in memory; activity is indexed by month on creation.
public struct InMemoryUsageDataset: UsageDataset, Sendable {
    public var unitList: [UnitRecord]
    public var accountList: [AccountIdentity]
    public var events: [AccountEvent]
    public var unitEvents: [UnitEvent]
    private var activityByMonth: [String: [DailyActivity]] = [:]
    private var clientsByMonth: [String: [DailyClientUse]] = [:]

    public init(
        units: [UnitRecord], accounts: [AccountIdentity], history: [AccountEvent],
        activity: [DailyActivity], clientUse: [DailyClientUse] = [], unitHistory: [UnitEvent] = []
    ) {
        unitList = units
        unitEvents = unitHistory
        accountList = accounts
        events = history
        for row in activity { activityByMonth[String(row.day.prefix(7)), default: []].append(row) }
        for row in clientUse { clientsByMonth[String(row.day.prefix(7)), default: []].append(row) }
    }

    public func units() -> [UnitRecord] { unitList }
    public func accounts() -> [AccountIdentity] { accountList }
    public func history() -> [AccountEvent] { events }
    public func unitHistory() -> [UnitEvent] { unitEvents }
    public func activity(in month: ReportMonth) -> [DailyActivity] { activityByMonth[month.description] ?? [] }
    public func clientUse(in month: ReportMonth) -> [DailyClientUse] { clientsByMonth[month.description] ?? [] }
}
