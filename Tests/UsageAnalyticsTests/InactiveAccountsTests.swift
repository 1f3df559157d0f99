import XCTest
@testable import UsageAnalytics

final class InactiveAccountsTests: XCTestCase {
    func testListsStaffBelowActiveMinDaysInScope() throws {
        let r = try UsageReports.inactive(
            from: SyntheticProvince.dataset(), month: SyntheticProvince.october,
            unitCode: "H1")
        // H1 subtree staff in October: h1, h2, h4 (H1), x1, x2, h3 (X1), y1, y2 (X2) = 8.
        XCTAssertEqual(r.staff, 8)
        XCTAssertEqual(r.scopeUnitCode, "H1")
        XCTAssertEqual(
            r.accounts,
            [
                InactiveAccount(
                    address: "h4@ninhbinh.gov.vn", displayName: "Lương Văn Sơn", unitCode: "H1",
                    unitName: "UBND huyện Hoa Lư", daysUsed: 0, status: .disabled),  // not a person to chase
                InactiveAccount(
                    address: "x2@ninhbinh.gov.vn", displayName: "Cao Văn Uy", unitCode: "X1",
                    unitName: "UBND xã Ninh Hải", daysUsed: 0),
                InactiveAccount(
                    address: "y2@ninhbinh.gov.vn", displayName: "Hà Văn Xuân", unitCode: "X2",
                    unitName: "UBND xã Trường Yên", daysUsed: 0),
            ])
    }

    func testWholeOrganisationShowsDaysUsedAndSkipsNonStaff() throws {
        let r = try UsageReports.inactive(from: SyntheticProvince.dataset(), month: SyntheticProvince.october)
        XCTAssertEqual(r.staff, 24)
        XCTAssertEqual(r.accounts.count, 11)  // 24 staff − 13 active
        let days = Dictionary(uniqueKeysWithValues: r.accounts.map { ($0.address, $0.daysUsed) })
        XCTAssertEqual(days["p2@ninhbinh.gov.vn"], 2)
        XCTAssertEqual(days["s3@ninhbinh.gov.vn"], 3)
        XCTAssertEqual(days["t3@ninhbinh.gov.vn"], 2)
        XCTAssertEqual(days["k3@ninhbinh.gov.vn"], 1)
        XCTAssertNil(days["t2@ninhbinh.gov.vn"])  // disabled before October
        XCTAssertNil(days["psvc@ninhbinh.gov.vn"])
        XCTAssertEqual(r.accounts.map(\.unitCode), r.accounts.map(\.unitCode).sorted())
    }

    func testLaterChangesDoNotAlterAClosedMonth() throws {
        let a = try UsageReports.inactive(from: SyntheticProvince.dataset(), month: SyntheticProvince.october)
        let b = try UsageReports.inactive(
            from: SyntheticProvince.dataset(includingLaterHistory: true),
            month: SyntheticProvince.october)
        XCTAssertEqual(a, b)
    }
}
