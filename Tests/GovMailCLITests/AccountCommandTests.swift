import AccountStore
import Credentials
import Foundation
import GovMailTestSupport
import MailCore
import XCTest

/// Whole commands run through the built binary, asserting output, exit status and what is in the database.
final class AccountCommandTests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpDirectory()
    }

    func testAddWithPasswordFromStdinStoresAScryptHashThatVerifies() throws {
        let r = try govmail(
            ["account", "add", "a@tinh.gov.vn", "--name", "Nguyễn Văn A", "--unit", "SO-NV", "--password-stdin"],
            stdin: "mật khẩu bí mật\n")
        XCTAssertFalse(r.stdout.contains("mật khẩu bí mật"))
        let hash = try XCTUnwrap(try store().account(address: EmailAddress("a@tinh.gov.vn"))?.passwordHash)
        XCTAssertTrue(hash.unsafeText.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        XCTAssertEqual(
            PasswordHasher(scrypt: ScryptParameters(logN: 10)).check(
                Secret("mật khẩu bí mật"), against: hash.unsafeText),
            .match(upgradedHash: nil))
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/mail/tinh.gov.vn/a/.Sent/cur"))
    }

    func testGeneratedPasswordIsPrintedOnceAndVerifies() throws {
        try govmail(["account", "add", "b@tinh.gov.vn", "--name", "B", "--unit", "H-A", "--no-password"])
        let r = try govmail(["account", "passwd", "b@tinh.gov.vn", "--generate"])
        let line = try XCTUnwrap(
            r.stdout.split(separator: "\n").first { $0.hasPrefix("new password (shown only now): ") })
        let password = String(line.dropFirst("new password (shown only now): ".count))
        XCTAssertEqual(password.count, 16)
        let hash = try XCTUnwrap(try store().account(address: EmailAddress("b@tinh.gov.vn"))?.passwordHash)
        XCTAssertEqual(
            PasswordHasher(scrypt: ScryptParameters(logN: 10)).check(Secret(password), against: hash.unsafeText),
            .match(upgradedHash: nil))
    }

    func testJSONOutputsNeverContainHashes() throws {
        try govmail(
            ["account", "add", "a@tinh.gov.vn", "--name", "A", "--unit", "SO-NV", "--password-stdin"],
            stdin: "mật khẩu bí mật\n")
        let list = try govmail(["account", "list", "--json"])
        let show = try govmail(["account", "show", "a@tinh.gov.vn", "--json"])
        let text = try govmail(["account", "show", "a@tinh.gov.vn"])
        for out in [list.stdout, show.stdout, text.stdout] {
            XCTAssertFalse(out.contains("scrypt"))
            XCTAssertFalse(out.contains("$"))
        }
        let decoded = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
        let account = try XCTUnwrap(decoded?["account"] as? [String: Any])
        XCTAssertEqual(account["hasPassword"] as? Bool, true)
        XCTAssertEqual((decoded?["history"] as? [[String: Any]])?.first?["event"] as? String, "created")
    }

    func testDeleteKeepsRowAndHistoryAndPurgeRemovesMail() throws {
        try govmail(["account", "add", "c@tinh.gov.vn", "--name", "C", "--unit", "H-A", "--no-password"])
        try govmail(["account", "delete", "c@tinh.gov.vn"])
        let s = try store()
        let deleted = try XCTUnwrap(try s.deletedAccount(address: EmailAddress("c@tinh.gov.vn")))
        XCTAssertEqual(try s.history(accountID: deleted.id).map(\.event), [.created, .deleted])
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/mail/tinh.gov.vn/c"))
        try govmail(["account", "delete", "c@tinh.gov.vn", "--purge"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: state + "/mail/tinh.gov.vn/c"))
        try govmail(["account", "show", "c@tinh.gov.vn"])  // a deleted account can still be shown
        try govmail(["account", "delete", "zzz@tinh.gov.vn"], status: 65)
    }

    func testNewerDatabaseIsRefusedWithExitStatusOne() throws {
        try store().unsafeWrite { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('999-future')") }
        let r = try govmail(["domain", "list"], status: 1)
        XCTAssertTrue(
            r.stderr.hasPrefix("govmail: the database was written by a newer GovMail (unknown migrations: 999-future)"))
    }

    func testBadConfigurationIsBadInput() throws {
        try "passwords:\n  scrypt_log_n: 40\n".write(toFile: config, atomically: true, encoding: .utf8)
        try govmail(["domain", "list"], status: 65)
    }
}
