import AccountStore
import Foundation
import GovMailTestSupport
import MailCore
import XCTest
@testable import UsageAnalytics

/// The two-tier reform of 1 July 2025, applied in January 2026 with effective dates, through the real
/// SQLite directory: districts abolished (merged into the province), two communes merged into a new
/// one, the others moved under the province. The 2024 reports (with districts) stay byte-for-byte the
/// same in every format and scope; July 2025 onwards has the new structure.
///
///   P  UBND tỉnh (province, 6 staff)
///   ├ H1 UBND huyện Hoa Lư (district, 5)   ├ X1 (6)  ├ X2 (5)  └ X3 (3, below the floor of 5)
///   └ H2 UBND huyện Kim Sơn (district, 5)  ├ X4 (6)  └ X5 (5)
final class ReorganisationTests: XCTestCase {
    var dir: TemporaryDirectory!
    var clock: ManualClock!
    var store: AccountStore!
    let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 5)
    let generatedAt = SyntheticProvince.at(2026, 1, 20, 9)
    static let sizes: [(String, String, UsageAnalytics.UnitLevel, String?, Int)] = [
        ("P", "UBND tỉnh Ninh Bình", .province, nil, 6),
        ("H1", "UBND huyện Hoa Lư", .district, "P", 5),
        ("X1", "UBND xã Ninh Hải", .commune, "H1", 6),
        ("X2", "UBND xã Trường Yên", .commune, "H1", 5),
        ("X3", "UBND xã Ninh Giang", .commune, "H1", 3),
        ("H2", "UBND huyện Kim Sơn", .district, "P", 5),
        ("X4", "UBND xã Kim Đông", .commune, "H2", 6),
        ("X5", "UBND xã Kim Hải", .commune, "H2", 5),
    ]
    let months = ["2024-11", "2024-12", "2025-06", "2025-07"].map { try! ReportMonth($0) }

    override func setUpWithError() throws {
        dir = TemporaryDirectory(prefix: "govmail-reorg")
        clock = ManualClock(SyntheticProvince.at(2024, 1, 1))
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        try store.addDomain(Domain("ninhbinh.gov.vn"))
        var increments: [ActivityIncrement] = []
        var n = 0
        for (code, name, level, parent, size) in Self.sizes {
            let u = try store.addUnit(
                code: code, name: name, level: .init(rawValue: level.rawValue)!, parentCode: parent)
            for _ in 0..<size {
                n += 1
                let a = try store.createAccount(
                    NewAccount(
                        address: EmailAddress("cb\(n)@ninhbinh.gov.vn"), displayName: "Cán bộ \(n)", unitID: u.id,
                        quota: 0))
                // Days of use vary by person and month, so shares differ from month to month.
                for (k, month) in (try ReportMonth("2024-10").trailingForward(12)).enumerated() {
                    let days = (n * 7 + k * 3) % 9
                    for d in stride(from: 1, through: days, by: 1) {
                        increments.append(
                            ActivityIncrement(
                                accountID: a.id, day: SyntheticProvince.day(month, d),
                                counters: ActivityCounters(imapLogins: 1, messagesSent: Int64(d % 2))))
                    }
                }
            }
        }
        try store.recordActivity(increments)
    }

    func render(_ month: ReportMonth, unit: String?) throws -> [Data] {
        let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: month)
        let r = try UsageReports.monthly(
            from: data, month: month, settings: settings, unitCode: unit, generatedAt: generatedAt)
        return try ReportFormat.allCases.flatMap { f in
            try ReportLanguage.allCases.map { try ReportRenderer.render(r, format: f, language: $0) }
        }
    }

    func applyReform() throws {
        clock.advance(SyntheticProvince.at(2026, 1, 10, 9) - clock.now())
        let reform = Int64(SyntheticProvince.at(2025, 7, 1))
        try store.addUnit(
            code: "XN", name: "UBND xã Hoa Lư", level: .commune, parentCode: "P", effective: reform)
        try store.mergeUnit(code: "X1", into: "XN", effective: reform)
        try store.mergeUnit(code: "X2", into: "XN", effective: reform)
        for code in ["X3", "X4", "X5"] { try store.moveUnit(code: code, toParent: "P", effective: reform) }
        let h1 = try store.mergeUnit(code: "H1", into: "P", effective: reform)
        XCTAssertEqual([h1.movedUnits.count, h1.movedAccounts], [0, 5])
        try store.mergeUnit(code: "H2", into: "P", effective: reform)
        try store.renameUnit(code: "P", name: "UBND tỉnh Ninh Bình (mới)", effective: reform)
    }

    func testClosedMonthsAreByteForByteTheSameAfterTheReform() throws {
        let closed = months.prefix(3)
        var before: [String: [Data]] = [:]
        for m in closed {
            for unit in [nil, "H1", "X1"] { before["\(m) \(unit ?? "-")"] = try render(m, unit: unit) }
        }
        try applyReform()
        for m in closed {
            for unit in [nil, "H1", "X1"] {
                let after = try render(m, unit: unit)
                XCTAssertEqual(after, before["\(m) \(unit ?? "-")"], "\(m) --unit \(unit ?? "-") changed")
            }
        }
        // The 2024 report still has its districts and the old names.
        let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: months[0])
        let r2024 = try UsageReports.monthly(from: data, month: months[0], settings: settings)
        XCTAssertEqual(r2024.levels.map(\.level), [.province, .district, .commune])
        XCTAssertEqual(r2024.units.first?.name, "UBND tỉnh Ninh Bình")
        XCTAssertEqual(try XCTUnwrap(r2024.units.first { $0.code == "H1" }).rolledUp.staff, 19)
    }

    func testMonthsFromTheReformHaveTheNewStructure() throws {
        try applyReform()
        let july = months[3]
        let data = try AccountStoreUsageDataset.forMonthlyReport(store: store, month: july)
        let r = try UsageReports.monthly(from: data, month: july, settings: settings)
        XCTAssertEqual(r.organisation.staff, 41)
        XCTAssertEqual(r.levels.map(\.level), [.province, .commune])  // no district tier any more
        XCTAssertEqual(r.units.first?.name, "UBND tỉnh Ninh Bình (mới)")
        let p = try XCTUnwrap(r.units.first { $0.code == "P" })
        XCTAssertEqual(p.own.staff, 6 + 5 + 5 + 3)  // the district offices merged in; X3 (3) is merged too
        XCTAssertEqual(p.mergedUnits.filter { $0 == "X3" }, ["X3"])
        XCTAssertEqual(try XCTUnwrap(r.units.first { $0.code == "XN" }).own.staff, 11)
        XCTAssertFalse(r.units.contains { ["H1", "H2", "X1", "X2"].contains($0.code) })
        // The trend crosses the reform: the province total is the same people on both sides.
        XCTAssertEqual(r.trend.suffix(2).map(\.staff), [41, 41])
        // A merged unit has no report of its own after the reform, and says where its staff went.
        XCTAssertThrowsError(try UsageReports.monthly(from: data, month: july, settings: settings, unitCode: "H1")) {
            XCTAssertEqual($0 as? ReportError, .unitMerged("H1", into: "P", july))
        }
        // XN did not exist before July: its scoped trend hides those months instead of showing zeros.
        let xn = try UsageReports.monthly(from: data, month: july, settings: settings, unitCode: "XN")
        XCTAssertEqual(xn.trend.last?.staff, 11)
        XCTAssertEqual(xn.trend[10].suppressed, true)
        // The directory today: accounts moved, ended units kept with their status.
        XCTAssertEqual(try store.accounts(unitCode: "H1").count, 0)
        XCTAssertEqual(try store.unit(code: "H1")?.status, .merged)
        XCTAssertEqual(try store.unit(code: "X3")?.parentCode, "P")
    }

    func testAChangeDatedBeforeTheUnitWasEnteredHoldsFromItsDate() throws {
        // Units are often entered in GovMail after the reform they belong to took effect.
        clock.advance(SyntheticProvince.at(2026, 1, 10, 9) - clock.now())
        try store.addUnit(code: "Y", name: "Ban Y", level: .other, parentCode: "H1")
        try store.moveUnit(code: "Y", toParent: "P", effective: Int64(SyntheticProvince.at(2025, 7, 1)))
        XCTAssertEqual(try store.unit(code: "Y")?.parentCode, "P", "the created row is the base, the move holds")
        try store.renameUnit(code: "Y", name: "Ban Y mới", effective: Int64(SyntheticProvince.at(2025, 8, 1)))
        let history = UnitHistory(
            current: [],
            events: try AccountStoreUsageDataset.forMonthlyReport(
                store: store, month: months[3]
            ).unitHistory())
        let june = history.structure(before: SyntheticProvince.at(2025, 7, 1), referencedCodes: [])
        let july = history.structure(before: SyntheticProvince.at(2025, 8, 1), referencedCodes: [])
        let august = history.structure(before: SyntheticProvince.at(2025, 9, 1), referencedCodes: [])
        func y(_ s: MonthStructure) -> UnitRecord? { s.tree.indexByCode["Y"].map { s.tree.units[$0] } }
        XCTAssertEqual(y(june)?.parentCode, "H1")
        XCTAssertEqual(y(july)?.parentCode, "P")
        XCTAssertEqual([y(july)?.name, y(august)?.name], ["Ban Y", "Ban Y mới"])
        XCTAssertFalse(july.absent.contains("Y"))
    }

    func testEndedUnitsRefuseChangesAndRemovalAdviceIsTruthful() throws {
        try applyReform()
        XCTAssertThrowsError(try store.moveUnit(code: "H1", toParent: nil)) {
            XCTAssertTrue("\($0)".contains("merged"), "\($0)")
        }
        XCTAssertThrowsError(try store.removeUnit(code: "X1")) { error in
            XCTAssertEqual(error as? DirectoryError, .unitInUse("X1"))
            XCTAssertTrue("\(error)".contains("govmail unit retire X1"), "\(error)")
        }
        XCTAssertThrowsError(try store.retireUnit(code: "XN")) {
            XCTAssertTrue("\($0)".contains("govmail unit merge XN --into"), "\($0)")
        }
        // A unit entered by mistake, never used, can still be removed.
        try store.addUnit(code: "TYPO", name: "Nhầm", level: .other)
        try store.removeUnit(code: "TYPO")
        XCTAssertNil(try store.unit(code: "TYPO"))
        // Future dates are refused: a reorganisation is applied on or after the day it takes effect.
        XCTAssertThrowsError(try store.retireUnit(code: "X3", effective: Int64(SyntheticProvince.at(2027, 1, 1))))
    }
}

extension ReportMonth {
    /// This month and the `count - 1` months after it.
    func trailingForward(_ count: Int) -> [ReportMonth] {
        var months = [self]
        while months.count < count { months.append(months.last!.next) }
        return months
    }
}
