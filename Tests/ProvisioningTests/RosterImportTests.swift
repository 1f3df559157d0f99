import AccountStore
import Credentials
import MailCore
import Provisioning
import XCTest

final class RosterImportTests: ProvisioningTestCase {
    var importer: RosterImporter { RosterImporter(provisioner: provisioner, hashingThreads: 2) }

    let roster = """
        email,full name,unit code,kind
        nguyen.van.a@tinh.gov.vn,Nguyễn Văn A,SO-NV,staff
        tran.thi.b@tinh.gov.vn,Trần Thị B,H-A,
        vanthu@tinh.gov.vn,"Văn thư, Sở Nội vụ",SO-NV,shared

        """

    @discardableResult
    func run(_ text: String, _ options: RosterImporter.Options = .init()) throws -> RosterImporter.Outcome {
        try importer.run(Array(text.utf8), options: options)
    }

    func errors(_ text: String, disableMissing: Bool = false) -> [String] {
        do { _ = try importer.plan(Array(text.utf8), disableMissing: disableMissing); return [] } catch let e
            as RosterErrors
        {
            return e.errors.map(\.description)
        } catch { return ["\(error)"] }
    }

    func testHappyPathCreatesAccountsMaildirsAndPasswordsFile() throws {
        let out = dir.file("passwords.csv")
        let outcome = try run(roster, .init(passwordsOut: out))
        XCTAssertTrue(outcome.applied)
        XCTAssertEqual(outcome.passwordsWritten, 3)
        let accounts = try store.accounts()
        XCTAssertEqual(accounts.map(\.displayName), ["Nguyễn Văn A", "Trần Thị B", "Văn thư, Sở Nội vụ"])
        XCTAssertEqual(accounts.map(\.kind), [.staff, .staff, .shared])
        XCTAssertEqual(accounts.map(\.unitCode), ["SO-NV", "H-A", "SO-NV"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.path + "/mail/tinh.gov.vn/tran.thi.b/.Sent/cur"))
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: out))
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "a BOM, so Excel shows Vietnamese names")
        let lines = String(decoding: bytes.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(lines[0], "email,full name,password")
        XCTAssertTrue(lines[3].hasPrefix("vanthu@tinh.gov.vn,\"Văn thư, Sở Nội vụ\","))
        // Each written password verifies against the stored hash of its account.
        for line in lines.dropFirst() {
            let email = String(line.split(separator: ",").first!)
            let password = String(line.split(separator: ",").last!)
            let hash = try XCTUnwrap(try store.account(address: address(email))?.passwordHash)
            XCTAssertEqual(
                provisioner.hasher.check(Secret(password), against: hash.unsafeText), .match(upgradedHash: nil))
        }
    }

    func testSecondRunChangesNothing() throws {
        try run(roster, .init(passwordsOut: dir.file("p1.csv")))
        let before = try store.accounts()
        clock.advance(100)
        let second = try run(roster, .init(passwordsOut: dir.file("p2.csv")))
        XCTAssertFalse(second.applied)
        XCTAssertEqual(second.plan.unchanged, 3)
        XCTAssertEqual(try store.accounts(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("p2.csv")))
    }

    func testUpdatesMovesAndDisablesMissingStaff() throws {
        try run(roster, .init())
        try store.addUnit(code: "X-B", name: "UBND xã B", level: .commune, parentCode: "H-A")
        let changed = """
            email;full name;unit code;kind
            nguyen.van.a@tinh.gov.vn;Nguyễn Văn An;X-B;staff
            vanthu@tinh.gov.vn;Văn thư, Sở Nội vụ;SO-NV;shared
            """
        let dry = try run(changed, .init(dryRun: true, disableMissing: true))
        XCTAssertFalse(dry.applied)
        XCTAssertEqual(dry.plan.updates.map(\.changes), [["name", "unit SO-NV → X-B"]])
        XCTAssertEqual(dry.plan.disables.map(\.address.description), ["tran.thi.b@tinh.gov.vn"])
        XCTAssertEqual(try store.account(address: address("nguyen.van.a@tinh.gov.vn"))?.unitCode, "SO-NV")
        try run(changed, .init(disableMissing: true))
        let a = try XCTUnwrap(try store.account(address: address("nguyen.van.a@tinh.gov.vn")))
        XCTAssertEqual(a.displayName, "Nguyễn Văn An")
        XCTAssertEqual(a.unitCode, "X-B")
        XCTAssertEqual(try store.account(address: address("tran.thi.b@tinh.gov.vn"))?.status, .disabled)
        XCTAssertEqual(try store.history(accountID: a.id).map(\.event), [.created, .moved])
        // Without --disable-missing nobody is disabled; listed disabled staff get a note, not a change.
        let again = try run(roster, .init())
        XCTAssertEqual(again.plan.disables.count, 0)
        XCTAssertEqual(again.plan.notes.map(\.row), [3])
    }

    func testEveryBadRowIsReportedAndNothingIsApplied() throws {
        let bad = """
            email,full name,unit code,kind
            ok@tinh.gov.vn,Được,H-A,staff
            not-an-address,Sai,H-A,staff
            x@khac.vn,Khác,H-A,staff
            y@tinh.gov.vn,Ý,NO-SUCH-UNIT,staff
            ok@TINH.gov.vn,Trùng,H-A,staff
            z@tinh.gov.vn,,H-A,staff
            w@tinh.gov.vn,W,H-A,robot
            v@tinh.gov.vn,V,H-A
            """
        XCTAssertEqual(
            errors(bad),
            [
                "row 9: has 3 columns but the header has 4; check for a stray separator or a missing value"
            ])
        let rowsOnly = bad.split(separator: "\n").dropLast().joined(separator: "\n")
        let found = errors(rowsOnly)
        XCTAssertEqual(found.count, 6)
        XCTAssertTrue(found[0].hasPrefix("row 3: the email \"not-an-address\" is not a valid address"))
        XCTAssertEqual(
            found[1], "row 4: the domain khac.vn is not served here; add it with: govmail domain add khac.vn")
        XCTAssertTrue(found[2].hasPrefix("row 5: unknown unit \"NO-SUCH-UNIT\""))
        XCTAssertEqual(found[3], "row 6: duplicate: ok@tinh.gov.vn is already on row 2; keep one of the two rows")
        XCTAssertEqual(found[4], "row 7: the full name is empty")
        XCTAssertEqual(found[5], "row 8: unknown kind \"robot\"; use staff, shared or service")
        XCTAssertThrowsError(try run(rowsOnly, .init(passwordsOut: dir.file("p.csv"))))
        XCTAssertEqual(try store.accounts(includeDeleted: true), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("p.csv")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + "/mail/tinh.gov.vn/ok"))
    }

    func testHeaderProblemsAndVietnameseHeadings() throws {
        XCTAssertEqual(
            errors("mail,name\na@tinh.gov.vn,A\n"),
            [
                "row 1: the header row has no unit code column; the first row must be: email,full name,unit code,kind (found: mail, name)"
            ])
        let vietnamese =
            "\u{FEFF}Địa chỉ email;Họ và tên;Mã đơn vị;Loại\r\nhoang.d@tinh.gov.vn;Hoàng Đức D;H-A;staff\r\n"
        let outcome = try run(vietnamese, .init())
        XCTAssertEqual(outcome.plan.creates.map(\.fullName), ["Hoàng Đức D"])
        XCTAssertEqual(try store.accounts().map(\.address.description), ["hoang.d@tinh.gov.vn"])
    }

    func testAliasAndKeptMailOfDeletedAccountAreBadRows() throws {
        try run(roster, .init())
        try store.addAlias(address("lanhdao@tinh.gov.vn"), target: address("nguyen.van.a@tinh.gov.vn"))
        _ = try provisioner.deleteAccount(address("tran.thi.b@tinh.gov.vn"), purge: false)
        let text = "email,full name,unit code\nlanhdao@tinh.gov.vn,L,H-A\ntran.thi.b@tinh.gov.vn,Trần Thị B,H-A\n"
        let found = errors(text)
        XCTAssertEqual(found.count, 2)
        XCTAssertTrue(found[0].hasPrefix("row 2: lanhdao@tinh.gov.vn is an alias"))
        XCTAssertTrue(found[1].hasPrefix("row 3: tran.thi.b@tinh.gov.vn belonged to a deleted account"))
    }

    func testExistingPasswordsFileStopsTheImportBeforeAnyChange() throws {
        let out = dir.file("exists.csv")
        _ = FileManager.default.createFile(atPath: out, contents: Data("keep".utf8))
        XCTAssertThrowsError(try run(roster, .init(passwordsOut: out))) { XCTAssertTrue($0 is PasswordsFile.Problem) }
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep")
        XCTAssertEqual(try store.accounts(), [])
    }

    func testInitialPasswordsUseCheaperScryptAndAreUpgradedOnFirstLogin() throws {
        let strong = Provisioner(
            store: store, layout: provisioner.layout,
            hasher: PasswordHasher(scrypt: ScryptParameters(logN: 13, r: 8, p: 1)),
            policy: provisioner.policy, defaultQuota: 0)
        let importer = RosterImporter(provisioner: strong)
        XCTAssertEqual(importer.initialPasswordHasher.scrypt.logN, RosterImporter.initialPasswordLogN)
        let out = dir.file("initial.csv")
        try importer.run(
            Array("email,full name,unit code\nx@tinh.gov.vn,X,H-A\n".utf8), options: .init(passwordsOut: out))
        let line = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\r\n")[1]
        let password = Secret(String(line.split(separator: ",").last!))
        let directory = SQLiteDirectory(store: store, verifier: strong.hasher)
        XCTAssertTrue(
            try XCTUnwrap(try store.account(address: address("x@tinh.gov.vn"))?.passwordHash).unsafeText
                .hasPrefix("$scrypt$ln=12,"))
        guard case .success = try directory.authenticate(address("x@tinh.gov.vn"), password: password) else {
            return XCTFail()
        }
        XCTAssertTrue(
            try XCTUnwrap(try store.account(address: address("x@tinh.gov.vn"))?.passwordHash).unsafeText
                .hasPrefix("$scrypt$ln=13,"))
    }

    func testParallelHasherKeepsOrder() throws {
        let hasher = ParallelHasher(hasher: PasswordHasher(scrypt: ScryptParameters(logN: 4, r: 1, p: 1)), threads: 2)
        let passwords = (0..<9).map { Secret("password-\($0)") }
        let hashes = try hasher.hashAll(passwords)
        for (p, h) in zip(passwords, hashes) {
            XCTAssertEqual(hasher.hasher.check(p, against: h.unsafeText), .match(upgradedHash: nil))
        }
    }
}
