import Foundation
import XCTest
@testable import UsageAnalytics

/// Quarters and years: each month as published, summed; a unit hidden in any month is not listed.
final class PeriodReportTests: XCTestCase {
    func testQuarterAndYearNames() throws {
        XCTAssertEqual(try ReportPeriodName("2026-Q3").months.map(\.description), ["2026-07", "2026-08", "2026-09"])
        XCTAssertEqual(try ReportPeriodName("2026-q4").description, "2026-Q4")
        XCTAssertEqual(try ReportPeriodName("2026").months.count, 12)
        for bad in ["2026-Q5", "2026-Q0", "26", "2026-3", "Q3-2026", ""] {
            XCTAssertThrowsError(try ReportPeriodName(bad), bad) { XCTAssertEqual($0 as? ReportError, .badPeriod(bad)) }
        }
    }

    func testGeneratedProvincesSumTheirMonths() throws {
        let q4 = try ReportPeriodName("2026-Q4")
        for seed in UInt64(1)...20 {
            let p = GeneratedProvince(seed: seed)
            let settings = ReportSettings(minimumUnitSize: 5)
            let r = try UsageReports.period(from: p.dataset, period: q4, settings: settings)
            let october = try UsageReports.monthly(
                from: p.dataset, month: GeneratedProvince.octoberMonth, settings: settings)
            let all = p.sum(p.units.map(\.code), p.october)
            // Nobody moves and nobody uses mail in November or December: three times the staff, October's active.
            XCTAssertEqual([r.organisation.staffMonths, r.organisation.activeMonths], [3 * all.staff, all.active])
            XCTAssertEqual(r.organisation.share, all.staff > 0 ? Double(all.active) / Double(3 * all.staff) : nil)
            XCTAssertEqual(r.units.map(\.code), october.units.map(\.code), "seed \(seed)")
            for row in r.units {
                let known = p.sum(p.subtree(row.code), p.october)
                XCTAssertEqual([row.rolledUp.staffMonths, row.rolledUp.activeMonths], [3 * known.staff, known.active])
                XCTAssertTrue(row.rolledUp.byMonth.allSatisfy { ($0.staff ?? 0) >= 5 })
            }
        }
    }

    func testAUnitHiddenInAnyMonthIsNotListed() throws {
        // A: 3 staff until September, 5 from October (floor 5).
        let ds = SmallUnits.aBecomesVisibleInOctober()
        func codes(_ name: String) throws -> [String] {
            try UsageReports.period(from: ds, period: try ReportPeriodName(name)).units.map(\.code)
        }
        XCTAssertEqual(try codes("2026-Q4"), ["R", "A", "B"])
        // Until September A's 3 staff would be R − B, so B is merged into R as well (complementary).
        XCTAssertEqual(try codes("2026-Q3"), ["R"])
        XCTAssertEqual(try codes("2026"), ["R"])
        XCTAssertThrowsError(try UsageReports.period(from: ds, period: try ReportPeriodName("2026-Q3"), unitCode: "A"))
    }

    func testEveryFormatMarksAPartialPeriodAndCarriesTheStamp() throws {
        let r = try UsageReports.period(
            from: SyntheticProvince.dataset(), period: try ReportPeriodName("2026-Q4"),
            settings: ReportSettings(minimumUnitSize: 3), generatedAt: SyntheticProvince.at(2026, 11, 20, 8))
        XCTAssertTrue(r.partial)
        for format in ReportFormat.allCases {
            let text = String(decoding: try ReportRenderer.render(r, format: format, language: .vi), as: UTF8.self)
            XCTAssertTrue(text.contains("2026-11-20T08:00:00+07:00"), "\(format)")
            if format != .json { XCTAssertTrue(text.contains("KỲ CHƯA KẾT THÚC"), "\(format)") }
        }
        let doc = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: try ReportRenderer.render(r, format: .json, language: .en))
                as? [String: Any])
        XCTAssertEqual(doc["schema"] as? String, "govmail.report.period")
        XCTAssertEqual(doc["partial"] as? Bool, true)
    }
}
