import AccountStore
import Foundation
import GRDB
import MailCore
import UsageAnalytics

/// The whole `govmail report monthly` path on a real SQLite directory: the synthetic province of
/// `AnalyticsBench` (20,000 staff in 300 units, 12 months of daily activity) is written into
/// govmail.sqlite (raw inserts in one transaction, not timed), then the adapter read, the
/// computation and each renderer are timed. Options: `--staff N`, `--units N`, `--runs N`,
/// `--dir DIR` (keep the database there; an existing one is reused).
enum ReportSQLiteBench {
    static func run(_ args: [String]) throws {
        var staff = 20_000, unitCount = 300, runs = 3
        var dir: String?
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--staff": staff = Int(value) ?? staff
            case "--units": unitCount = max(3, Int(value) ?? unitCount)
            case "--runs": runs = max(1, Int(value) ?? runs)
            case "--dir": dir = value
            default: throw BenchError("unknown option \(args[i]); use --staff N, --units N, --runs N, --dir DIR")
            }
            i += 2
        }
        let month = try ReportMonth("2026-10")
        let stateDir = dir ?? NSTemporaryDirectory() + "govmail-bench-report-\(getpid())"
        defer { if dir == nil { try? FileManager.default.removeItem(atPath: stateDir) } }
        var clock = Stopwatch()
        let synthetic = try SyntheticDataset.make(staff: staff, units: unitCount, month: month)
        let store = try AccountStore.open(stateDir: stateDir)
        let existing = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM account") ?? 0 }
        if existing == 0 {
            try write(synthetic.dataset, months: month.trailing(UsageReports.trendLength), into: store)
            print(
                "report-sqlite: wrote \(synthetic.accountList.count) accounts, \(synthetic.activityRows) daily rows and \(synthetic.clientRows) client rows into \(stateDir) in \(clock.lap()) (not counted)"
            )
        } else {
            print("report-sqlite: reusing \(existing) accounts in \(stateDir)")
            _ = clock.lap()
        }
        let size =
            (try? FileManager.default.attributesOfItem(atPath: AccountStore.databasePath(stateDir: stateDir))[.size]
            as? NSNumber)?.intValue ?? 0
        print(String(format: "  database size %.1f MiB", Double(size) / 1_048_576))

        let settings = ReportSettings()
        let reference = try UsageReports.monthly(from: synthetic.dataset, month: month, settings: settings)
        for run in 1...runs {
            _ = clock.lap()
            let cpuStart = processCPUSeconds()
            let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: month)
            let read = clock.lapSeconds()
            let report = try UsageReports.monthly(from: data, month: month, settings: settings)
            let compute = clock.lapSeconds()
            var renders: [String] = []
            var html = 0.0
            for format in ReportFormat.allCases {
                let bytes = try ReportRenderer.render(report, format: format, language: .vi)
                let t = clock.lapSeconds()
                if format == .html { html = t }
                renders.append(String(format: "%@ %.1f ms (%d KiB)", format.rawValue, t * 1000, bytes.count / 1024))
            }
            let rows = data.loadedActivityMonths.reduce(0) { $0 + ((try? data.activity(in: $1).count) ?? 0) }
            print(
                String(
                    format:
                        "  run %d: read %.0f ms (%d units, %d accounts, %d history events, %d activity rows = days of use), compute %.0f ms",
                    run, read * 1000, data.unitList.count, data.accountList.count, data.events.count, rows,
                    compute * 1000))
            print("         render " + renders.joined(separator: ", "))
            print(
                String(
                    format:
                        "         whole `report monthly --format html`: %.0f ms wall, %.0f ms CPU (all four renderers included); same figures as in memory: %@",
                    (read + compute + html) * 1000, (processCPUSeconds() - cpuStart) * 1000,
                    report == reference ? "yes" : "NO"))
        }
        _ = clock.lap()
        let inactiveData = try AccountStoreUsageDataset.forInactiveList(store: store, month: month)
        let inactive = try UsageReports.inactive(from: inactiveData, month: month, settings: settings)
        _ = try ReportRenderer.render(inactive, format: .csv, language: .vi)
        print(
            String(
                format: "  whole `report inactive --format csv` (whole organisation, %d people): %.0f ms",
                inactive.accounts.count, clock.lapSeconds() * 1000))
        _ = clock.lap()
        let pruned = try store.pruneActivity(before: "2000-01-01")
        print(
            String(
                format: "  retention check with nothing to prune: %.1f ms (%d rows)", clock.lapSeconds() * 1000,
                pruned.dailyRows))
    }

    /// CPU time of this process (the machine may be shared: wall time alone can mislead).
    static func processCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Writes the synthetic province as AccountStore would have: units, accounts with their final
    /// state, history rows with the state after each event, daily counters and client names.
    static func write(_ data: InMemoryUsageDataset, months: [ReportMonth], into store: AccountStore) throws {
        let activity = months.flatMap { data.activity(in: $0) }
        let clients = months.flatMap { data.clientUse(in: $0) }
        let units = data.unitList, accounts = data.accountList, events = data.events
        try store.unsafeWrite { db in
            try db.execute(sql: "INSERT INTO domain(name, created_at) VALUES ('tinh.gov.vn', 0)")
            let domainID = db.lastInsertedRowID
            var unitIDs: [String: Int64] = [:]
            for u in units {  // parents come before their sub-units
                try db.execute(
                    sql: "INSERT INTO unit(code, name, level, parent_id, created_at) VALUES (?, ?, ?, ?, 0)",
                    arguments: [u.code, u.name, u.level.rawValue, u.parentCode.flatMap { unitIDs[$0] }])
                unitIDs[u.code] = db.lastInsertedRowID
            }
            var byAccount: [Int64: [AccountEvent]] = [:]
            for e in events { byAccount[e.accountID, default: []].append(e) }
            let insertAccount = try db.makeStatement(
                sql: """
                    INSERT INTO account(id, address, address_key, domain_id, display_name, unit_id, kind, status, quota,
                                        created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
                    """)
            let insertHistory = try db.makeStatement(
                sql: """
                    INSERT INTO account_history(account_id, at, event, unit_id, kind, enabled) VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for a in accounts {
                let list = (byAccount[a.accountID] ?? []).sorted { $0.at < $1.at }
                var enabled = false
                var unit = list.first.map { unitIDs[$0.unitCode]! } ?? unitIDs[units[0].code]!
                var rows: [[any DatabaseValueConvertible]] = []
                for e in list {
                    switch e.kind {
                    case .created, .enabled: enabled = true
                    case .disabled, .deleted: enabled = false
                    case .moved: break
                    }
                    unit = unitIDs[e.unitCode]!
                    rows.append([
                        a.accountID, Int64(e.at), e.kind.rawValue, unit, e.accountKind.rawValue, enabled ? 1 : 0,
                    ])
                }
                let created = Int64(list.first?.at ?? 0)
                try insertAccount.execute(arguments: [
                    a.accountID, a.address.description, a.address.key, domainID, a.displayName, unit,
                    list.last?.accountKind.rawValue ?? "staff", enabled ? "enabled" : "disabled", created, created,
                ])
                for row in rows { try insertHistory.execute(arguments: StatementArguments(row)) }
            }
            let insertDaily = try db.makeStatement(
                sql: """
                    INSERT INTO activity_daily(account_id, day, imap_logins, smtp_auths, messages_sent, sent_internal_recipients,
                        sent_external_recipients, messages_signed, messages_received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for r in activity {
                try insertDaily.execute(arguments: [
                    r.accountID, r.day, r.imapLogins, r.smtpAuths, r.messagesSent,
                    r.sentInternalRecipients, r.sentExternalRecipients, r.messagesSigned,
                    r.messagesReceived,
                ])
            }
            let insertClient = try db.makeStatement(
                sql: """
                    INSERT INTO activity_client(account_id, day, client_name, logins) VALUES (?, ?, ?, ?)
                    """)
            for c in clients { try insertClient.execute(arguments: [c.accountID, c.day, c.client, c.count]) }
        }
    }
}
