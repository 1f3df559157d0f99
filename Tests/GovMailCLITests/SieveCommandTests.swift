import Foundation
import GovMailTestSupport
import XCTest

/// `govmail sieve …` and `govmail vacation …` run as whole commands against a state folder.
final class SieveCommandTests: CLITestCase {
    private var root: String { state + "/mail/tinh.gov.vn/an" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        try setUpDirectory()
        try govmail(["account", "add", "an@tinh.gov.vn", "--name", "Nguyễn Văn An", "--unit", "SO-NV", "--no-password"])
    }

    func testPutListGetActivateDelete() throws {
        let file = dir.file("loc.sieve")
        try "require \"fileinto\";\nif header :contains \"subject\" \"công văn\" { fileinto \"Công văn đến\"; }\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        try govmail(["sieve", "put", "an@tinh.gov.vn", "lọc", file, "--activate"])
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: root + "/.dovecot.sieve"), "sieve/lọc.sieve")
        let list = try govmail(["sieve", "list", "an@tinh.gov.vn"])
        XCTAssertTrue(list.stdout.contains("lọc"), list.stdout)
        XCTAssertTrue(list.stdout.contains("yes"), list.stdout)
        XCTAssertEqual(
            try govmail(["sieve", "get", "an@tinh.gov.vn", "lọc"]).stdout,
            try String(contentsOfFile: file, encoding: .utf8))
        try govmail(["sieve", "delete", "an@tinh.gov.vn", "lọc"], status: 65)
        try govmail(["sieve", "deactivate", "an@tinh.gov.vn"])
        try govmail(["sieve", "delete", "an@tinh.gov.vn", "lọc"])
        XCTAssertTrue(try govmail(["sieve", "list", "an@tinh.gov.vn"]).stdout.contains("no scripts"))
    }

    func testABadScriptIsRefusedWithItsLine() throws {
        let file = dir.file("bad.sieve")
        try "keep;\nif true {\n  fileinto \"x\";\n}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try govmail(["sieve", "put", "an@tinh.gov.vn", "bad", file], status: 65)
        XCTAssertTrue(r.stderr.contains("line 3, column 3"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/sieve/bad.sieve"))
        try govmail(["sieve", "list", "nobody@tinh.gov.vn"], status: 65)
    }

    func testVacationSetAndOffRestoresThePreviousScript() throws {
        let filters = dir.file("f.sieve")
        try "keep;\n".write(toFile: filters, atomically: true, encoding: .utf8)
        try govmail(["sieve", "put", "an@tinh.gov.vn", "filters", filters, "--activate"])
        let text = dir.file("msg.txt")
        try "Tôi đi công tác đến hết ngày 10/12.\nViệc gấp xin gọi \"văn phòng\".\n".write(
            toFile: text, atomically: true, encoding: .utf8)
        try govmail(
            [
                "vacation", "set", "an@tinh.gov.vn", "--from", "2026-12-01", "--until", "2026-12-10", "--subject",
                "Vắng mặt", "--message-file", text,
            ])
        let script = try String(contentsOfFile: root + "/sieve/vacation.sieve", encoding: .utf8)
        XCTAssertTrue(script.contains("currentdate :value \"ge\" \"date\" \"2026-12-01\""), script)
        XCTAssertTrue(script.contains("\\\"văn phòng\\\""), script)
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: root + "/.dovecot.sieve"), "sieve/vacation.sieve")
        try govmail(
            [
                "vacation", "set", "an@tinh.gov.vn", "--from", "2026-12-11", "--until", "2026-12-01", "--subject", "x",
                "--message-file", text,
            ], status: 64)
        try govmail(["vacation", "off", "an@tinh.gov.vn"])
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: root + "/.dovecot.sieve"), "sieve/filters.sieve")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root + "/sieve/vacation.sieve"))
    }
}
