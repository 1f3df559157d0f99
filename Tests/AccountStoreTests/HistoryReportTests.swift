import AccountStore
import GovMailTestSupport
import MailCore
import XCTest

/// "Which staff accounts were enabled on at least one day of month M, and in which unit", for past months.
final class HistoryReportTests: AccountStoreTestCase {
    // Month bounds in Unix seconds (UTC+7 months would be computed by the caller the same way).
    let day = Int64(86_400)
    var start: Int64 { 1_790_000_000 }

    func month(_ n: Int64) -> (Int64, Int64) { (start + n * 30 * day, start + (n + 1) * 30 * day) }

    func enabledIn(_ n: Int64, kind: AccountKind? = .staff) throws -> [String: String] {
        let (s, e) = month(n)
        let units = Dictionary(try store.units().map { ($0.id, $0.code) }, uniquingKeysWith: { a, _ in a })
        return Dictionary(
            try store.accountsEnabled(from: s, to: e, kind: kind).map { ($0.address, units[$0.unitID]!) },
            uniquingKeysWith: { a, _ in a })
    }

    func testPastMonthsGiveTheSameAnswerAfterLaterChanges() throws {
        clock.advance(Double(5 * day))
        let a = try add("a@tinh.gov.vn", unit: "H-A")  // month 0
        let b = try add("b@tinh.gov.vn", unit: "H-A")
        try add("shared@tinh.gov.vn", kind: .shared)
        clock.advance(Double(30 * day))  // month 1
        try store.moveAccount(a.address, toUnit: "X-B")
        try store.setEnabled(b.address, false)
        clock.advance(Double(30 * day))  // month 2
        try store.deleteAccount(a.address)
        let month0 = try enabledIn(0), month1 = try enabledIn(1), month2 = try enabledIn(2)
        XCTAssertEqual(month0, ["a@tinh.gov.vn": "H-A", "b@tinh.gov.vn": "H-A"])
        // b was enabled for the first moments of month 1; a ended the month in X-B.
        XCTAssertEqual(month1, ["a@tinh.gov.vn": "X-B", "b@tinh.gov.vn": "H-A"])
        // a was enabled until its deletion in month 2; b was disabled all month.
        XCTAssertEqual(month2, ["a@tinh.gov.vn": "X-B"])
        XCTAssertEqual(try enabledIn(3), [:])
        XCTAssertEqual(try enabledIn(-1), [:])
        // The same questions later give the same answers.
        clock.advance(Double(90 * day))
        try add("c@tinh.gov.vn")
        try store.setEnabled(b.address, true)
        XCTAssertEqual(try enabledIn(0), month0)
        XCTAssertEqual(try enabledIn(1), month1)
        XCTAssertEqual(try enabledIn(2), month2)
        XCTAssertEqual(try enabledIn(0, kind: nil).count, 3)
    }

    func testAccountCreatedDisabledAndNeverEnabledIsNotCounted() throws {
        let u = try XCTUnwrap(try store.unit(code: "H-A")).id
        try store.createAccount(
            NewAccount(
                address: address("d@tinh.gov.vn"), displayName: "D", unitID: u,
                status: .disabled, quota: 0))
        XCTAssertEqual(try enabledIn(0), [:])
    }
}
