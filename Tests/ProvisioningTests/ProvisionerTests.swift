import AccountStore
import Credentials
import MailCore
import Provisioning
import XCTest

final class ProvisionerTests: ProvisioningTestCase {
    func testAddCreatesRowMaildirAndHashThatVerifies() throws {
        let a = try provisioner.addAccount(
            address("Le.Thi.C@tinh.gov.vn"), displayName: "Lê Thị C", unitCode: "H-A",
            password: Secret("một mật khẩu dài"))
        XCTAssertEqual(a.quota, 1 << 30)
        let root = dir.path + "/mail/tinh.gov.vn/le.thi.c"
        for sub in ["cur", "new", "tmp", ".Sent/cur", ".Drafts/new", ".Trash/tmp", ".Junk/cur", ".Archive/cur"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: "\(root)/\(sub)"), sub)
        }
        let hash = try XCTUnwrap(a.passwordHash).unsafeText
        XCTAssertTrue(hash.hasPrefix("$scrypt$ln=10,"))
        XCTAssertEqual(provisioner.hasher.check(Secret("một mật khẩu dài"), against: hash), .match(upgradedHash: nil))
    }

    func testPolicyIsCheckedBeforeAnythingIsCreated() throws {
        XCTAssertThrowsError(
            try provisioner.addAccount(
                address("a@tinh.gov.vn"), displayName: "A", unitCode: "H-A",
                password: Secret("a@tinh.gov.vn")))
        XCTAssertThrowsError(
            try provisioner.addAccount(
                address("a@tinh.gov.vn"), displayName: "A", unitCode: "NOPE",
                password: nil))
        XCTAssertEqual(try store.accounts(includeDeleted: true), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/mail/tinh.gov.vn/a"))
    }

    func testSetPassword() throws {
        try provisioner.addAccount(address("a@tinh.gov.vn"), displayName: "A", unitCode: "H-A", password: nil)
        XCTAssertThrowsError(try provisioner.setPassword(address("a@tinh.gov.vn"), Secret("short")))
        try provisioner.setPassword(address("a@tinh.gov.vn"), Secret("long enough now"))
        let hash = try XCTUnwrap(try store.account(address: address("a@tinh.gov.vn"))?.passwordHash)
        XCTAssertEqual(
            provisioner.hasher.check(Secret("long enough now"), against: hash.unsafeText), .match(upgradedHash: nil))
        XCTAssertThrowsError(try provisioner.setPassword(address("b@tinh.gov.vn"), Secret("long enough now")))
    }

    func testDeleteKeepsMailUnlessPurgedAndReuseNeedsThePurge() throws {
        let a = address("a@tinh.gov.vn")
        try provisioner.addAccount(a, displayName: "A", unitCode: "H-A", password: nil)
        let root = dir.path + "/mail/tinh.gov.vn/a"
        let kept = try provisioner.deleteAccount(a, purge: false)
        XCTAssertNotNil(kept.account)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root))
        XCTAssertThrowsError(try provisioner.addAccount(a, displayName: "A2", unitCode: "H-A", password: nil)) {
            XCTAssertTrue("\($0)".contains("--purge"))
        }
        XCTAssertThrowsError(try provisioner.deleteAccount(a, purge: false)) {
            XCTAssertEqual($0 as? DirectoryError, .accountDeleted("a@tinh.gov.vn"))
        }
        let purged = try provisioner.deleteAccount(a, purge: true)
        XCTAssertNil(purged.account)
        XCTAssertEqual(purged.purgedPath, root)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root))
        let again = try provisioner.addAccount(a, displayName: "A2", unitCode: "H-A", password: nil)
        XCTAssertEqual(try store.accounts(includeDeleted: true).count, 2)
        XCTAssertEqual(try store.history(accountID: again.id).map(\.event), [.created])
    }
}
