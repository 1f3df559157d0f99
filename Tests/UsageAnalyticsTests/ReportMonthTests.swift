import XCTest
@testable import UsageAnalytics

final class ReportMonthTests: XCTestCase {
    func testParsesOnlyYYYYMM() throws {
        XCTAssertEqual(try ReportMonth("2026-10").description, "2026-10")
        XCTAssertEqual(try ReportMonth("2026-01").month, 1)
        for bad in ["2026-13", "2026-00", "2026-1", "26-10", "2026/10", "2026-10-01", "", "abcd-ef", "2026-1a"] {
            XCTAssertThrowsError(try ReportMonth(bad), bad) { error in
                XCTAssertTrue("\(error)".contains("YYYY-MM"), "\(error)")
            }
        }
    }

    func testNeighboursAndTrailing() throws {
        let jan = try ReportMonth("2026-01")
        XCTAssertEqual(jan.previous.description, "2025-12")
        XCTAssertEqual(try ReportMonth("2025-12").next, jan)
        XCTAssertEqual(jan.trailing(3).map(\.description), ["2025-11", "2025-12", "2026-01"])
        XCTAssertEqual(try ReportMonth("2024-02").dayCount, 29)
        XCTAssertEqual(try ReportMonth("2100-02").dayCount, 28)
        XCTAssertEqual(try ReportMonth("2000-02").dayCount, 29)
    }

    func testDayOfMonthAcceptsOnlyDaysOfThatMonth() throws {
        let sep = try ReportMonth("2026-09")
        XCTAssertEqual(sep.dayOfMonth("2026-09-01"), 1)
        XCTAssertEqual(sep.dayOfMonth("2026-09-30"), 30)
        XCTAssertNil(sep.dayOfMonth("2026-09-31"))
        XCTAssertNil(sep.dayOfMonth("2026-10-01"))
        XCTAssertNil(sep.dayOfMonth("2025-09-01"))
        XCTAssertNil(sep.dayOfMonth("2026-09-1"))
        XCTAssertNil(sep.dayOfMonth("2026-09-00"))
    }

    func testLastCompleteMonthUsesTheTimeZone() throws {
        let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!, utc = TimeZone(identifier: "UTC")!
        // 2026-10-31T18:00:00Z is already 1 November 01:00 in Hanoi.
        let now = 1_793_491_200.0 - 6 * 3600  // 2026-11-01T00:00Z is 1793491200
        XCTAssertEqual(now, SyntheticProvince.at(2026, 11, 1, 1))
        XCTAssertEqual(ReportMonth.lastComplete(now: now, timeZone: hanoi).description, "2026-10")
        XCTAssertEqual(ReportMonth.lastComplete(now: now, timeZone: utc).description, "2026-09")
        // In January the last complete month is December of the year before.
        XCTAssertEqual(
            ReportMonth.lastComplete(now: SyntheticProvince.at(2027, 1, 15, 12), timeZone: hanoi).description,
            "2026-12")
    }

    func testIntervalIsLocalMidnightToMidnight() throws {
        let oct = try ReportMonth("2026-10")
        let (start, end) = oct.interval(in: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)
        XCTAssertEqual(start, 1_790_812_800 - 7 * 3600)  // 2026-10-01T00:00Z is 1790812800
        XCTAssertEqual(end - start, 31 * 86400)
    }
}
