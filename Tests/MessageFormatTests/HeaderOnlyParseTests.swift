import XCTest
@testable import MessageFormat

final class HeaderOnlyParseTests: XCTestCase {
    func testHeaderOnlyParseFindsFieldsCaseInsensitivelyAndStopsAtTheEmptyLine() {
        let bare = TestMessages.crlf(["From: \"Văn thư\" <VanThu@Tinh.Gov.VN>", "Subject: x", "", "Date: in body"])
        let (header, bodyStart) = MessageParser.parseHeader(bare)
        XCTAssertNil(header.first("Date"), "a Date line in the body is not a header field")
        XCTAssertEqual(header.all("from").map(\.value), ["\"Văn thư\" <VanThu@Tinh.Gov.VN>"])
        XCTAssertEqual(Array(bare[bodyStart...]), Array("Date: in body\r\n".utf8))
        XCTAssertNil(MessageParser.parse(bare).sentDate)

        let full = TestMessages.crlf(["date: Fri, 27 Nov 2026 10:58:20 +0700", "MESSAGE-ID: <a@b>", "", ""])
        XCTAssertNotNil(MessageParser.parseHeader(full).header.first("Date"))
        XCTAssertEqual(MessageParser.parseHeader(full).header.first("Message-ID")?.value, "<a@b>")
        XCTAssertEqual(MessageParser.parse(full).sentDate?.day, 27)
    }
}
