import XCTest
@testable import MessageFormat

final class SubmissionHeadersTests: XCTestCase {
    func testFromAndPresence() {
        let m = MessageParser.parse(
            TestMessages.crlf([
                "From: \"Văn thư\" <VanThu@Tinh.Gov.VN>, other@tinh.gov.vn", "Subject: x", "", "b",
            ]))
        XCTAssertEqual(m.headerFromAddresses.map(\.address), ["VanThu@Tinh.Gov.VN", "other@tinh.gov.vn"])
        XCTAssertEqual(m.headerFromAddresses.first?.name, "Văn thư")
        XCTAssertFalse(m.hasDateHeader)
        XCTAssertFalse(m.hasMessageIDHeader)
        XCTAssertNil(m.sentDate)

        let full = MessageParser.parse(
            TestMessages.crlf([
                "date: Fri, 27 Nov 2026 10:58:20 +0700", "MESSAGE-ID: <a@b>", "", "",
            ]))
        XCTAssertTrue(full.hasDateHeader)
        XCTAssertTrue(full.hasMessageIDHeader)
        XCTAssertEqual(full.sentDate?.day, 27)
        XCTAssertTrue(full.headerFromAddresses.isEmpty)
    }
}
