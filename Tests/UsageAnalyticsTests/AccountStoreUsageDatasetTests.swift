import AccountStore
import Foundation
import GovMailTestSupport
import MailCore
import XCTest
@testable import UsageAnalytics

/// The synthetic province of `SyntheticProvince`, built in a real SQLite directory through the
/// AccountStore API (a manual clock sets the time of every change), read back by the adapter.
final class AccountStoreUsageDatasetTests: XCTestCase {
    var dir: TemporaryDirectory!
    var clock: ManualClock!
    var store: AccountStore!
    /// Local part → account id in the database (ids follow creation order, not `SyntheticProvince.id`).
    var ids: [String: Int64] = [:]
    let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 3)
    let october = SyntheticProvince.october

    override func setUpWithError() throws {
        dir = TemporaryDirectory(prefix: "govmail-usage")
        clock = ManualClock(SyntheticProvince.at(2025, 12, 1))
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        try store.addDomain(Domain(SyntheticProvince.domain))
        for u in SyntheticProvince.units {
            try store.addUnit(
                code: u.code, name: u.name, level: .init(rawValue: u.level.rawValue)!, parentCode: u.parentCode)
        }
        try apply(SyntheticProvince.history)
        try recordActivity()
    }

    func set(_ time: Double) { clock.advance(time - clock.now()) }
    func address(_ local: String) -> EmailAddress { try! EmailAddress("\(local)@\(SyntheticProvince.domain)") }

    /// Replays events in time order through the public API: what an administrator would have done.
    func apply(_ events: [AccountEvent]) throws {
        let local = Dictionary(
            uniqueKeysWithValues: SyntheticProvince.people.map { (SyntheticProvince.id($0.0), $0.0) })
        for e in events.sorted(by: { $0.at < $1.at }) {
            set(e.at)
            let name = local[e.accountID]!
            switch e.kind {
            case .created:
                let person = SyntheticProvince.people.first { $0.0 == name }!
                let unit = try XCTUnwrap(try store.unit(code: e.unitCode))
                let a = try store.createAccount(
                    NewAccount(
                        address: address(name), displayName: person.1, unitID: unit.id,
                        kind: .init(rawValue: person.3.rawValue)!, quota: 0))
                ids[name] = a.id
            case .enabled: try store.setEnabled(address(name), true)
            case .disabled: try store.setEnabled(address(name), false)
            case .moved: try store.moveAccount(address(name), toUnit: e.unitCode)
            case .deleted: try store.deleteAccount(address(name))
            }
        }
    }

    /// The province's daily rows and client names, recorded as the servers will: `recordActivity`.
    func recordActivity() throws {
        let local = Dictionary(
            uniqueKeysWithValues: SyntheticProvince.people.map { (SyntheticProvince.id($0.0), $0.0) })
        var increments = SyntheticProvince.activity.map { row in
            ActivityIncrement(
                accountID: ids[local[row.accountID]!]!, day: row.day,
                counters: ActivityCounters(
                    imapLogins: Int64(row.imapLogins), smtpAuths: Int64(row.smtpAuths),
                    messagesSent: Int64(row.messagesSent), sentInternalRecipients: Int64(row.sentInternalRecipients),
                    sentExternalRecipients: Int64(row.sentExternalRecipients),
                    messagesSigned: Int64(row.messagesSigned), messagesSignedVerified: Int64(row.messagesSignedVerified),
                    messagesReceived: Int64(row.messagesReceived)))
        }
        increments += SyntheticProvince.clientUse.map { row in
            ActivityIncrement(
                accountID: ids[local[row.accountID]!]!, day: row.day, clientLogins: [row.client: Int64(row.count)])
        }
        try store.recordActivity(increments)
    }

    func report(unit: String? = nil, settings: ReportSettings? = nil) throws -> MonthlyReport {
        let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: october)
        return try UsageReports.monthly(from: data, month: october, settings: settings ?? self.settings, unitCode: unit)
    }

    func testReportNumbersMatchTheHandComputedOnes() throws {
        let r = try report()
        let o = r.organisation
        // As in MonthlyReportTests: 24 staff, 13 active, 17 used at least once; September 2 of 25 active.
        XCTAssertEqual([o.staff, o.active, o.usedAtLeastOnce, o.notUsed], [24, 13, 17, 7])
        XCTAssertEqual(o.share, 13.0 / 24.0)
        XCTAssertEqual(try XCTUnwrap(o.shareChange), 13.0 / 24.0 - 2.0 / 25.0, accuracy: 1e-12)
        XCTAssertEqual(
            [o.messagesSent, o.messagesSigned, o.messagesSignedVerified, o.sentInternalRecipients, o.sentExternalRecipients],
            [13, 4, 3, 10, 5])
        XCTAssertEqual(o.messagesReceived, 70)

        XCTAssertEqual(r.units.map(\.code), ["P", "SO1", "SO2", "H1", "X1", "H2", "X3"])
        func own(_ code: String) throws -> [Int] {
            let f = try XCTUnwrap(r.units.first { $0.code == code }).own
            return [f.staff, f.active, f.usedAtLeastOnce]
        }
        XCTAssertEqual(try own("SO1"), [4, 3, 4])  // s4 created 20 Oct counts, h2 (moved out 15 Oct) does not
        XCTAssertEqual(try own("SO2"), [3, 1, 2])  // t2 disabled in Sept, t4 created in Nov, t6 deleted at 1 Oct 00:00
        XCTAssertEqual(try own("H1"), [5, 3, 3])  // h1, h2, h4 + merged X2 (y1, y2)
        XCTAssertEqual(try own("X1"), [3, 2, 2])  // h3 moved in, then disabled: counts here
        // Levels sum publication groups: X2's staff count with H1, at the district level.
        XCTAssertEqual(r.levels.map { [$0.figures.staff, $0.figures.active] }, [[10, 5], [8, 5], [6, 3]])
        XCTAssertEqual(r.unitsBelowTarget, ["P", "SO2", "X3"])
        XCTAssertEqual(r.trend.map(\.staff), [0, 0, 25, 25, 25, 25, 25, 25, 25, 25, 25, 24])
        XCTAssertEqual(r.clients.first, ClientRow(client: "Thunderbird", accounts: 3, sessions: 9))
    }

    func testAdapterGivesTheSameReportsAsTheInMemoryProvince() throws {
        let memory = SyntheticProvince.dataset()
        XCTAssertEqual(try report(), try UsageReports.monthly(from: memory, month: october, settings: settings))
        XCTAssertEqual(
            try report(unit: "H1", settings: ReportSettings()),
            try UsageReports.monthly(from: memory, month: october, settings: ReportSettings(), unitCode: "H1"))
        let inactive = try UsageReports.inactive(
            from: AccountStoreUsageDataset.forInactiveList(store: store, month: october), month: october,
            settings: settings, unitCode: "SO2")
        XCTAssertEqual(
            inactive, try UsageReports.inactive(from: memory, month: october, settings: settings, unitCode: "SO2"))
        XCTAssertEqual(inactive.accounts.map(\.address), ["t3@ninhbinh.gov.vn", "t5@ninhbinh.gov.vn"])
    }

    func testClosedMonthIsReproducibleAfterLaterMovesDisablesAndDeletes() throws {
        let before = try report()
        let beforeDefault = try report(settings: ReportSettings())
        try apply(SyntheticProvince.laterHistory)
        set(SyntheticProvince.at(2026, 11, 20))
        try store.updateAccount(address("s2"), kind: .shared)
        try store.deleteAccount(address("s2"))
        try store.moveUnit(code: "X3", toParent: "H1")
        XCTAssertEqual(try report(unit: nil, settings: ReportSettings()).organisation, beforeDefault.organisation)
        let after = try report()
        XCTAssertEqual(after.organisation, before.organisation)
        XCTAssertEqual(after.levels, before.levels)
        XCTAssertEqual(after.trend, before.trend)
        // Units are taken as they are today (their history is not kept): X3 now sits under H1.
        XCTAssertEqual(after.units.first { $0.code == "X3" }?.own, before.units.first { $0.code == "X3" }?.own)
        XCTAssertEqual(after.units.first { $0.code == "SO1" }, before.units.first { $0.code == "SO1" })
    }

    func testHistoryMapping() throws {
        set(SyntheticProvince.at(2026, 11, 3, 9))
        let h2 = try XCTUnwrap(try store.unit(code: "H2"))
        let quiet = try store.createAccount(
            NewAccount(
                address: address("quiet"), displayName: "Tạo khi đã khóa", unitID: h2.id, status: .disabled, quota: 0))
        set(SyntheticProvince.at(2026, 11, 4, 9))
        try store.updateAccount(address("k2"), kind: .service)
        try store.setEnabled(address("quiet"), true)
        try store.deleteAccount(address("k3"))

        let data = try AccountStoreUsageDataset(store: store, activityMonths: [], clientMonths: [])
        func events(_ id: Int64) -> [String] {
            data.events.filter { $0.accountID == id }.map {
                "\($0.kind.rawValue) \($0.unitCode) \($0.accountKind.rawValue)"
            }
        }
        XCTAssertEqual(events(quiet.id), ["created H2 staff", "disabled H2 staff", "enabled H2 staff"])
        XCTAssertEqual(
            data.events.filter { $0.accountID == quiet.id }.map(\.at),
            [
                SyntheticProvince.at(2026, 11, 3, 9), SyntheticProvince.at(2026, 11, 3, 9),
                SyntheticProvince.at(2026, 11, 4, 9),
            ])
        XCTAssertEqual(events(ids["k2"]!), ["created H2 staff", "moved H2 service"])
        XCTAssertEqual(events(ids["k3"]!), ["created H2 staff", "deleted H2 staff"])
        XCTAssertEqual(events(ids["h4"]!), ["created H1 staff", "disabled H1 staff", "moved SO2 staff"])
        XCTAssertEqual(events(ids["t6"]!), ["created SO2 staff", "deleted SO2 staff"])
        // Every account ever, deleted ones included, with its address and name.
        XCTAssertEqual(data.accountList.count, SyntheticProvince.people.count + 1)
        XCTAssertEqual(data.accountList.first { $0.accountID == ids["t6"] }?.displayName, "Lý Văn Oanh")
        XCTAssertEqual(
            data.unitList.first { $0.code == "X1" },
            UnitRecord(code: "X1", name: "UBND xã Ninh Hải", level: .commune, parentCode: "H1"))
        XCTAssertEqual(data.unitList.count, SyntheticProvince.units.count)
    }

    /// Days of use and monthly sums of one account, as the report sees them.
    func summary(_ rows: [UsageAnalytics.DailyActivity], _ local: String) -> (days: [String], sums: [Int]) {
        let mine = rows.filter { $0.accountID == ids[local]! }
        let sums = mine.reduce(into: Array(repeating: 0, count: 7)) { s, r in
            for (i, v) in [
                r.imapLogins, r.smtpAuths, r.messagesSent, r.sentInternalRecipients, r.sentExternalRecipients,
                r.messagesSigned, r.messagesReceived,
            ].enumerated() { s[i] += v }
        }
        return (mine.filter(\.isUse).map { String($0.day.suffix(2)) }.sorted(), sums)
    }

    func testActivityKeepsDaysOfUseAndMonthlySumsAndUnloadedMonthsAreReadOnDemand() throws {
        let data = try AccountStoreUsageDataset(store: store, activityMonths: [october], clientMonths: [])
        let oct = try data.activity(in: october)
        XCTAssertTrue(oct.allSatisfy { october.dayOfMonth($0.day) != nil })
        var s1 = summary(oct, "s1")
        XCTAssertEqual(s1.days, ["01", "02", "03", "04"])  // IMAP, IMAP, SMTP AUTH only, submission only
        XCTAssertEqual(s1.sums, [2, 1, 1, 0, 2, 0, 0])
        XCTAssertEqual(summary(oct, "p1").days, ["01", "02", "05", "06", "07"])
        XCTAssertEqual(summary(oct, "p1").sums, [5, 0, 3, 3, 0, 0, 0])
        XCTAssertEqual(summary(oct, "s2").sums, [10, 1, 9, 7, 3, 4, 20])
        XCTAssertEqual(summary(oct, "x2").days, [])  // only received mail: no day of use
        XCTAssertEqual(summary(oct, "x2").sums, [0, 0, 0, 0, 0, 0, 50])
        XCTAssertEqual(summary(oct, "t3").days, ["01", "02"])

        // An upsert of an existing day (the servers' flush) adds to the month without a new day of use.
        try store.recordActivity([
            ActivityIncrement(
                accountID: ids["s1"]!, day: "2026-10-04",
                counters: ActivityCounters(imapLogins: 2, messagesReceived: 1))
        ])
        s1 = summary(
            try AccountStoreUsageDataset(store: store, activityMonths: [october], clientMonths: []).activity(
                in: october), "s1")
        XCTAssertEqual(s1.days, ["01", "02", "03", "04"])
        XCTAssertEqual(s1.sums, [4, 1, 1, 0, 2, 0, 1])

        let september = try data.activity(in: october.previous)  // not loaded: read on demand
        XCTAssertEqual(september.filter(\.isUse).count, 13)
        XCTAssertEqual(Set(september.map(\.accountID)), [ids["p1"]!, ids["s2"]!, ids["t3"]!])
        XCTAssertEqual(try data.activity(in: october.next), [])
        let clients = try data.clientUse(in: october)
        XCTAssertEqual(clients.count, SyntheticProvince.clientUse.count - 1)  // s2's two Thunderbird days: one monthly row
        XCTAssertEqual(clients.filter { $0.accountID == ids["s2"]! }.map(\.count), [6])
        XCTAssertEqual(clients.first { $0.accountID == ids["k1"] }?.client, "Evil[31m")  // control bytes dropped on write
    }

    func testRetentionPrunesOnlyDaysBeforeTheCutoff() throws {
        // 2026-11-27 with 2 months kept: September and October (and November, still running).
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let day = ActivityRetention.firstKeptDay(
            now: SyntheticProvince.at(2026, 11, 27), timeZone: zone, retentionMonths: 2)
        XCTAssertEqual(day, "2026-09-01")
        XCTAssertEqual(
            ActivityRetention.firstKeptDay(now: SyntheticProvince.at(2026, 11, 1), timeZone: zone, retentionMonths: 24),
            "2024-11-01")
        XCTAssertEqual(try store.pruneActivity(before: day), PrunedActivity(dailyRows: 0, clientRows: 0))
        let before = try report()
        let pruned = try store.pruneActivity(before: "2026-11-01")
        XCTAssertEqual(pruned, PrunedActivity(dailyRows: 13 + 164, clientRows: 7))  // September + October account-days
        XCTAssertEqual(try store.activity(from: "2026-01-01", through: "2026-10-31"), [])
        // Monthly aggregates are kept: the closed month's figures survive the daily rows.
        let after = try report()
        XCTAssertEqual(after.organisation, before.organisation)
        XCTAssertEqual(after.units, before.units)
        XCTAssertEqual(after.trend, before.trend)
        XCTAssertEqual(after.clients, before.clients)
        XCTAssertThrowsError(try store.pruneActivity(before: "2026-10"))
    }
}
