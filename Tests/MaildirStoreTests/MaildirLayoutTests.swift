import Foundation
import GovMailTestSupport
import MailCore
import XCTest
@testable import MaildirStore

final class MaildirLayoutTests: XCTestCase {
    func testCreateAccountMakesInboxAndSpecialFolders() throws {
        let dir = TemporaryDirectory()
        let layout = MaildirLayout(stateDir: dir.path)
        let root = try layout.createAccount(try EmailAddress("Nguyen.An@SoNV.gov.vn"))
        XCTAssertEqual(root, "\(dir.path)/mail/sonv.gov.vn/nguyen.an")
        var isDir: ObjCBool = false
        for sub in ["cur", "new", "tmp", ".Sent/cur", ".Drafts/new", ".Trash/tmp", ".Junk/cur", ".Archive/cur"] {
            XCTAssertTrue(
                FileManager.default.fileExists(atPath: "\(root)/\(sub)", isDirectory: &isDir) && isDir.boolValue, sub)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(root)/.Sent/maildirfolder"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(root)/maildirfolder"))
        // Idempotent.
        XCTAssertEqual(try layout.createAccount(try EmailAddress("nguyen.an@sonv.gov.vn")), root)
    }

    func testFolderNamesAreModifiedUTF7LikeDovecot() throws {
        let name = try MailboxName("Công văn đến.2026")
        XCTAssertEqual(MaildirLayout.directoryName(name), "C&APQ-ng v&AQM-n &AREevw-n.2026")
        XCTAssertEqual(MaildirLayout.folderPath(root: "/r", name), "/r/.C&APQ-ng v&AQM-n &AREevw-n.2026")
        XCTAssertEqual(MaildirLayout.mailbox(forDirectory: ".C&APQ-ng v&AQM-n &AREevw-n.2026"), name)
        XCTAssertEqual(MaildirLayout.folderPath(root: "/r", .inbox), "/r")
        XCTAssertNil(MaildirLayout.mailbox(forDirectory: ".."))
        XCTAssertNil(MaildirLayout.mailbox(forDirectory: ".a..b"))
        XCTAssertNil(MaildirLayout.mailbox(forDirectory: "cur"))
    }

    func testUnsafeLocalPartIsRefused() throws {
        let layout = MaildirLayout(stateDir: "/s")
        XCTAssertThrowsError(try layout.accountRoot(try EmailAddress("a/b@x.vn")))
        XCTAssertNoThrow(try layout.accountRoot(try EmailAddress("=a@x.vn")))
    }
}
