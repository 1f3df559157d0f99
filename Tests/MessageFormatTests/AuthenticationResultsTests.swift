import XCTest

@testable import MessageFormat

/// RFC 8601 Authentication-Results: whose field is it, removing forged ones, writing ours.
final class AuthenticationResultsTests: XCTestCase {
    func testAuthservIDTable() {
        let table: [(String, String?)] = [
            ("mail.example.gov.vn; smime=pass", "mail.example.gov.vn"),
            ("Mail.Example.Gov.VN.; none", "mail.example.gov.vn"),
            ("  (relayed) mail.example.gov.vn 1; dkim=pass", "mail.example.gov.vn"),
            ("mail.example.gov.vn(comment);none", "mail.example.gov.vn"),
            ("\"mail.example.gov.vn\"; smime=pass", "mail.example.gov.vn"),
            ("mx.other.example; spf=pass", "mx.other.example"),
            ("", nil),
            ("; smime=pass", nil),
            ("(only a comment", nil),
        ]
        for (value, expected) in table {
            XCTAssertEqual(AuthenticationResults.authservID(Array(value.utf8)), expected, value)
        }
    }

    func testForgedFieldsOfOurHostAreRemovedOthersKept() {
        let message = Array(
            ("Received: from x by mail.example.gov.vn\r\n"
                + "Authentication-Results: MAIL.example.gov.vn;\r\n\tsmime=pass header.from=boss@example.gov.vn\r\n"
                + "From: a@example.gov.vn\r\n"
                + "authentication-results: mx.other.example; spf=pass\r\n"
                + "Authentication-Results: (x) mail.example.gov.vn.; dkim=pass\r\n"
                + "Subject: hi\r\n\r\n"
                + "Authentication-Results: mail.example.gov.vn; smime=pass\r\n").utf8)
        let cleaned = AuthenticationResults.removingFields(of: "mail.example.gov.vn", from: message)
        XCTAssertEqual(
            String(decoding: cleaned, as: UTF8.self),
            "Received: from x by mail.example.gov.vn\r\n" + "From: a@example.gov.vn\r\n"
                + "authentication-results: mx.other.example; spf=pass\r\n" + "Subject: hi\r\n\r\n"
                + "Authentication-Results: mail.example.gov.vn; smime=pass\r\n")
        let untouched = Array("From: a@b.c\r\n\r\nbody\r\n".utf8)
        XCTAssertEqual(AuthenticationResults.removingFields(of: "mail.example.gov.vn", from: untouched), untouched)
    }

    func testFieldIsFoldedSanitisedAndReadsBack() {
        let f = AuthenticationResults.field(
            authservID: "mail.example.gov.vn",
            .init(
                method: "smime", result: "fail", reason: "bad (very)\r\n bad\\",
                properties: [("header.from", "alice@snv.example.gov.vn")]))
        XCTAssertEqual(
            f,
            "Authentication-Results: mail.example.gov.vn;\r\n\tsmime=fail (bad very bad) header.from=alice@snv.example.gov.vn\r\n"
        )
        let parsed = MessageParser.parseHeader(Array((f + "\r\n").utf8)).header
        XCTAssertEqual(parsed.fields.count, 1)
        XCTAssertEqual(AuthenticationResults.authservID(parsed.fields[0].unfoldedValueBytes), "mail.example.gov.vn")
        XCTAssertEqual(AuthenticationResults.pvalue("a b\"c@x.vn"), "\"a b\\\"c@x.vn\"")
        XCTAssertEqual(AuthenticationResults.pvalue("nguyễn@sở.vn"), "nguyễn@sở.vn")
    }
}
