import Foundation
import GovMailTestSupport
import XCTest

/// Whole-command tests of `govmail config check`: stdout, stderr and exit code of the real binary.
final class ConfigCheckCommandTests: XCTestCase {
    func testValidFilePrintsEffectiveConfigWithSecretsRedacted() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("govmail.yaml")
        try """
        hostname: mail.hanoi.gov.vn
        smtp:
          relay:
            host: relay.example
            username: govmail
            password: "very-secret-relay-pw"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["config", "check", "--config", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("hostname: mail.hanoi.gov.vn"), r.stdout)
        XCTAssertTrue(r.stdout.contains("password: <redacted>"), r.stdout)
        XCTAssertFalse(r.stdout.contains("very-secret-relay-pw"))
        XCTAssertFalse(r.stderr.contains("very-secret-relay-pw"))
        XCTAssertTrue(r.stderr.contains("configuration is valid"), r.stderr)
    }

    func testInvalidFileSaysWhereAndExits65() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("bad.yaml")
        try "hostname: a\nlimits:\n  max_recipients: -3\n".write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["config", "check", "--config", path])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("\(path):3: limits.max_recipients: must be between 1 and 10000"), r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testMissingFileSaysWhatToDo() throws {
        let r = try Binary.run(["config", "check", "--config", "/nonexistent/govmail.yaml"])
        XCTAssertEqual(r.status, 65)
        XCTAssertTrue(r.stderr.contains("cannot read the file"), r.stderr)
        XCTAssertTrue(r.stderr.contains("--config"), r.stderr)
    }

    func testStateDirFlagOverridesTheFile() throws {
        let r = try Binary.run(
            ["config", "check", "--state-dir", "/tmp/gm-state"],
            environment: ["GOVMAIL_CONFIG": ""])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("state_dir: /tmp/gm-state"), r.stdout)
    }
}
