import AccountStore
import Foundation
import GovMailTestSupport
import XCTest

/// A test folder with a small-cost configuration, and helpers to run `govmail` in it.
class CLITestCase: XCTestCase {
    var dir: TemporaryDirectory!
    var config: String { dir.file("govmail.yaml") }
    var state: String { dir.file("state") }

    override func setUpWithError() throws {
        dir = try Self.makeFolder()
    }

    /// A temporary folder holding a configuration with cheap scrypt (the defaults are exercised in CredentialsTests).
    static func makeFolder() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory(prefix: "govmail-cli")
        try "passwords:\n  min_length: 10\n  scrypt_log_n: 10\n".write(
            toFile: dir.file("govmail.yaml"), atomically: true,
            encoding: .utf8)
        return dir
    }

    @discardableResult
    func govmail(
        _ args: [String], stdin: String = "", status: Int32 = 0, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> CommandResult {
        let r = try Binary.run("govmail", args + ["--state-dir", state, "--config", config], stdin: stdin)
        XCTAssertEqual(
            r.status, status, "govmail \(args.joined(separator: " ")): stderr: \(r.stderr)", file: file, line: line)
        return r
    }

    /// Opens the database the commands wrote, to assert its state.
    func store() throws -> AccountStore { try AccountStore.open(stateDir: state) }

    func setUpDirectory() throws {
        try govmail(["domain", "add", "tinh.gov.vn"])
        try govmail(["unit", "add", "SO-NV", "--name", "Sở Nội vụ", "--level", "province"])
        try govmail(["unit", "add", "H-A", "--name", "UBND huyện A", "--level", "district", "--parent", "SO-NV"])
    }
}
