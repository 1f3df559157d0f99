/// Aggregate figures for a group of staff accounts (a unit, a level or the whole organisation).
public struct UsageFigures: Sendable, Equatable, Codable {
    /// Staff accounts of the month (kind staff, enabled on at least one day).
    public var staff: Int
    /// Staff who used mail on at least `active_min_days` distinct days.
    public var active: Int
    /// Staff who used mail on at least one day (includes `active`).
    public var usedAtLeastOnce: Int
    /// Staff who did not use mail on any day.
    public var notUsed: Int
    /// active / staff, or nil when there are no staff.
    public var share: Double?
    /// share − previous month's share for the same group (0.05 = +5 percentage points), nil if either is nil.
    public var shareChange: Double?
    public var messagesSent: Int
    public var messagesSigned: Int
    public var sentInternalRecipients: Int
    public var sentExternalRecipients: Int
    public var messagesReceived: Int
    /// messages sent by the group's staff / active staff, nil when nobody is active.
    public var messagesSentPerActive: Double?
    /// messages signed / messages sent, nil when nothing was sent.
    public var signedShare: Double?
    /// Of `messagesSigned`, those whose signature verified (Authentication-Results smime=pass).
    public var messagesSignedVerified: Int
    /// messages signed and verified / messages sent, nil when nothing was sent.
    public var signedVerifiedShare: Double?
    /// share is below the target.
    public var belowTarget: Bool
    /// More active staff needed to reach the target share (0 when it is reached).
    public var activeNeededForTarget: Int

    enum CodingKeys: String, CodingKey {
        case staff, active, usedAtLeastOnce = "used_at_least_once", notUsed = "not_used", share
        case shareChange = "share_change", messagesSent = "messages_sent", messagesSigned = "messages_signed"
        case sentInternalRecipients = "sent_internal_recipients", sentExternalRecipients = "sent_external_recipients"
        case messagesReceived = "messages_received", messagesSentPerActive = "messages_sent_per_active"
        case signedShare = "signed_share", belowTarget = "below_target"
        case messagesSignedVerified = "messages_signed_verified", signedVerifiedShare = "signed_verified_share"
        case activeNeededForTarget = "active_needed_for_target"
    }
}

/// One published unit: its own staff (plus small sub-units merged into it) and the rolled-up total.
public struct UnitRow: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    /// Nearest published ancestor, nil for a top-level row.
    public var parentCode: String?
    /// Depth in the published tree (0 = top).
    public var depth: Int
    /// Codes of sub-units too small to publish whose staff are counted in `own`.
    public var mergedUnits: [String]
    /// The unit on its own, including merged small sub-units.
    public var own: UsageFigures
    /// The unit with all its sub-units.
    public var rolledUp: UsageFigures
    /// The unit's 12-month trend (rolled up), each month published as that month's report would.
    public var trend: [TrendPoint] = []

    enum CodingKeys: String, CodingKey {
        case code, name, level, parentCode = "parent_code", depth, mergedUnits = "merged_units", own
        case rolledUp = "rolled_up", trend
    }
}

/// Published units ranked for leadership, on their own figures (the same share as the chart).
public struct Ranking: Sendable, Equatable, Codable {
    /// Codes by own share, highest first (units without a share left out).
    public var byShare: [String]
    /// Codes by own change in share, largest rise first (units without a change left out).
    public var byChange: [String]

    enum CodingKeys: String, CodingKey { case byShare = "by_share", byChange = "by_change" }

    init(_ rows: [UnitRow]) {
        let order = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1.code, $0) })
        func ranked(_ value: (UnitRow) -> Double?) -> [String] {
            rows.compactMap { row in value(row).map { (row.code, $0) } }
                .sorted { ($1.1, order[$0.0]!) < ($0.1, order[$1.0]!) }
                .map(\.0)
        }
        byShare = ranked { $0.own.share }
        byChange = ranked { $0.own.shareChange }
    }
}

/// All staff of units at one level.
public struct LevelRow: Sendable, Equatable, Codable {
    public var level: UnitLevel
    public var figures: UsageFigures
}

/// One month of the trend.
/// A month in which the scope was not a published unit (below the privacy floor, not yet created or
/// merged away) has `suppressed` set and no figures.
public struct TrendPoint: Sendable, Equatable, Codable {
    public var month: ReportMonth
    public var staff: Int?
    public var active: Int?
    public var share: Double?
    public var suppressed: Bool?
}

/// How many staff used a mail client (IMAP ID name) during the month.
public struct ClientRow: Sendable, Equatable, Codable {
    /// Client name; nil pools the clients used by fewer staff than the minimum unit size ("other").
    public var client: String?
    /// Distinct staff accounts that used it.
    public var accounts: Int
    /// Sessions seen (sum of daily counts).
    public var sessions: Int
}

/// The monthly usage report: aggregates only, ready for any renderer. JSON schema: docs/REPORT-SCHEMA.md.
public struct MonthlyReport: Sendable, Equatable, Codable {
    /// Bumped when a field changes meaning or disappears; added fields do not bump it.
    public static let currentSchemaVersion = 3
    public static let schemaName = "govmail.report.monthly"

    public var schema: String = MonthlyReport.schemaName
    public var schemaVersion: Int = MonthlyReport.currentSchemaVersion
    public var month: ReportMonth
    public var previousMonth: ReportMonth
    public var settings: ReportSettings
    /// When the report was made, ISO 8601 in the configured time zone (nil when not given).
    public var generatedAt: String?
    /// The days covered and whether the month was still running.
    public var period: ReportPeriod
    /// The unit the report is limited to (`--unit`), nil for the whole organisation.
    public var scopeUnitCode: String?
    public var scopeUnitName: String?
    /// Totals for the whole scope (organisation or `--unit` subtree).
    public var organisation: UsageFigures
    /// Published units in tree order (each followed by its sub-units).
    public var units: [UnitRow]
    public var levels: [LevelRow]
    /// 12 months ending with `month`, oldest first.
    public var trend: [TrendPoint]
    public var clients: [ClientRow]
    /// Codes of published units whose own share is below the target, in tree order.
    public var unitsBelowTarget: [String]
    public var ranking: Ranking
    /// Units not published because they had fewer staff than the minimum (merged into a parent or,
    /// for top-level units, counted only in the totals).
    public var unpublishedUnitCount: Int

    enum CodingKeys: String, CodingKey {
        case schema, schemaVersion = "schema_version", month, previousMonth = "previous_month", settings
        case generatedAt = "generated_at", period
        case scopeUnitCode = "scope_unit_code", scopeUnitName = "scope_unit_name", organisation, units, levels
        case trend, clients, unitsBelowTarget = "units_below_target", ranking
        case unpublishedUnitCount = "unpublished_unit_count"
    }
}

/// A staff account that was not active in the month, for its unit administrator.
public struct InactiveAccount: Sendable, Equatable, Codable {
    public var address: String
    public var displayName: String
    public var unitCode: String
    public var unitName: String
    /// Distinct days of use in the month (below `active_min_days`).
    public var daysUsed: Int
    /// The account's state today (after the latest history event): only `enabled` people can be
    /// followed up; disabled and deleted accounts are listed so the month adds up.
    public var status: CurrentStatus = .enabled

    public enum CurrentStatus: String, Sendable, Equatable, Codable { case enabled, disabled, deleted }

    enum CodingKeys: String, CodingKey {
        case address, displayName = "display_name", unitCode = "unit_code", unitName = "unit_name"
        case daysUsed = "days_used", status
    }
}

/// The per-person list of inactive staff accounts (not for publication).
public struct InactiveAccountsReport: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 1
    public static let schemaName = "govmail.report.inactive"

    public var schema: String = InactiveAccountsReport.schemaName
    public var schemaVersion: Int = InactiveAccountsReport.currentSchemaVersion
    public var month: ReportMonth
    public var settings: ReportSettings
    public var scopeUnitCode: String?
    public var scopeUnitName: String?
    /// Staff accounts in scope (to put the list in proportion).
    public var staff: Int
    /// Sorted by unit code, then address.
    public var accounts: [InactiveAccount]

    enum CodingKeys: String, CodingKey {
        case schema, schemaVersion = "schema_version", month, settings, scopeUnitCode = "scope_unit_code"
        case scopeUnitName = "scope_unit_name", staff, accounts
    }
}
