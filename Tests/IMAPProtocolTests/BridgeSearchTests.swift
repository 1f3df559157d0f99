import MailCore
import MessageFormat
import XCTest

@testable import IMAPProtocol

/// SEARCH over real message content through `MessageSearchAdapter` and the session's evaluator:
/// decoded Vietnamese headers and bodies in UTF-8 and Windows-1258, case-insensitive.
final class BridgeSearchTests: XCTestCase {
    typealias F = BridgeFixtures

    func adapter(_ stored: [UInt8], uid: UInt32 = 1) -> MessageSearchAdapter {
        MessageSearchAdapter(
            uid: UID(uid), internalDate: 1_795_000_000, content: IMAPMessageContent(storedBytes: stored))
    }

    func matches(_ key: SearchKey, _ stored: [UInt8]) -> Bool {
        let m = adapter(stored)
        let context = SearchContext(
            sequenceNumber: 1, flags: [], isRecent: false, largestSequenceNumber: 1, largestUID: 1,
            zoneOffsetSeconds: 7 * 3600)
        return SearchEvaluator.matches(key, message: m, uid: m.uid, context: context)
    }

    func testHeaderKeysMatchDecodedVietnameseIgnoringCase() {
        let m = F.vietnamese
        XCTAssertTrue(matches(.subject("CÔNG VĂN"), m))  // Windows-1258 encoded word
        XCTAssertTrue(matches(.subject("văn số 12"), m))  // across a Windows-1258 and a UTF-8 word
        XCTAssertFalse(matches(.subject("van so"), m))  // diacritics are significant
        XCTAssertTrue(matches(.from("NGUYỄN văn"), m))  // base64 UTF-8 display name
        XCTAssertTrue(matches(.from("a@tinh.gov.vn"), m))
        XCTAssertTrue(matches(.to("trần b"), m))  // raw UTF-8 in a quoted name
        XCTAssertTrue(matches(.cc("undisclosed"), m))
        XCTAssertFalse(matches(.bcc("a"), m))
        XCTAssertTrue(matches(.header("message-id", "m1@"), m))
        XCTAssertTrue(matches(.header("In-Reply-To", ""), m))
        XCTAssertFalse(matches(.header("X-Absent", ""), m))
        XCTAssertTrue(matches(.subject("CAFÉ"), F.crlf("Subject: =?ISO-8859-1?Q?Caf=E9?=\n\nx")))
    }

    func testBodyKeysMatchCharsetDecodedTextOnly() {
        let m = F.vietnamese
        XCTAssertTrue(matches(.body("KÍNH GỬI"), m))  // Windows-1258 with combining tone marks, QP
        XCTAssertTrue(matches(.body("đơn vị trên"), m))  // across a QP soft line break
        XCTAssertFalse(matches(.body("Công"), m))  // only in the Subject
        XCTAssertTrue(matches(.text("Công"), m))
        XCTAssertTrue(matches(.text("kính"), m))
        XCTAssertTrue(matches(.body("kính gửi"), F.alternativeWithAttachment))  // QP UTF-8 part
        XCTAssertFalse(matches(.body("JVBERi"), F.alternativeWithAttachment))  // the PDF is not text
        XCTAssertTrue(matches(.body("INNER TEXT"), F.forwarded))  // text inside a forwarded message
    }

    func testSentDateIsTheDateHeadersOwnCalendarDay() {
        // 00:30 +0700 on the 27th is still the 26th in UTC; SENTON uses the sender's date.
        XCTAssertEqual(adapter(F.vietnamese).sentDate, IMAPDate(year: 2026, month: 11, day: 27))
        XCTAssertTrue(matches(.sentOn(IMAPDate(year: 2026, month: 11, day: 27)), F.vietnamese))
        XCTAssertFalse(matches(.sentBefore(IMAPDate(year: 2026, month: 11, day: 27)), F.vietnamese))
        XCTAssertNil(adapter(F.sparse).sentDate)
        XCTAssertFalse(matches(.sentSince(IMAPDate(year: 1970, month: 1, day: 1)), F.sparse))
    }

    func testSizeIsTheSizeAsSent() {
        let bare = Array(F.text(F.signed).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        let a = adapter(bare)
        XCTAssertEqual(a.size, F.signed.count)
        XCTAssertTrue(matches(.larger(UInt32(F.signed.count - 1)), bare))
        XCTAssertFalse(matches(.larger(UInt32(F.signed.count)), bare))
        XCTAssertTrue(matches(.body("signed text"), bare))
    }
}
