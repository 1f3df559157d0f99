import XCTest
@testable import MessageFormat

final class MIMEParametersTests: XCTestCase {
    func testContentTypeTable() {
        let table: [(String, String?, [String: String])] = [
            ("text/plain", "text/plain", [:]),
            ("TEXT/HTML; CHARSET=\"UTF-8\"", "text/html", ["charset": "UTF-8"]),
            ("multipart/mixed; boundary=\"--=_abc; x\"", "multipart/mixed", ["boundary": "--=_abc; x"]),
            (
                "text/plain (comment); charset = utf-8 (c2); format=flowed", "text/plain",
                ["charset": "utf-8", "format": "flowed"]
            ),
            ("application/pdf; name=my file.pdf", "application/pdf", ["name": "my file.pdf"]),
            ("application/pdf; name=\"a\\\"b\"", "application/pdf", ["name": "a\"b"]),
            ("text", nil, [:]),
            ("", nil, [:]),
            ("/plain", nil, [:]),
        ]
        for (input, mime, params) in table {
            let ct = ContentType.parse(Array(input.utf8))
            XCTAssertEqual(ct?.mimeType, mime, input)
            for (k, v) in params { XCTAssertEqual(ct?.parameters[k], v, "\(input) \(k)") }
        }
    }

    func testRFC2231FilenamesInVietnamese() {
        let table: [(String, String)] = [
            // charset'language'percent-encoded
            (
                "attachment; filename*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20s%E1%BB%91%2045.pdf",
                "Quyết định số 45.pdf"
            ),
            ("attachment; filename*=utf-8'vi'C%C3%B4ng%20v%C4%83n.docx", "Công văn.docx"),
            // continuations, encoded and plain, given out of order
            (
                "attachment; filename*1*=%20s%E1%BB%91%2045.pdf; filename*0*=UTF-8''Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh",
                "Quyết định số 45.pdf"
            ),
            ("attachment; filename*0=\"B\u{E1}o c\u{E1}o \"; filename*1=\"n\u{103}m.xlsx\"", "Báo cáo năm.xlsx"),
            // Windows-1258: "số" is s + ô + U+0301
            ("attachment; filename*=windows-1258''s%F4%EC.txt", "số.txt"),
            // unknown charset: bytes kept (as UTF-8 / Windows-1252)
            ("attachment; filename*=x-unknown''abc.txt", "abc.txt"),
            // encoded word in a plain parameter (Outlook style)
            ("attachment; filename=\"=?utf-8?B?QuG6o25nIGvDqi54bHN4?=\"", "Bảng kê.xlsx"),
        ]
        for (input, expected) in table {
            let (head, params) = MIMEValueParser.parse(Array(input.utf8))
            XCTAssertEqual(head, "attachment")
            XCTAssertEqual(ContentDisposition(type: head, parameters: params).filename, expected, input)
        }
    }

    func testRawParametersKeptForBodyStructure() {
        let ct = ContentType.parse(Array("text/plain; name*0=\"a\"; name*1=\"b\"".utf8))
        XCTAssertEqual(
            ct?.parameters.raw, [MIMEParameter(name: "name*0", value: "a"), MIMEParameter(name: "name*1", value: "b")])
        XCTAssertEqual(ct?.parameters["NAME"], "ab")
    }
}
