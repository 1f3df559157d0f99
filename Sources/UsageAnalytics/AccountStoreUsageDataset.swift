import AccountStore
import Foundation
import GRDB
import GRDBSQLite
import MailCore

/// The `UsageDataset` of the SQLite staff directory: units, every account ever (deleted too), all
/// account history, the activity of chosen months (from the monthly aggregates, see `readActivity`)
/// and their client names, read in one snapshot with one query per table.
///
/// ```swift
/// let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: month)
/// let report = try UsageReports.monthly(from: data, month: month, settings: settings)
/// ```
public struct AccountStoreUsageDataset: UsageDataset, Sendable {
    public let unitList: [UnitRecord]
    public let unitEvents: [UnitEvent]
    public let accountList: [AccountIdentity]
    public let events: [AccountEvent]
    /// Months whose rows were read; others are read on demand.
    public let loadedActivityMonths: Set<ReportMonth>
    public let loadedClientMonths: Set<ReportMonth>
    private let activityByMonth: [ReportMonth: [DailyActivity]]
    private let clientsByMonth: [ReportMonth: [DailyClientUse]]
    private let store: AccountStore

    /// Reads units, accounts, history, the activity of `activityMonths` and the client names of
    /// `clientMonths`, all in one read transaction.
    public init(store: AccountStore, activityMonths: [ReportMonth], clientMonths: [ReportMonth]) throws {
        self.store = store
        let activityMonths = Set(activityMonths), clientMonths = Set(clientMonths)
        let snapshot = try store.read { db in
            let (units, codeByID) = try Self.readUnits(db)
            return (
                units: units, unitHistory: try Self.readUnitHistory(db), accounts: try Self.readAccounts(db),
                history: try Self.readHistory(db, codeByID),
                activity: try Self.readActivity(db, activityMonths),
                clients: try Self.readClientUse(db, clientMonths)
            )
        }
        unitList = snapshot.units
        unitEvents = snapshot.unitHistory
        accountList = snapshot.accounts
        events = snapshot.history
        activityByMonth = snapshot.activity
        clientsByMonth = snapshot.clients
        loadedActivityMonths = activityMonths
        loadedClientMonths = clientMonths
    }

    /// Everything `UsageReports.monthly` reads for `month`: the months of its trend (which include
    /// the previous month) and the client names of the month itself.
    public static func forMonthlyReport(store: AccountStore, month: ReportMonth) throws -> AccountStoreUsageDataset {
        try AccountStoreUsageDataset(
            store: store, activityMonths: month.trailing(UsageReports.trendLength), clientMonths: [month])
    }

    /// Everything `UsageReports.inactive` reads for `month`.
    public static func forInactiveList(store: AccountStore, month: ReportMonth) throws -> AccountStoreUsageDataset {
        try AccountStoreUsageDataset(store: store, activityMonths: [month], clientMonths: [])
    }

    public func units() -> [UnitRecord] { unitList }
    public func unitHistory() -> [UnitEvent] { unitEvents }
    public func accounts() -> [AccountIdentity] { accountList }
    public func history() -> [AccountEvent] { events }

    public func activity(in month: ReportMonth) throws -> [DailyActivity] {
        if loadedActivityMonths.contains(month) { return activityByMonth[month] ?? [] }
        return try store.read { db in try Self.readActivity(db, [month])[month] ?? [] }
    }

    public func clientUse(in month: ReportMonth) throws -> [DailyClientUse] {
        if loadedClientMonths.contains(month) { return clientsByMonth[month] ?? [] }
        return try store.read { db in try Self.readClientUse(db, [month])[month] ?? [] }
    }

    /// A row the directory should never hold (its CHECK constraints forbid it); says what to do.
    public struct UnreadableDirectory: Error, CustomStringConvertible {
        public let description: String
    }

    // MARK: - Reading

    static func readUnits(_ db: Database) throws -> ([UnitRecord], [Int64: String]) {
        var units: [UnitRecord] = []
        var codeByID: [Int64: String] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT u.id, u.code, u.name, u.level, p.code FROM unit u LEFT JOIN unit p ON p.id = u.parent_id ORDER BY u.code
                """)
        while let row = try rows.next() {
            let code: String = row[1]
            let levelText: String = row[3]
            guard let level = UnitLevel(rawValue: levelText) else {
                throw UnreadableDirectory(
                    description:
                        "unit \(code) has the unknown level \"\(levelText)\"; fix it with `govmail unit rename \(code) --name … --level province|district|commune|other`"
                )
            }
            units.append(UnitRecord(code: code, name: row[2], level: level, parentCode: row[4]))
            codeByID[row[0]] = code
        }
        return (units, codeByID)
    }

    /// The effective-dated unit changes (`unit_history`), as the report replays them.
    static func readUnitHistory(_ db: Database) throws -> [UnitEvent] {
        try AccountStore.unitHistory(db).map { entry in
            let kind: UnitEvent.Kind
            switch entry.event {
            case .created: kind = .created
            case .renamed: kind = .renamed
            case .levelChanged: kind = .levelChanged
            case .moved: kind = .moved
            case .retired: kind = .retired
            case .merged: kind = .merged
            }
            return UnitEvent(
                unitCode: entry.unitCode, at: Double(entry.at), kind: kind, name: entry.name,
                level: entry.level.flatMap { UnitLevel(rawValue: $0.rawValue) }, parentCode: entry.parentCode,
                targetCode: entry.targetCode)
        }
    }

    static func readAccounts(_ db: Database) throws -> [AccountIdentity] {
        var accounts: [AccountIdentity] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT id, address, display_name FROM account ORDER BY id")
        while let row = try rows.next() {
            // Stored addresses were validated when written; one that no longer parses is listed
            // as "account #id" by the inactive list rather than failing the whole report.
            guard let address = try? EmailAddress(row[1] as String) else { continue }
            accounts.append(AccountIdentity(accountID: row[0], address: address, displayName: row[2]))
        }
        return accounts
    }

    /// Maps AccountStore history rows (event + state after it) to `AccountEvent`s. The stored
    /// `enabled` flag is the truth: when the event kind alone would leave another enabled state
    /// (an account created disabled, or any row whose flag differs), an `enabled`/`disabled` event
    /// at the same instant follows, so replaying the events gives exactly the stored states.
    /// `kind_changed` becomes `moved` (it keeps the enabled state and carries the new kind).
    static func readHistory(_ db: Database, _ codeByID: [Int64: String]) throws -> [AccountEvent] {
        var events: [AccountEvent] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT account_id, at, event, unit_id, kind, enabled FROM account_history ORDER BY account_id, at, id
                """)
        var currentAccount: Int64 = -1
        var enabled = false
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if id != currentAccount {
                currentAccount = id
                enabled = false
            }
            let at = Double(row[1] as Int64)
            let unitID: Int64 = row[3]
            let kindText: String = row[4]
            guard let unitCode = codeByID[unitID], let kind = AccountKind(rawValue: kindText) else {
                throw UnreadableDirectory(
                    description:
                        "the history of account #\(id) names unit #\(unitID) or kind \"\(kindText)\", which do not exist; restore govmail.sqlite from a backup"
                )
            }
            let storedEnabled = (row[5] as Int64) != 0
            let mapped: AccountEvent.Kind
            switch row[2] as String {
            case "created": mapped = .created; enabled = true
            case "enabled": mapped = .enabled; enabled = true
            case "disabled": mapped = .disabled; enabled = false
            case "deleted": mapped = .deleted; enabled = false
            default: mapped = .moved  // "moved", "kind_changed"
            }
            events.append(AccountEvent(accountID: id, at: at, kind: mapped, unitCode: unitCode, accountKind: kind))
            if enabled != storedEnabled {
                enabled = storedEnabled
                events.append(
                    AccountEvent(
                        accountID: id, at: at, kind: storedEnabled ? .enabled : .disabled, unitCode: unitCode,
                        accountKind: kind))
            }
        }
        return events
    }

    /// Daily counters of the given months, grouped by month, rebuilt from the monthly aggregates
    /// (`activity_monthly`, kept by triggers on every daily write and never pruned): one query,
    /// one row per account and month instead of one per day.
    ///
    /// The rows returned are one per day of use (from the month's `use_days` bits) and carry the
    /// month's exact totals: each day of use but the last gets one unit of use (an IMAP login, else
    /// an SMTP AUTH, else a submission, taken from the month's totals) and the last day the rest
    /// with all other counters; an account with no day of use gets one row on day 1 holding what it
    /// received. So days of use and every monthly sum are exact (what the report counts); how the
    /// counters were spread over the days is not kept.
    static func readActivity(_ db: Database, _ months: Set<ReportMonth>) throws -> [ReportMonth: [DailyActivity]] {
        guard let low = months.min(), let high = months.max() else { return [:] }
        // Rows go into one array per month, found once per monthly row (not per day).
        let ordered = months.sorted()
        var buckets = Array(repeating: [DailyActivity](), count: ordered.count)
        var days: [String: (Int, [String])] = [:]
        for (i, m) in ordered.enumerated() {
            days[m.description] = (i, (1...m.dayCount).map { "\(m.description)-\($0 < 10 ? "0" : "")\($0)" })
        }
        let source = months.count > 2 ? "activity_monthly NOT INDEXED" : "activity_monthly"
        let statement = try db.makeStatement(
            sql: """
                SELECT account_id, month, use_days, imap_logins, smtp_auths, messages_sent, sent_internal_recipients,
                       sent_external_recipients, messages_signed, messages_received, messages_signed_verified
                FROM \(source) WHERE month BETWEEN ? AND ?
                """)
        statement.arguments = [low.description, high.description]
        // Read columns straight from the SQLite statement while GRDB steps it: decoding through
        // `Row` costs several times more per row.
        let raw = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil {
            guard let (month, dayNames) = days[text(raw, 1)] else { continue }  // month: index in `buckets`
            let id = sqlite3_column_int64(raw, 0)
            var mask = UInt32(truncatingIfNeeded: sqlite3_column_int64(raw, 2)) & ((1 << UInt32(dayNames.count)) - 1)
            var logins = int(raw, 3), auths = int(raw, 4), sent = int(raw, 5)
            let last = DailyActivity(
                accountID: id, day: "", sentInternalRecipients: int(raw, 6), sentExternalRecipients: int(raw, 7),
                messagesSigned: int(raw, 8), messagesReceived: int(raw, 9), messagesSignedVerified: int(raw, 10))
            guard mask != 0 else {
                var row = last
                row.day = dayNames[0]
                (row.imapLogins, row.smtpAuths, row.messagesSent) = (logins, auths, sent)
                buckets[month].append(row)
                continue
            }
            while mask & (mask - 1) != 0 {  // every day of use but the last
                let day = dayNames[mask.trailingZeroBitCount]
                mask &= mask - 1
                if logins > 0 {
                    logins -= 1
                    buckets[month].append(DailyActivity(accountID: id, day: day, imapLogins: 1))
                } else if auths > 0 {
                    auths -= 1
                    buckets[month].append(DailyActivity(accountID: id, day: day, smtpAuths: 1))
                } else if sent > 0 {
                    sent -= 1
                    buckets[month].append(DailyActivity(accountID: id, day: day, messagesSent: 1))
                }
            }
            var row = last
            row.day = dayNames[mask.trailingZeroBitCount]
            (row.imapLogins, row.smtpAuths, row.messagesSent) = (logins, auths, sent)
            buckets[month].append(row)
        }
        return Dictionary(uniqueKeysWithValues: zip(ordered, buckets))
    }

    private static func int(_ statement: SQLiteStatement, _ column: Int32) -> Int {
        Int(sqlite3_column_int64(statement, column))
    }

    private static func text(_ statement: SQLiteStatement, _ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(statement, column) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// IMAP ID client names of the given months, grouped by month, from the monthly aggregates
    /// (`activity_client_monthly`): one row per account, month and name, dated the 1st of the
    /// month, with the month's logins. The report counts distinct accounts and logins per name.
    static func readClientUse(_ db: Database, _ months: Set<ReportMonth>) throws -> [ReportMonth: [DailyClientUse]] {
        guard let low = months.min(), let high = months.max() else { return [:] }
        let ordered = months.sorted()
        var buckets = Array(repeating: [DailyClientUse](), count: ordered.count)
        var firstDays: [String: (Int, String)] = [:]
        for (i, m) in ordered.enumerated() { firstDays[m.description] = (i, m.description + "-01") }
        let source = months.count > 2 ? "activity_client_monthly NOT INDEXED" : "activity_client_monthly"
        let statement = try db.makeStatement(
            sql: """
                SELECT account_id, month, client_name, logins FROM \(source) WHERE month BETWEEN ? AND ?
                """)
        statement.arguments = [low.description, high.description]
        let raw = statement.sqliteStatement
        let rows = try Row.fetchCursor(statement)
        while try rows.next() != nil {
            guard let (month, day) = firstDays[text(raw, 1)] else { continue }
            buckets[month].append(
                DailyClientUse(
                    accountID: sqlite3_column_int64(raw, 0), day: day, client: text(raw, 2), count: int(raw, 3)))
        }
        return Dictionary(uniqueKeysWithValues: zip(ordered, buckets))
    }
}
