import XCTest
@testable import MessageFormat

final class SignedMessageTests: XCTestCase {
    func testDetectionTable() {
        let table: [(String, Bool)] = [
            ("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=s", true),
            ("multipart/signed; protocol=\"application/x-pkcs7-signature\"; boundary=s", true),
            ("multipart/signed; protocol=\"application/pgp-signature\"; boundary=s", false),
            ("multipart/signed; boundary=s", false),
            ("application/pkcs7-mime; smime-type=signed-data; name=smime.p7m", true),
            ("application/x-pkcs7-mime; smime-type=\"Signed-Data\"", true),
            ("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m", false),
            ("application/pkcs7-mime; name=smime.p7m", false),  // conservative: could be encrypted
            ("text/plain", false),
        ]
        for (ct, expected) in table {
            let bytes = TestMessages.crlf(["Content-Type: \(ct)", "", "--s", "", "x", "--s--"])
            XCTAssertEqual(MessageParser.parse(bytes).isSMIMESigned, expected, ct)
        }
    }

    func testNestedSignatureDoesNotCount() {
        let bytes = TestMessages.crlf([
            "Content-Type: multipart/mixed; boundary=o", "", "--o",
            "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=s", "",
            "--s", "", "x", "--s--", "--o--",
        ])
        XCTAssertFalse(MessageParser.parse(bytes).isSMIMESigned)
    }
}
