import XCTest
@testable import MailCore

final class EmailAddressTests: XCTestCase {
    func testParsesAndLowercasesDomainButKeepsLocalCase() throws {
        let a = try EmailAddress("Nguyen.Van.A@SoTTTT.HaNoi.GOV.vn")
        XCTAssertEqual(a.localPart, "Nguyen.Van.A")
        XCTAssertEqual(a.domain.name, "sotttt.hanoi.gov.vn")
        XCTAssertEqual(a.description, "Nguyen.Van.A@sotttt.hanoi.gov.vn")
        XCTAssertEqual(a.key, "nguyen.van.a@sotttt.hanoi.gov.vn")
    }

    func testEqualityIgnoresCase() throws {
        XCTAssertEqual(try EmailAddress("AN@x.vn"), try EmailAddress("an@X.VN"))
        XCTAssertEqual(Set([try EmailAddress("AN@x.vn"), try EmailAddress("an@x.vn")]).count, 1)
    }

    func testRefusesBadAddresses() {
        let cases: [(String, EmailAddress.Problem)] = [
            ("no-at-sign", .missingAt),
            ("@x.vn", .emptyLocalPart),
            (".a@x.vn", .badLocalPart(".")),
            ("a..b@x.vn", .badLocalPart(".")),
            ("a b@x.vn", .badLocalPart(" ")),
            ("a@-x.vn", .badDomain(Domain.Problem.badLabel("-x").description)),
            ("a@", .badDomain(Domain.Problem.empty.description)),
            (String(repeating: "a", count: 65) + "@x.vn", .localPartTooLong),
        ]
        for (text, problem) in cases {
            XCTAssertThrowsError(try EmailAddress(text), text) {
                XCTAssertEqual($0 as? EmailAddress.Problem, problem, text)
            }
        }
    }

    func testAcceptsUTF8LocalPart() throws {
        let a = try EmailAddress("nguyễn@x.vn")
        XCTAssertEqual(a.localPart, "nguyễn")
    }
}

final class SecretTests: XCTestCase {
    func testNeverPrintsItsValue() {
        let s = Secret("hunter2-mật-khẩu")
        XCTAssertEqual("\(s)", "<redacted>")
        XCTAssertEqual(String(reflecting: s), "<redacted>")
        XCTAssertFalse("\([s])".contains("hunter2"))
        XCTAssertEqual(s.unsafeText, "hunter2-mật-khẩu")
    }
}
