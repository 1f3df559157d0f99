import XCTest
@testable import MessageFormat

final class HeaderSectionTests: XCTestCase {
    func testSplitUnfoldAndRawBytes() throws {
        let m = TestMessages.crlf([
            "Subject: first line", "  continued\tline", "X-Empty:", "from: a@b.vn", "", "body line", "",
        ])
        let (h, bodyStart) = MessageParser.parseHeader(m)
        XCTAssertEqual(h.fields.map(\.name), ["Subject", "X-Empty", "from"])
        let subject = try XCTUnwrap(h.first("SUBJECT"))
        XCTAssertEqual(subject.value, "first line  continued\tline")
        XCTAssertEqual(String(decoding: subject.raw, as: UTF8.self), "Subject: first line\r\n  continued\tline\r\n")
        XCTAssertEqual(Array(m[subject.range]), subject.raw)
        XCTAssertEqual(h.first("x-empty")?.value, "")
        XCTAssertEqual(h.first("From")?.value, "a@b.vn")
        XCTAssertEqual(TestMessages.text(m, bodyStart..<m.count), "body line\r\n\r\n")
        XCTAssertEqual(
            TestMessages.text(m, h.range),
            "Subject: first line\r\n  continued\tline\r\nX-Empty:\r\nfrom: a@b.vn\r\n\r\n")
    }

    func testEdgeCases() {
        struct Case { var input: [UInt8]; var names: [String]; var bodyStart: Int }
        let cases: [Case] = [
            Case(input: Array("A: 1\nB: 2\n\nbody".utf8), names: ["A", "B"], bodyStart: 11),  // bare LF
            Case(input: Array("A: 1\r\nB: 2".utf8), names: ["A", "B"], bodyStart: 10),  // no final newline, no body
            Case(input: Array("\r\nbody".utf8), names: [], bodyStart: 2),  // empty header
            Case(input: [], names: [], bodyStart: 0),
            Case(input: Array("  orphan continuation\nC : obsolete\n\n".utf8), names: ["C"], bodyStart: 36),
            // a broken line among fields is skipped; a first line that is not a field means "no header"
            Case(input: Array("A: 1\nnot a field\nB: 2\n\n".utf8), names: ["A", "B"], bodyStart: 23),
            Case(input: Array("text right away\n\nmore".utf8), names: [], bodyStart: 0),
            Case(
                input: Array("From sender@x.vn Fri Nov 27 10:00:00 2026\nSubject: s\n\nbody".utf8), names: ["Subject"],
                bodyStart: 54),
            Case(input: Array("Subject: Thông báo\n\n".utf8), names: ["Subject"], bodyStart: 22),  // 8-bit UTF-8
        ]
        for c in cases {
            let (h, b) = MessageParser.parseHeader(c.input)
            XCTAssertEqual(h.fields.map(\.name), c.names, String(decoding: c.input, as: UTF8.self))
            XCTAssertEqual(b, c.bodyStart, String(decoding: c.input, as: UTF8.self))
        }
    }

    func testVeryLongLine() {
        let long = String(repeating: "x", count: 200_000)
        let (h, _) = MessageParser.parseHeader(Array("X-Long: \(long)\r\n\r\n".utf8))
        XCTAssertEqual(h.first("x-long")?.value.count, 200_000)
    }

    func testHeaderFieldsSelection() {
        let m = TestMessages.crlf(["From: a@x.vn", "To: b@x.vn", "Subject: s", "", "b"])
        let (h, _) = MessageParser.parseHeader(m)
        XCTAssertEqual(
            String(decoding: h.fieldBytes(["subject", "FROM"]), as: UTF8.self), "From: a@x.vn\r\nSubject: s\r\n\r\n")
        XCTAssertEqual(
            String(decoding: h.fieldBytes(["to"], excluding: true), as: UTF8.self), "From: a@x.vn\r\nSubject: s\r\n\r\n"
        )
        XCTAssertEqual(String(decoding: h.fieldBytes(["x-none"]), as: UTF8.self), "\r\n")
    }

    func testDecodedValue() {
        let m = TestMessages.crlf([
            "Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?=", "", "",
        ])
        let (h, _) = MessageParser.parseHeader(m)
        XCTAssertEqual(h.first("subject")?.decodedValue, TestMessages.vietnameseSubject)
    }
}
