import XCTest
@testable import MessageFormat

final class SectionTests: XCTestCase {
    private let bytes = MessageParserTests.nested
    private lazy var message = MessageParser.parse(bytes)

    private func fetch(_ part: [Int], _ text: SectionSpec.Text? = nil) -> String? {
        message.content(of: SectionSpec(part: part, text: text)).map {
            String(decoding: $0.bytes(in: bytes), as: UTF8.self)
        }
    }

    func testSectionTable() {
        let table: [([Int], SectionSpec.Text?, String?)] = [
            ([1, 1], nil, "K=C3=ADnh g=E1=BB=ADi"),
            (
                [1, 1], .mime,
                "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            ),
            ([1, 2], nil, "PHA+Q/RuZyB2424gc/TsPC9wPg=="),
            ([2], .mime, "Content-Type: message/rfc822\r\nContent-Description: forwarded\r\n\r\n"),
            ([2], .header, "From: x@y.vn\r\nSubject: inner\r\nContent-Type: multipart/mixed; boundary=b3\r\n\r\n"),
            ([2], .headerFields(["subject"]), "Subject: inner\r\n\r\n"),
            ([2], .headerFieldsNot(["from", "content-type"]), "Subject: inner\r\n\r\n"),
            ([2, 1], nil, "inner text"),
            ([2, 2], nil, "JVBERi0xLjQK"),
            (
                [2, 2], .mime,
                "Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <pdf1>\r\n\r\n"
            ),
            (
                [], .headerFields(["Message-ID", "Date"]),
                "Date: Fri, 27 Nov 2026 10:58:20 +0700\r\nMessage-ID: <m1@tinh.gov.vn>\r\n\r\n"
            ),
            ([3], nil, nil),
            ([0], nil, nil),
            ([1, 1, 1], nil, "K=C3=ADnh g=E1=BB=ADi"),  // below a single part `.1` is itself, as in Dovecot
            ([1, 1, 2], nil, nil),  // …and nothing else is
            ([1, 1], .header, nil),  // HEADER only for message/rfc822 parts
            ([], .mime, nil),
        ]
        for (part, text, expected) in table {
            XCTAssertEqual(fetch(part, text), expected, "\(part) \(String(describing: text))")
        }
    }

    func testWholeMessageHeaderAndText() {
        XCTAssertEqual(fetch([])?.utf8.count, bytes.count)
        let header = fetch([], .header) ?? ""
        XCTAssertTrue(header.hasPrefix("From: "))
        XCTAssertTrue(header.hasSuffix("boundary=\"outer\"\r\n\r\n"))
        let text = fetch([], .text) ?? ""
        XCTAssertTrue(text.hasPrefix("This is the preamble.\r\n--outer\r\n"))
        XCTAssertTrue(text.hasSuffix("--outer--\r\nepilogue\r\n"))
        XCTAssertEqual(header.utf8.count + text.utf8.count, bytes.count)
        // BODY[2] of a message/rfc822 part is the whole encapsulated message.
        XCTAssertTrue(fetch([2])?.hasPrefix("From: x@y.vn\r\n") ?? false)
        XCTAssertTrue(fetch([2])?.hasSuffix("--b3--") ?? false)
        XCTAssertEqual(fetch([2, 1], .mime), "\r\n")
    }

    func testSinglePartMessage() {
        let b = TestMessages.crlf(["Subject: s", "", "body"])
        let m = MessageParser.parse(b)
        XCTAssertEqual(m.content(of: SectionSpec(part: [1])).map { Array($0.bytes(in: b)) }, Array("body\r\n".utf8))
        XCTAssertNil(m.content(of: SectionSpec(part: [2])))
        XCTAssertEqual(m.part(at: [1])?.bodyRange, m.root.bodyRange)
    }

    func testTopLevelMessageRFC822() {
        let b = TestMessages.crlf(["Content-Type: message/rfc822", "", "Subject: in", "", "inner body"])
        let m = MessageParser.parse(b)
        XCTAssertEqual(
            m.content(of: SectionSpec(part: [1])).map { String(decoding: $0.bytes(in: b), as: UTF8.self) },
            "Subject: in\r\n\r\ninner body\r\n")
        XCTAssertEqual(
            m.content(of: SectionSpec(part: [1, 1])).map { String(decoding: $0.bytes(in: b), as: UTF8.self) },
            "inner body\r\n")
        XCTAssertEqual(
            m.content(of: SectionSpec(part: [1], text: .header)).map {
                String(decoding: $0.bytes(in: b), as: UTF8.self)
            },
            "Subject: in\r\n\r\n")
    }
}
