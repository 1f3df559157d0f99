import Foundation
import XCTest
@testable import UsageAnalytics

/// The privacy floor cannot be undone: not by scope, not by subtracting published rows from a level
/// or from the totals, not through the change column, the trend, a chart or any format.
final class PrivacyFloorTests: XCTestCase {
    let settings3 = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 3)
    let october = SyntheticProvince.october

    func report(_ ds: any UsageDataset, _ settings: ReportSettings, unit: String? = nil) throws -> MonthlyReport {
        try UsageReports.monthly(from: ds, month: october, settings: settings, unitCode: unit)
    }

    func testASmallUnitCannotBeReportedAloneThroughTheScope() throws {
        // X2 has 2 staff: with a floor of 3 its own report would print the figures of two people.
        XCTAssertThrowsError(try report(SyntheticProvince.dataset(), settings3, unit: "X2")) { error in
            XCTAssertEqual(error as? ReportError, .unitBelowFloor("X2", minimum: 3, october))
            XCTAssertTrue("\(error)".contains("govmail report inactive --unit X2"), "\(error)")
        }
        // With the default floor of 5, X1 (3 staff) is refused too; H1 (8) is fine.
        XCTAssertThrowsError(try report(SyntheticProvince.dataset(), ReportSettings(), unit: "X1"))
        XCTAssertEqual(try report(SyntheticProvince.dataset(), ReportSettings(), unit: "H1").organisation.staff, 8)
    }

    func testLevelMinusPublishedCommunesRevealsNothing() throws {
        // The attack of issue 14: commune level − published communes = the hidden commune.
        let r = try report(SyntheticProvince.dataset(), settings3)
        let commune = try XCTUnwrap(r.levels.first { $0.level == .commune }).figures
        let published = r.units.filter { $0.level == .commune }.reduce(0) { $0 + $1.own.staff }
        XCTAssertEqual(commune.staff - published, 0)
        // X2's two staff count at the level of the row they are merged into (H1, district).
        let district = try XCTUnwrap(r.levels.first { $0.level == .district }).figures
        XCTAssertEqual(district.staff, r.units.filter { $0.level == .district }.reduce(0) { $0 + $1.own.staff })
    }

    func testAUnitThatBecomesVisibleDoesNotRevealItsHiddenPast() throws {
        // A has 3 staff in September (below 5) and 5 in October: its change would give September's share.
        let activity = SyntheticProvince.logins("p1", october.previous, [1, 2, 3, 4]).map {
            DailyActivity(accountID: 1, day: $0.day, imapLogins: 1)
        }
        let ds = SmallUnits.aBecomesVisibleInOctober(activity: activity)
        let r = try report(ds, ReportSettings())
        let a = try XCTUnwrap(r.units.first { $0.code == "A" })
        XCTAssertEqual(a.own.staff, 5)
        XCTAssertNotNil(a.own.share)
        XCTAssertNil(a.own.shareChange, "September's A had 3 staff: its share must not be derivable")
        // B had 10 staff in September but was merged into R then (so that R − B could not give A):
        // its change would reveal what September hid.
        XCTAssertNil(r.units.first { $0.code == "B" }?.own.shareChange)
        // Nor through the commune level (A + B) or R's rolled-up figures, which hold A's past.
        XCTAssertNil(try XCTUnwrap(r.levels.first { $0.level == .commune }).figures.shareChange)
        XCTAssertNotNil(r.units.first { $0.code == "R" }?.rolledUp.shareChange)  // R was published in September
        // Nor through the trend of a report scoped to A.
        let scoped = try report(ds, ReportSettings(), unit: "A")
        XCTAssertEqual(scoped.trend.last?.staff, 5)
        XCTAssertEqual(scoped.trend[10].suppressed, true)
        XCTAssertNil(scoped.trend[10].staff)
        XCTAssertNil(scoped.trend[10].share)
        XCTAssertNil(scoped.organisation.shareChange)
    }

    func testAParentWithFewOwnStaffTakesInASubUnitRatherThanShowThem() throws {
        // H has 2 own staff and two published communes: rolled − children would give those 2.
        let events = SmallUnits.staff([("H", 2), ("X1", 6), ("X2", 5)])
        let ds = InMemoryUsageDataset(
            units: [
                UnitRecord(code: "H", name: "Huyện", level: .district),
                UnitRecord(code: "X1", name: "Xã 1", level: .commune, parentCode: "H"),
                UnitRecord(code: "X2", name: "Xã 2", level: .commune, parentCode: "H"),
            ], accounts: [], history: events, activity: [])
        let r = try report(ds, ReportSettings())
        XCTAssertEqual(r.units.map(\.code), ["H", "X1"])
        XCTAssertEqual(r.units[0].mergedUnits, ["X2"])  // the smaller commune is merged in
        XCTAssertEqual(r.units[0].own.staff, 7)
    }

    func testOneSmallTopLevelUnitIsNotTheDifferenceOfTotalsAndRows() throws {
        let events = SmallUnits.staff([("A", 10), ("B", 3)])
        let ds = InMemoryUsageDataset(
            units: [
                UnitRecord(code: "A", name: "A", level: .province), UnitRecord(code: "B", name: "B", level: .province),
            ], accounts: [], history: events, activity: [])
        let r = try report(ds, ReportSettings())
        XCTAssertEqual(r.organisation.staff, 13)
        XCTAssertEqual(r.organisation.staff - r.units.reduce(0) { $0 + $1.own.staff }, 13)  // not 3
        XCTAssertEqual(r.levels, [])
    }

    func testNoFormatNamesAHiddenUnit() throws {
        let r = try report(SyntheticProvince.dataset(), settings3)
        for format in ReportFormat.allCases {
            for lang in ReportLanguage.allCases {
                let text = String(decoding: try ReportRenderer.render(r, format: format, language: lang), as: UTF8.self)
                XCTAssertFalse(text.contains("Trường Yên"), "\(format) \(lang) names the hidden unit X2")
            }
        }
    }

    /// Generated provinces with known answers: every published figure matches the bookkeeping, and no
    /// difference of published figures isolates fewer than the minimum.
    func testGeneratedProvincesKeepTheFloorAndTheFigures() throws {
        for seed in UInt64(1)...60 {
            let p = GeneratedProvince(seed: seed)
            for minimum in [3, 5] {
                let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: minimum)
                let r = try report(p.dataset, settings)
                let context = "seed \(seed), minimum \(minimum)"
                func floorHolds(_ staff: Int, _ what: String) {
                    XCTAssertTrue(staff == 0 || staff >= minimum, "\(context): \(what) isolates \(staff) staff")
                }
                let all = p.sum(p.units.map(\.code), p.october)
                XCTAssertEqual([r.organisation.staff, r.organisation.active], [all.staff, all.active], context)
                var rowSum = 0
                for row in r.units {
                    let own = p.sum([row.code] + row.mergedUnits, p.october)
                    XCTAssertEqual(
                        [row.own.staff, row.own.active], [own.staff, own.active], "\(context): \(row.code)")
                    let rolled = p.sum(p.subtree(row.code), p.october)
                    XCTAssertEqual([row.rolledUp.staff, row.rolledUp.active], [rolled.staff, rolled.active], context)
                    floorHolds(row.own.staff, "\(row.code) own")
                    floorHolds(row.rolledUp.staff, "\(row.code) rolled up")
                    let children = r.units.filter { $0.parentCode == row.code }.reduce(0) { $0 + $1.rolledUp.staff }
                    floorHolds(row.rolledUp.staff - children, "\(row.code) rolled up − its published sub-units")
                    if row.own.shareChange != nil {
                        floorHolds(p.sum([row.code] + row.mergedUnits, p.september).staff, "\(row.code) September")
                    }
                    if row.rolledUp.shareChange != nil || row.own.shareChange != nil {
                        XCTAssertNil(row.trend[10].suppressed, "\(context): \(row.code) change of a hidden past")
                    }
                    if let september = row.trend[10].staff {
                        XCTAssertEqual(september, p.sum(p.subtree(row.code), p.september).staff, context)
                        floorHolds(september, "\(row.code) September trend")
                    }
                    rowSum += row.own.staff
                }
                floorHolds(r.organisation.staff - rowSum, "totals − all rows")
                for level in r.levels {
                    floorHolds(level.figures.staff, "level \(level.level)")
                    let rows = r.units.filter { $0.level == level.level }.reduce(0) { $0 + $1.own.staff }
                    floorHolds(level.figures.staff - rows, "level \(level.level) − its rows")
                }
                // Every published unit can be scoped, and its totals are its rolled-up row.
                for row in r.units {
                    let scoped = try report(p.dataset, settings, unit: row.code)
                    XCTAssertEqual(scoped.organisation.staff, row.rolledUp.staff, context)
                }
            }
        }
    }
}
