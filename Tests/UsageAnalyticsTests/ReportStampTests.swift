import Foundation
import XCTest
@testable import UsageAnalytics

/// A month still running is marked partial inside every format, and every format carries the
/// generation time (in the configured zone), the period and the definition of active.
final class ReportStampTests: XCTestCase {
    let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 3)

    func render(generatedAt: Double) throws -> [ReportFormat: [ReportLanguage: String]] {
        let r = try UsageReports.monthly(
            from: SyntheticProvince.dataset(), month: SyntheticProvince.october, settings: settings,
            generatedAt: generatedAt)
        var out: [ReportFormat: [ReportLanguage: String]] = [:]
        for f in ReportFormat.allCases {
            for l in ReportLanguage.allCases {
                out[f, default: [:]][l] = String(
                    decoding: try ReportRenderer.render(r, format: f, language: l), as: UTF8.self)
            }
        }
        return out
    }

    func testPartialMonthIsMarkedInEveryFormat() throws {
        // 2026-10-15 09:30 in Hanoi: the month is half over.
        let outputs = try render(generatedAt: SyntheticProvince.at(2026, 10, 15, 9) + 1800)
        let marks: [ReportLanguage: String] = [.vi: "THÁNG CHƯA KẾT THÚC", .en: "PARTIAL MONTH"]
        for format in [ReportFormat.text, .csv, .html] {
            for (lang, mark) in marks {
                let text = try XCTUnwrap(outputs[format]?[lang])
                XCTAssertTrue(text.contains(mark), "\(format) \(lang) has no partial mark")
                XCTAssertTrue(
                    text.contains(lang == .vi ? "15/10/2026" : "2026-10-15"), "\(format) \(lang): data through")
            }
        }
        let json = try XCTUnwrap(outputs[.json]?[.vi])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let period = try XCTUnwrap(doc["period"] as? [String: Any])
        XCTAssertEqual(period["partial"] as? Bool, true)
        XCTAssertEqual(period["data_through"] as? String, "2026-10-15")
        XCTAssertEqual(doc["generated_at"] as? String, "2026-10-15T09:30:00+07:00")
    }

    func testClosedMonthCarriesStampPeriodAndDefinitionButNoPartialMark() throws {
        let outputs = try render(generatedAt: SyntheticProvince.at(2026, 11, 3, 8))
        for (format, byLang) in outputs {
            for (lang, text) in byLang {
                XCTAssertFalse(text.contains("PARTIAL") || text.contains("CHƯA KẾT THÚC"), "\(format) \(lang)")
                XCTAssertTrue(text.contains("2026-11-03T08:00:00+07:00"), "\(format) \(lang): generation time")
                XCTAssertTrue(text.contains("2026-10-31") || text.contains("31/10/2026"), "\(format) \(lang): period")
                if format != .json {
                    XCTAssertTrue(
                        text.contains(lang == .vi ? "ít nhất 4 ngày" : "at least 4 distinct days"),
                        "\(format) \(lang): definition of active")
                }
            }
        }
        let doc = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(outputs[.json]![.en]!.utf8)) as? [String: Any])
        XCTAssertEqual((doc["period"] as? [String: Any])?["partial"] as? Bool, false)
        XCTAssertEqual((doc["settings"] as? [String: Any])?["active_min_days"] as? Int, 4)
    }
}
