import XCTest
@testable import MessageFormat

final class TransferDecodingTests: XCTestCase {
    func testQuotedPrintableTable() {
        let table: [(String, String)] = [
            ("a=3Db", "a=b"),
            ("soft=\r\nbreak", "softbreak"),
            ("soft=\nbreak", "softbreak"),
            ("soft=  \r\nbreak", "softbreak"),
            ("trailing   \r\nnext", "trailing\r\nnext"),
            ("keep = sign", "keep = sign"),
            ("bad=ZZ", "bad=ZZ"),
            ("end=", "end"),
            ("lower=c3=a0", "lowerà"),
            ("Vi=E1=BB=87t Nam", "Việt Nam"),
        ]
        for (input, expected) in table {
            XCTAssertEqual(
                String(decoding: TransferDecoding.decodeQuotedPrintable(Array(input.utf8)), as: UTF8.self), expected,
                input)
        }
    }

    func testDecodeByEncoding() {
        XCTAssertEqual(TransferDecoding.decode(Array("SGVs\r\nbG8=".utf8), encoding: "base64"), Array("Hello".utf8))
        XCTAssertEqual(TransferDecoding.decode(Array("x=41".utf8), encoding: "7bit"), Array("x=41".utf8))
        XCTAssertEqual(TransferDecoding.decode(Array("x=41".utf8), encoding: "quoted-printable"), Array("xA".utf8))
    }

    func testDecodedBodyTextsForSearch() {
        let bytes = MessageParserTests.nested
        let m = MessageParser.parse(bytes)
        // Text parts only (the PDF attachment is skipped), inner message included.
        XCTAssertEqual(m.decodedBodyTexts(in: bytes), ["Kính gửi", "<p>Công văn số</p>", "inner text"])
        XCTAssertTrue(m.decodedHeaderText.contains(TestMessages.vietnameseSubject))
    }

    func testWindows1258BodyIsNFC() {
        let body: [UInt8] = Array("Content-Type: text/plain; charset=windows-1258\r\n\r\nvi".utf8) + [0xEA, 0xF2, 0x63]
        let m = MessageParser.parse(body)
        XCTAssertEqual(m.decodedBodyTexts(in: body), ["việc"])
        XCTAssertEqual(m.decodedBodyTexts(in: body).first?.unicodeScalars.count, 4)
    }
}
