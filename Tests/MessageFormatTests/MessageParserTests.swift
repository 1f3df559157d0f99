import XCTest
@testable import MessageFormat

final class MessageParserTests: XCTestCase {
    static let nested = TestMessages.crlf([
        "From: =?utf-8?q?Ph=C3=B2ng_H=C3=A0nh_ch=C3=ADnh?= <vanthu@tinh.gov.vn>",
        "To: Nhóm: a@tinh.gov.vn, b@tinh.gov.vn;",
        "Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?=",
        "Date: Fri, 27 Nov 2026 10:58:20 +0700",
        "Message-ID: <m1@tinh.gov.vn>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/mixed; boundary=\"outer\"",
        "",
        "This is the preamble.",
        "--outer",
        "Content-Type: multipart/alternative; boundary=inner",
        "",
        "--inner",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "K=C3=ADnh g=E1=BB=ADi",
        "--inner",
        "Content-Type: text/html; charset=windows-1258",
        "Content-Transfer-Encoding: base64",
        "",
        "PHA+Q/RuZyB2424gc/TsPC9wPg==",
        "--inner--",
        "",
        "--outer",
        "Content-Type: message/rfc822",
        "Content-Description: forwarded",
        "",
        "From: x@y.vn",
        "Subject: inner",
        "Content-Type: multipart/mixed; boundary=b3",
        "",
        "--b3",
        "",
        "inner text",
        "--b3",
        "Content-Type: application/pdf; name=\"a.pdf\"",
        "Content-Disposition: attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh.pdf",
        "Content-Transfer-Encoding: base64",
        "Content-ID: <pdf1>",
        "",
        "JVBERi0xLjQK",
        "--b3--",
        "--outer--",
        "epilogue",
    ])

    func testNestedStructure() throws {
        let bytes = Self.nested
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(m.size, bytes.count)
        XCTAssertEqual(m.root.contentType.mimeType, "multipart/mixed")
        XCTAssertEqual(m.root.parts.count, 2)
        let alt = m.root.parts[0]
        XCTAssertEqual(alt.contentType.mimeType, "multipart/alternative")
        XCTAssertEqual(alt.parts.map(\.contentType.mimeType), ["text/plain", "text/html"])
        XCTAssertEqual(TestMessages.text(bytes, alt.parts[0].bodyRange), "K=C3=ADnh g=E1=BB=ADi")
        XCTAssertEqual(alt.parts[0].bodyLineCount, 1)
        XCTAssertEqual(alt.parts[0].contentTransferEncoding, "quoted-printable")
        XCTAssertEqual(alt.parts[0].decodedText(in: bytes), "Kính gửi")
        XCTAssertEqual(alt.parts[1].decodedText(in: bytes), "<p>Công văn số</p>")

        let fwd = m.root.parts[1]
        XCTAssertEqual(fwd.contentType.mimeType, "message/rfc822")
        XCTAssertEqual(fwd.contentDescription, "forwarded")
        let inner = try XCTUnwrap(fwd.encapsulated?.message)
        XCTAssertEqual(inner.envelope.subject, "inner")
        XCTAssertEqual(inner.envelope.from, [EnvelopeAddress(name: nil, adl: nil, mailbox: "x", host: "y.vn")])
        XCTAssertEqual(inner.root.parts.count, 2)
        XCTAssertEqual(inner.root.parts[0].contentType, .textPlainDefault)
        XCTAssertEqual(TestMessages.text(bytes, inner.root.parts[0].bodyRange), "inner text")
        let pdf = inner.root.parts[1]
        XCTAssertEqual(pdf.disposition?.type, "attachment")
        XCTAssertEqual(pdf.disposition?.filename, "Quyết định.pdf")
        XCTAssertEqual(pdf.contentID, "<pdf1>")
        XCTAssertEqual(pdf.bodySize, 12)
        XCTAssertEqual(pdf.decodedBody(in: bytes), Array("%PDF-1.4\n".utf8))
        XCTAssertEqual(fwd.bodyLineCount, 15)
    }

    func testEnvelope() {
        let m = MessageParser.parse(Self.nested)
        let e = m.envelope
        XCTAssertEqual(e.subject, "=?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMy9VQk5EIHbhu4Egdmnhu4djIHRyaeG7g24ga2hhaQ==?=")
        XCTAssertEqual(e.date, "Fri, 27 Nov 2026 10:58:20 +0700")
        XCTAssertEqual(e.messageID, "<m1@tinh.gov.vn>")
        XCTAssertEqual(e.from?.first?.name, "=?utf-8?q?Ph=C3=B2ng_H=C3=A0nh_ch=C3=ADnh?=")
        XCTAssertEqual(e.sender, e.from)
        XCTAssertEqual(e.replyTo, e.from)
        XCTAssertEqual(e.to?.count, 4)  // group start, two members, group end
        XCTAssertNil(e.cc)
        XCTAssertNil(e.inReplyTo)
        XCTAssertEqual(m.decodedHeaderValues("subject"), [TestMessages.vietnameseSubject])
        XCTAssertEqual(m.headerFromAddresses.first?.name, "Phòng Hành chính")
    }

    func testSimpleMessageDefaultsAndCounts() {
        let bytes = TestMessages.crlf(["Subject: x", "", "line 1", "line 2"])
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(m.root.contentType, .textPlainDefault)
        XCTAssertEqual(m.root.contentType.charset, .usASCII)
        XCTAssertEqual(m.root.contentTransferEncoding, "7bit")
        XCTAssertEqual(m.root.bodyLineCount, 2)
        XCTAssertEqual(m.root.bodySize, 16)
        XCTAssertTrue(m.root.parts.isEmpty)
        XCTAssertNil(m.envelope.from)
        XCTAssertNil(m.envelope.sender)
    }

    func testBareLFAndNoFinalNewline() {
        let bytes = Array(
            "Content-Type: multipart/mixed; boundary=z\n\n--z\n\none\n--z\nContent-Type: text/plain\n\ntwo\n--z--".utf8)
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(m.root.parts.map { TestMessages.text(bytes, $0.bodyRange) }, ["one", "two"])
        XCTAssertEqual(m.root.parts[1].bodyLineCount, 1)

        let plain = Array("Subject: x\n\nno newline at end".utf8)
        let p = MessageParser.parse(plain)
        XCTAssertEqual(TestMessages.text(plain, p.root.bodyRange), "no newline at end")
        XCTAssertEqual(p.root.bodyLineCount, 1)
    }

    func testMissingFinalBoundaryAndBoundaryLookalikes() {
        let bytes = TestMessages.crlf([
            "Content-Type: multipart/mixed; boundary=abc", "",
            "--abc", "", "first", "--abcdef is not a delimiter", "--abc  ", "", "second", "still second",
        ])
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(
            m.root.parts.map { TestMessages.text(bytes, $0.bodyRange) },
            ["first\r\n--abcdef is not a delimiter", "second\r\nstill second\r\n"])
    }

    func testPartWithoutHeaderOrEmptyLine() {
        let bytes = TestMessages.crlf([
            "Content-Type: multipart/mixed; boundary=b", "", "--b", "hello", "world", "--b--",
        ])
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(m.root.parts.count, 1)
        XCTAssertEqual(TestMessages.text(bytes, m.root.parts[0].bodyRange), "hello\r\nworld")
        XCTAssertEqual(m.root.parts[0].headerRange.count, 0)
    }

    func testMultipartWithoutBoundaryOrParts() {
        let noBoundary = MessageParser.parse(TestMessages.crlf(["Content-Type: multipart/mixed", "", "text"]))
        XCTAssertEqual(noBoundary.root.contentType, .textPlainDefault)
        let noParts = MessageParser.parse(
            TestMessages.crlf(["Content-Type: multipart/mixed; boundary=q", "", "no delimiters"]))
        XCTAssertEqual(noParts.root.parts.count, 1)
        XCTAssertEqual(noParts.root.parts[0].bodySize, 0)
    }

    func testDigestDefaultsToMessage() {
        let bytes = TestMessages.crlf([
            "Content-Type: multipart/digest; boundary=d", "", "--d", "", "Subject: digested", "", "hi", "--d--",
        ])
        let m = MessageParser.parse(bytes)
        XCTAssertEqual(m.root.parts.first?.contentType.mimeType, "message/rfc822")
        XCTAssertEqual(m.root.parts.first?.encapsulated?.message.envelope.subject, "digested")
    }

    func testNestingDepthIsBounded() {
        var lines: [String] = []
        let depth = 200
        for i in 0..<depth { lines += ["Content-Type: multipart/mixed; boundary=b\(i)", "", "--b\(i)"] }
        lines += ["", "deep"]
        let bytes = TestMessages.crlf(lines)
        let m = MessageParser.parse(bytes, limits: MessageFormatLimits(maxNestingDepth: 10))
        var maxDepth = 0
        func walk(_ p: MessagePart, _ d: Int) { maxDepth = max(maxDepth, d); p.parts.forEach { walk($0, d + 1) } }
        walk(m.root, 0)
        XCTAssertEqual(maxDepth, 10)
        var truncated = 0
        m.root.forEachPart { if $0.isTruncatedByLimit { truncated += 1 } }
        XCTAssertEqual(truncated, 1)

        // message/rfc822 nesting too.
        var msg: [String] = []
        for _ in 0..<depth { msg += ["Content-Type: message/rfc822", ""] }
        msg += ["deep"]
        let m2 = MessageParser.parse(TestMessages.crlf(msg), limits: MessageFormatLimits(maxNestingDepth: 5))
        var levels = 0
        var cur: MessageStructure? = m2
        while let c = cur { levels += 1; cur = c.root.encapsulated?.message }
        XCTAssertEqual(levels, 6)
    }

    func testPartCountIsBounded() {
        var lines = ["Content-Type: multipart/mixed; boundary=p", ""]
        for _ in 0..<1_000 { lines += ["--p", "", "x"] }
        let m = MessageParser.parse(TestMessages.crlf(lines), limits: MessageFormatLimits(maxParts: 100))
        XCTAssertLessThanOrEqual(m.root.parts.count, 100)
        XCTAssertGreaterThan(m.root.parts.count, 50)
    }

    func testParseFromRawBuffer() {
        let bytes = Self.nested
        let m = bytes.withUnsafeBytes { MessageParser.parse(buffer: $0) }
        XCTAssertEqual(m.root.parts.count, 2)
    }
}
