import XCTest
import Foundation
@testable import GovMailConfig

final class ConfigLoaderTests: XCTestCase {
    func testEmptyFileGivesDefaults() throws {
        XCTAssertEqual(try ConfigLoader.parse("", file: "x.yaml"), Config())
    }

    func testReadsEveryGroup() throws {
        let c = try ConfigLoader.parse(
            """
            hostname: mail.hanoi.gov.vn
            state_dir: /srv/govmail
            listeners:
              - protocol: submission
                address: 0.0.0.0
                port: 587
                tls: starttls
              - name: imaps
                protocol: imap
                address: "::"
                port: 993
                tls: implicit
            limits:
              max_message_size: 10_485_760
            smtp:
              relay:
                host: smarthost.example
                username: govmail
                password: s3cret
                retry_schedule: [60, 600]
            analytics:
              active_min_days: 6
              target_share: 0.75
            """, file: "t.yaml")
        XCTAssertEqual(c.hostname, "mail.hanoi.gov.vn")
        XCTAssertEqual(c.listeners.count, 2)
        XCTAssertEqual(c.listeners[0].name, "submission")
        XCTAssertEqual(c.listeners[1].tls, .implicit)
        XCTAssertEqual(c.limits.maxMessageSize, 10_485_760)
        XCTAssertEqual(c.smtp.relay.retrySchedule, [60, 600])
        XCTAssertEqual(c.analytics.activeMinDays, 6)
        XCTAssertEqual(c.analytics.targetShare, 0.75)
        XCTAssertEqual(c.smtp.relay.password.unsafeText, "s3cret")
        XCTAssertFalse(ConfigRenderer.yaml(c).contains("s3cret"))
        XCTAssertTrue(ConfigRenderer.yaml(c).contains("password: <redacted>"))
    }

    func testHostileClientAndPrivilegeKeys() throws {
        let c = try ConfigLoader.parse(
            """
            server:
              user: govmail
              allow_root: true
            limits:
              max_preauth_connections_per_address: 8
              preauth_timeout: 30
              min_upload_rate: 1024
            """, file: "t.yaml")
        XCTAssertEqual(c.server.user, "govmail")
        XCTAssertTrue(c.server.allowRoot)
        XCTAssertEqual(c.limits.maxPreAuthConnectionsPerAddress, 8)
        XCTAssertEqual(c.limits.preAuthTimeout, 30)
        XCTAssertEqual(c.limits.minUploadRate, 1024)
        XCTAssertEqual(try ConfigLoader.parse(ConfigRenderer.yaml(c), file: "r.yaml"), c, "rendered config reads back")
        XCTAssertThrowsError(try ConfigLoader.parse("limits:\n  preauth_timeout: 1\n", file: "t.yaml"))
    }

    func testUnknownKeyNamesFileLineAndPath() {
        assertError(
            """
            hostname: a
            limits:
              max_conections: 5
            """, line: 3, path: "limits.max_conections", contains: "allowed here:")
    }

    func testWrongTypeAndRange() {
        assertError(
            "limits:\n  max_connections: lots\n", line: 2, path: "limits.max_connections", contains: "whole number")
        assertError(
            "limits:\n  max_connections: 0\n", line: 2, path: "limits.max_connections", contains: "between 1 and")
        assertError("log_level: loud\n", line: 1, path: "log_level", contains: "use one of: trace")
        assertError("tls:\n  min_version: \"1.1\"\n", line: 2, path: "tls.min_version", contains: "1.2, 1.3")
        assertError("limits: 5\n", line: 1, path: "limits", contains: "mapping")
        assertError("hostname: a\nhostname: b\n", line: 2, path: "hostname", contains: "twice")
    }

    func testPlaintextOnlyOnLoopback() {
        assertError(
            """
            listeners:
              - protocol: imap
                address: 0.0.0.0
                port: 143
                tls: none
            """, line: 2, path: "listeners[0].tls", contains: "only on loopback")
        XCTAssertNoThrow(
            try ConfigLoader.parse(
                """
                listeners:
                  - protocol: imap
                    address: 127.0.0.1
                    port: 0
                    tls: none
                """, file: "t"))
    }

    func testListenerNeedsProtocolAndPortAndUniqueName() {
        assertError("listeners:\n  - port: 1\n", line: 2, path: "listeners[0].protocol", contains: "needs a protocol")
        assertError("listeners:\n  - protocol: imap\n", line: 2, path: "listeners[0].port", contains: "needs a port")
        assertError(
            """
            listeners:
              - {protocol: imap, port: 1, tls: implicit}
              - {protocol: imap, port: 2, tls: implicit}
            """, line: 3, path: "listeners[1].name", contains: "already called")
    }

    func testPostmasterMustBeAnAddress() throws {
        XCTAssertEqual(
            try ConfigLoader.parse("smtp:\n  postmaster: admin@so.gov.vn\n", file: "t").smtp.postmaster,
            "admin@so.gov.vn")
        assertError("smtp:\n  postmaster: admin\n", line: 2, path: "smtp.postmaster", contains: "not a mail address")
    }

    func testBadTimezoneAndBadYAML() {
        assertError("timezone: Mars/Olympus\n", line: 1, path: "timezone", contains: "IANA")
        XCTAssertThrowsError(try ConfigLoader.parse("a: [1, 2\n", file: "bad.yaml")) { e in
            XCTAssertTrue("\(e)".hasPrefix("bad.yaml:"), "\(e)")
            XCTAssertTrue("\(e)".contains("not valid YAML"), "\(e)")
        }
    }

    func testShippedConfigurationFilesAreValid() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for name in ["conf/govmail.example.yaml", "conf/dev.yaml"] {
            XCTAssertNoThrow(try ConfigLoader.load(path: root.appendingPathComponent(name).path), name)
        }
    }

    private func assertError(
        _ yaml: String, line: Int, path: String, contains text: String,
        file: StaticString = #filePath, at: UInt = #line
    ) {
        XCTAssertThrowsError(try ConfigLoader.parse(yaml, file: "t.yaml"), file: file, line: at) { error in
            guard let e = error as? ConfigError else {
                return XCTFail("not a ConfigError: \(error)", file: file, line: at)
            }
            XCTAssertEqual(e.line, line, "\(e)", file: file, line: at)
            XCTAssertEqual(e.keyPath, path, "\(e)", file: file, line: at)
            XCTAssertTrue(e.message.contains(text), "\(e)", file: file, line: at)
            XCTAssertTrue(e.description.hasPrefix("t.yaml:\(line): \(path): "), e.description, file: file, line: at)
        }
    }
}
