import AccountStore
import Credentials
import Foundation
import GovMailTestSupport
import MailCore
import XCTest

/// `govmail account import` through the built binary: files as Excel and LibreOffice write them.
final class ImportCommandTests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpDirectory()
    }

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir.file(name)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func testExcelUTF8WithBOMAndCRLFAndVietnameseNames() throws {
        let text =
            "email,full name,unit code,kind\r\nđinh.thị.hằng@tinh.gov.vn,Đinh Thị Hằng,SO-NV,staff\r\n"
            + "ngo.quang.vu@tinh.gov.vn,\"Ngô Quang Vũ, Phó giám đốc\",H-A,staff\r\n"
        let path = write("excel.csv", [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let out = dir.file("pw.csv")
        let r = try govmail(["account", "import", path, "--passwords-out", out])
        XCTAssertEqual(r.stdout.split(separator: "\n").first, "imported: 2 created, 0 updated, 0 disabled, 0 unchanged")
        let accounts = try store().accounts()
        XCTAssertEqual(Set(accounts.map(\.displayName)), ["Đinh Thị Hằng", "Ngô Quang Vũ, Phó giám đốc"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: state + "/mail/tinh.gov.vn/đinh.thị.hằng/cur"))
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let passwords = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(passwords.contains("\"Ngô Quang Vũ, Phó giám đốc\""))
        XCTAssertFalse(r.stdout.contains("$scrypt"))
    }

    func testLibreOfficeSemicolonFileAndIdempotence() throws {
        let path = write("lo.csv", Array("email;full name;unit code;kind\nle.van.c@tinh.gov.vn;Lê Văn C;H-A;\n".utf8))
        try govmail(["account", "import", path, "--no-passwords"])
        let before = try store().accounts()
        XCTAssertEqual(before.map(\.kind), [.staff])
        XCTAssertNil(before.first?.passwordHash)
        let again = try govmail(["account", "import", path, "--no-passwords", "--json"])
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["applied"] as? Bool, false)
        XCTAssertEqual(json["unchanged"] as? Int, 1)
        XCTAssertEqual((json["created"] as? [String])?.count, 0)
        XCTAssertEqual(try store().accounts(), before)
    }

    func testEachKindOfBadRowIsReportedAndNothingChanges() throws {
        try govmail(["alias", "add", "vanthu@tinh.gov.vn", "a@tinh.gov.vn"], status: 65)  // no such account yet
        let text = """
            email,full name,unit code,kind
            a@tinh.gov.vn,A,H-A,staff
            bad address,B,H-A,staff
            c@khac.vn,C,H-A,staff
            d@tinh.gov.vn,D,NOPE,staff
            A@TINH.GOV.VN,A again,H-A,staff
            e@tinh.gov.vn,,H-A,staff
            f@tinh.gov.vn,F,H-A,manager
            """
        let r = try govmail(
            ["account", "import", write("bad.csv", Array(text.utf8)), "--passwords-out", dir.file("p.csv")],
            status: 65)
        let rows = r.stderr.split(separator: "\n").map { String($0.prefix(7)) }
        XCTAssertEqual(rows, ["row 3: ", "row 4: ", "row 5: ", "row 6: ", "row 7: ", "row 8: ", "govmail"])
        XCTAssertTrue(r.stderr.contains("row 6: duplicate: A@tinh.gov.vn is already on row 2"))
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try store().accounts(includeDeleted: true), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("p.csv")))
    }

    func testNotUTF8AndBadHeaderAreBadInput() throws {
        let latin1 = write(
            "latin1.csv", Array("email,full name,unit code\nx@tinh.gov.vn,L".utf8) + [0xEA] + Array(",H-A\n".utf8))
        let r1 = try govmail(["account", "import", latin1, "--no-passwords"], status: 65)
        XCTAssertTrue(r1.stderr.hasPrefix("row 2: the file is not UTF-8"))
        let header = write("header.csv", Array("e,name,unit code\n".utf8))
        let r2 = try govmail(["account", "import", header, "--no-passwords"], status: 65)
        XCTAssertTrue(r2.stderr.hasPrefix("row 1: the header row has no"))
    }

    func testExistingPasswordsFileIsNeverOverwritten() throws {
        let path = write("r.csv", Array("email,full name,unit code\nx@tinh.gov.vn,X,H-A\n".utf8))
        let out = write("pw.csv", Array("old".utf8))
        let r = try govmail(["account", "import", path, "--passwords-out", out], status: 1)
        XCTAssertTrue(r.stderr.contains("already exists"))
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "old")
        XCTAssertEqual(try store().accounts(), [])
    }

    func testDisableMissingIsGuardedScopedAndListedInADryRun() throws {
        let all = (1...12).map { "cb\($0)@tinh.gov.vn,Cán bộ \($0),H-A" }
        let full = write("full.csv", Array((["email,full name,unit code"] + all).joined(separator: "\n").utf8))
        try govmail(["account", "import", full, "--no-passwords"])
        let one = write("one.csv", Array("email,full name,unit code\ncb1@tinh.gov.vn,Cán bộ 1,H-A\n".utf8))
        let dry = try govmail(["account", "import", one, "--disable-missing", "--dry-run"])
        XCTAssertTrue(dry.stdout.contains("disable cb12@tinh.gov.vn (not in the roster)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("--max-disable 11"), dry.stdout)
        let refused = try govmail(["account", "import", one, "--disable-missing", "--no-passwords"], status: 65)
        XCTAssertTrue(refused.stderr.contains("nothing was changed"), refused.stderr)
        XCTAssertEqual(try store().accounts().filter { $0.status == .enabled }.count, 12)
        try govmail(["unit", "add", "SO-TC", "--name", "Sở Tài chính", "--level", "province"])
        let scopedElsewhere = try govmail(
            ["account", "import", one, "--disable-missing", "--unit", "SO-TC", "--dry-run"], status: 65)
        XCTAssertTrue(scopedElsewhere.stderr.contains("outside --unit SO-TC"), scopedElsewhere.stderr)
        try govmail(["account", "import", one, "--disable-missing", "--yes", "--no-passwords"])
        XCTAssertEqual(try store().accounts().filter { $0.status == .enabled }.count, 1)
        try govmail(["account", "import", one, "--yes", "--no-passwords"], status: 64)
    }
}
