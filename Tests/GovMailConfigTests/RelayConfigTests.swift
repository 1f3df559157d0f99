import XCTest
@testable import GovMailConfig

/// `smtp.relay.verify_certificate`: on by default, can be turned off for a self-signed test smarthost.
final class RelayConfigTests: XCTestCase {
    func testVerifyCertificateDefaultsToTrue() throws {
        XCTAssertTrue(Config().smtp.relay.verifyCertificate)
        XCTAssertTrue(
            try ConfigLoader.parse("smtp:\n  relay:\n    host: smarthost.example\n", file: "t.yaml")
                .smtp.relay.verifyCertificate)
    }

    func testVerifyCertificateCanBeTurnedOffAndIsRendered() throws {
        let c = try ConfigLoader.parse(
            "smtp:\n  relay:\n    host: 127.0.0.1\n    verify_certificate: false\n", file: "t.yaml")
        XCTAssertFalse(c.smtp.relay.verifyCertificate)
        XCTAssertTrue(ConfigRenderer.yaml(c).contains("verify_certificate: false"))
        XCTAssertEqual(try ConfigLoader.parse(ConfigRenderer.yaml(c), file: "r.yaml"), c)
    }

    func testVerifyCertificateMustBeABoolean() {
        XCTAssertThrowsError(try ConfigLoader.parse("smtp:\n  relay:\n    verify_certificate: maybe\n", file: "t.yaml"))
        { error in
            XCTAssertEqual((error as? ConfigError)?.keyPath, "smtp.relay.verify_certificate")
        }
    }
}
