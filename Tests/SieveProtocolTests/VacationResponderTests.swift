import MailCore
import MessageFormat
import SieveProtocol
import XCTest

/// RFC 5230 §4.5 / RFC 3834: when a vacation reply is sent, and what it looks like.
final class VacationResponderTests: XCTestCase {
    let me = try! EmailAddress("chuyenvien@tinh.gov.vn")
    let request = VacationRequest(
        period: 86_400, subject: nil, from: nil, addresses: ["cv@tinh.gov.vn"], mime: false,
        reason: "Tôi đang nghỉ phép đến hết ngày 10/12.\nXin cảm ơn.", handle: "h")

    func decide(_ headers: [String], from: String = "sender@example.vn") -> VacationResponder.Decision {
        VacationResponder.decide(
            request, message: sieveMessage(headers, from: from, to: me.description), recipient: me,
            ownAddresses: [try! EmailAddress("alias@tinh.gov.vn")])
    }

    func testWhoGetsAReply() throws {
        let sender = try EmailAddress("sender@example.vn")
        let base = ["From: sender@example.vn", "Subject: hi"]
        XCTAssertEqual(decide(base + ["To: chuyenvien@tinh.gov.vn"]), .reply(to: sender))
        XCTAssertEqual(decide(base + ["Cc: Chuyên viên <CHUYENVIEN@tinh.gov.vn>"]), .reply(to: sender))
        XCTAssertEqual(decide(base + ["To: alias@tinh.gov.vn"]), .reply(to: sender))
        XCTAssertEqual(decide(base + ["To: cv@tinh.gov.vn"]), .reply(to: sender))
        XCTAssertEqual(decide(base + ["To: chuyenvien@tinh.gov.vn", "Auto-Submitted: no"]), .reply(to: sender))
        let skipped: [([String], String)] = [
            (base + ["To: someone@else.vn"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "Auto-Submitted: auto-replied"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "Precedence: bulk"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "Precedence: list"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "Precedence: junk"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "List-Id: <l.example.vn>"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "List-Unsubscribe: <mailto:x@y>"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn", "X-Auto-Response-Suppress: OOF"], "sender@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn"], ""),
            (base + ["To: chuyenvien@tinh.gov.vn"], "MAILER-DAEMON@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn"], "owner-list@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn"], "list-request@example.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn"], "chuyenvien@tinh.gov.vn"),
            (base + ["To: chuyenvien@tinh.gov.vn"], "alias@tinh.gov.vn"),
        ]
        for (headers, from) in skipped {
            guard case .skip = decide(headers, from: from) else {
                return XCTFail("replied to \(from) with \(headers)")
            }
        }
    }

    func testReplyIsThreadedAutoSubmittedAndEncoded() throws {
        let original = sieveMessage(
            [
                "From: sender@example.vn", "To: chuyenvien@tinh.gov.vn",
                "Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMw==?=", "Message-ID: <m1@example.vn>",
                "References: <m0@example.vn>",
            ], from: "sender@example.vn", to: me.description)
        let bytes = VacationResponder.compose(
            request, message: original, from: me, to: try EmailAddress("sender@example.vn"),
            messageID: "reply1@tinh.gov.vn", date: "Fri, 04 Dec 2026 18:00:00 +0700")
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(bytes.allSatisfy { $0 < 128 }, "the reply must be 7-bit on the wire")
        XCTAssertFalse(text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "only CRLF line ends")
        let parsed = MessageParser.parse(bytes)
        XCTAssertEqual(parsed.header.first("Subject")?.decodedValue, "Auto: Công văn số 123")
        XCTAssertEqual(parsed.header.first("Auto-Submitted")?.value, "auto-replied (vacation)")
        XCTAssertEqual(parsed.header.first("In-Reply-To")?.value, "<m1@example.vn>")
        XCTAssertEqual(parsed.header.first("References")?.value, "<m0@example.vn> <m1@example.vn>")
        XCTAssertEqual(parsed.header.first("To")?.value, "<sender@example.vn>")
        XCTAssertEqual(parsed.header.first("From")?.value, "chuyenvien@tinh.gov.vn")
        let body = parsed.decodedBodyTexts(in: bytes).joined()
        XCTAssertTrue(body.contains("Tôi đang nghỉ phép đến hết ngày 10/12.\r\nXin cảm ơn."), body)
        for line in text.components(separatedBy: "\r\n") { XCTAssertLessThanOrEqual(line.utf8.count, 78, line) }
    }

    func testLongVietnameseSubjectIsSplitIntoShortEncodedWords() throws {
        var long = request
        long = VacationRequest(
            period: 1, subject: String(repeating: "Thông báo nghỉ phép của chuyên viên ", count: 4), from: nil,
            addresses: [], mime: false, reason: "ok", handle: "h")
        let bytes = VacationResponder.compose(
            long, message: sieveMessage(["From: a@b.vn"]), from: me, to: try EmailAddress("a@b.vn"),
            messageID: "x@y", date: "d")
        let parsed = MessageParser.parse(bytes)
        XCTAssertEqual(parsed.header.first("Subject")?.decodedValue, long.subject)
        for line in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") {
            XCTAssertLessThanOrEqual(line.count, 78)
        }
    }
}

extension VacationResponderTests {
    func testMimeReasonAndFromAreUsedAsGiven() throws {
        let mime = VacationRequest(
            period: 1, subject: "s", from: "Văn phòng <vanphong@tinh.gov.vn>", addresses: [], mime: true,
            reason:
                "Content-Type: text/plain;\n charset=utf-8\nBcc: victim@example.com\nContent-Transfer-Encoding: 8bit\n\nXin chào\n",
            handle: "h")
        let bytes = VacationResponder.compose(
            mime, message: sieveMessage(["From: a@b.vn"]), from: me, to: try EmailAddress("a@b.vn"), messageID: "x@y",
            date: "d")
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(
            text.contains(
                "MIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            ),
            text)
        XCTAssertFalse(text.contains("victim"), "only Content-* fields of a :mime reason reach the header")
        XCTAssertTrue(text.hasSuffix("\r\n\r\nXin chào\r\n"), text)
        // A :from with non-ASCII display name falls back to the bare address; one with a line break is ignored.
        XCTAssertTrue(text.contains("From: vanphong@tinh.gov.vn\r\n"), text)
        let injected = VacationRequest(
            period: 1, subject: "s\r\nBcc: x@y", from: "a@b.vn\r\nBcc: victim@example.com", addresses: [], mime: false,
            reason: "r", handle: "h")
        let safe = String(
            decoding: VacationResponder.compose(
                injected, message: sieveMessage(["From: a@b.vn"]), from: me, to: try EmailAddress("a@b.vn"),
                messageID: "x@y", date: "d"), as: UTF8.self)
        XCTAssertFalse(safe.contains("\r\nBcc:"), safe)
        XCTAssertTrue(safe.contains("From: chuyenvien@tinh.gov.vn\r\n"), safe)
    }
}
