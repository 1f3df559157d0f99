import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

final class MaildirAccountTests: XCTestCase {
    private func name(_ s: String) throws -> MailboxName { try MailboxName(s) }

    func testListsFixtureAccountWithVietnameseNamesCountsAndChildren() throws {
        let dir = TemporaryDirectory()
        let account = MaildirAccount(root: try Fixtures.copy("account", into: dir))
        let list = account.listFolders()
        XCTAssertEqual(
            list.map(\.name.name),
            [
                "INBOX", "Archive", "Công văn đến", "Công văn đến.2026", "Drafts",
                "Junk", "Sent", "Trash",
            ])
        let parent = try XCTUnwrap(list.first { $0.name.name == "Công văn đến" })
        XCTAssertTrue(parent.hasChildren)
        XCTAssertEqual(parent.messages, 0)
        let child = try XCTUnwrap(list.first { $0.name.name == "Công văn đến.2026" })
        XCTAssertFalse(child.hasChildren)
        XCTAssertEqual([child.messages, child.unseen, child.recent], [1, 1, 0])
        let sent = try XCTUnwrap(list.first { $0.name.name == "Sent" })
        XCTAssertEqual([sent.messages, sent.unseen], [1, 0])
        XCTAssertEqual(try account.usage(), QuotaUsage(bytes: 506 + 649 + 790, messages: 3))
    }

    func testCreateDeleteAndRenameWithChildren() throws {
        let dir = TemporaryDirectory()
        let root = try Fixtures.copy("account", into: dir)
        let account = MaildirAccount(root: root)
        try account.createFolder(name("Dự án.Hồ sơ"))
        let onDisk = MaildirLayout.directoryName(try name("Dự án.Hồ sơ"))
        XCTAssertTrue(onDisk.allSatisfy(\.isASCII) && onDisk.contains("&") && onDisk.contains("."), onDisk)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/." + onDisk + "/maildirfolder"))
        XCTAssertThrowsError(try account.createFolder(name("Dự án.Hồ sơ"))) {
            XCTAssertEqual($0 as? MaildirError, .folderExists("Dự án.Hồ sơ"))
        }
        let parent = try XCTUnwrap(account.listFolders().first { $0.name.name == "Dự án" })
        XCTAssertFalse(parent.isSelectable, "a parent that exists only through its child is \\Noselect")
        XCTAssertTrue(parent.hasChildren)

        try account.renameFolder(name("Công văn đến"), to: name("Lưu trữ.Công văn"))
        let names = account.listFolders().map(\.name.name)
        XCTAssertTrue(names.contains("Lưu trữ.Công văn"))
        XCTAssertTrue(names.contains("Lưu trữ.Công văn.2026"), "children move with their parent")
        XCTAssertFalse(names.contains { $0.hasPrefix("Công văn đến") })
        let moved = try account.folder(name("Lưu trữ.Công văn.2026")).synchronize()
        XCTAssertEqual(moved.messages.count, 1)

        XCTAssertThrowsError(try account.renameFolder(name("Sent"), to: name("Sent.Old"))) {
            XCTAssertEqual($0 as? MaildirError, .renameIntoItself("Sent"))
        }
        XCTAssertThrowsError(try account.renameFolder(name("Sent"), to: name("Trash"))) {
            XCTAssertEqual($0 as? MaildirError, .folderExists("Trash"))
        }
        XCTAssertThrowsError(try account.renameFolder(.inbox, to: name("X"))) {
            XCTAssertEqual($0 as? MaildirError, .inboxCannotBeRenamed, "INBOX has its own operation, renameInbox")
        }

        XCTAssertEqual(try account.usage().messages, 3)
        try account.deleteFolder(name("Sent"))
        XCTAssertFalse(account.exists(try name("Sent")))
        XCTAssertEqual(try account.usage(), QuotaUsage(bytes: 506 + 649, messages: 2), "usage follows a deleted folder")
        XCTAssertThrowsError(try account.deleteFolder(.inbox)) {
            XCTAssertEqual($0 as? MaildirError, .inboxCannotBeDeleted)
        }
        XCTAssertThrowsError(try account.deleteFolder(name("Sent"))) {
            XCTAssertEqual($0 as? MaildirError, .folderNotFound("Sent"))
        }
        XCTAssertThrowsError(try account.folder(name("Nowhere"))) {
            XCTAssertTrue("\($0)".contains("does not exist"))
        }
        XCTAssertEqual(files(root, "tmp"), [], "deleted folders do not linger in tmp/")
    }

    func testRenameInboxMovesItsMessagesWithFlagsAndLeavesInboxAndItsChildren() throws {
        let dir = TemporaryDirectory()
        let root = try makeMaildir(dir, "root")
        let account = MaildirAccount(root: root)
        let inbox = try account.folder(.inbox)
        _ = try inbox.append(Array("Subject: one\r\n\r\nx\r\n".utf8), flags: [.seen, Flag("$Label1")])
        _ = try inbox.append(Array("Subject: two\r\n\r\nyy\r\n".utf8), flags: [.flagged])
        let before = try inbox.synchronize()
        try account.createFolder(name("INBOX.Sub"))
        let usage = try account.usage()

        try account.renameInbox(to: name("Cũ"))
        let moved = try account.folder(name("Cũ")).synchronize()
        XCTAssertEqual(moved.messages.map(\.flags), [[.seen, Flag("$Label1")], [.flagged]])
        XCTAssertEqual(moved.messages.map(\.uid), [UID(1), UID(2)], "the new folder numbers them in order")
        let after = try inbox.synchronize()
        XCTAssertEqual(after.messages, [], "INBOX stays, empty")
        XCTAssertEqual(after.uidValidity, before.uidValidity, "INBOX keeps its UIDVALIDITY")
        XCTAssertEqual(after.nextUID, before.nextUID, "INBOX UIDs are never reused")
        XCTAssertTrue(account.exists(try name("INBOX.Sub")), "INBOX's sub-folders are not moved")
        XCTAssertEqual(try account.usage(), usage, "nothing was lost or counted twice")

        XCTAssertThrowsError(try account.renameInbox(to: name("Cũ"))) {
            XCTAssertEqual($0 as? MaildirError, .folderExists("Cũ"))
        }
        XCTAssertThrowsError(try account.renameInbox(to: .inbox)) {
            XCTAssertEqual($0 as? MaildirError, .renameIntoItself("INBOX"))
        }
        try account.renameInbox(to: name("Empty"))
        XCTAssertEqual(
            try account.folder(name("Empty")).synchronize().messages, [], "an empty INBOX gives an empty folder")
    }

    func testNamesThatWouldEscapeTheAccountAreRefused() throws {
        for bad in ["..", "../other", "a/b", "a..b", ".hidden", "a.", "x\u{0}y", "x\ny", "a\\b", ""] {
            XCTAssertThrowsError(try MailboxName(bad), bad)
        }
        let dir = TemporaryDirectory()
        let root = try makeMaildir(dir, "root")
        let account = MaildirAccount(root: root)
        // Whatever a valid name holds, its folder stays a direct child of the root.
        for odd in ["~", "&", "&-", "%2e%2e", "A B", "Thư mục"] {
            let path = account.path(of: try name(odd))
            XCTAssertEqual(DurableWriter.directory(of: path), root, odd)
            XCTAssertTrue(DurableWriter.fileName(of: path).hasPrefix("."), odd)
            XCTAssertFalse(DurableWriter.fileName(of: path).dropFirst().contains("/"), odd)
            try account.createFolder(try name(odd))
            XCTAssertEqual(account.listFolders().filter { $0.name.name == odd }.count, 1, odd)
        }
        // Directory names that do not decode are not listed (and so never opened).
        try FileManager.default.createDirectory(atPath: root + "/..evil/cur", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/.&Zm9v/cur", withIntermediateDirectories: true)
        XCTAssertFalse(
            account.listFolders().contains { $0.name.name.contains("evil") || $0.name.name.contains("Zm9v") })
    }

    func testQuotaIsKeptIncrementallyAndHealsWhenDamaged() throws {
        let dir = TemporaryDirectory()
        let root = try makeMaildir(dir, "acct")
        let account = MaildirAccount(root: root)
        XCTAssertEqual(try account.usage(), QuotaUsage(bytes: 0, messages: 0))
        let one = message("one"), two = message("two")
        try MaildirDelivery().deliver(one, to: [.init(accountRoot: root)])
        let inbox = try account.folder(.inbox)
        _ = try inbox.append(two)
        XCTAssertEqual(try account.usage(), QuotaUsage(bytes: one.count + two.count, messages: 2))
        let lines = try String(contentsOfFile: root + "/maildirsize", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 4, "header, initial total, two appended changes: no rescan per delivery")
        try inbox.expunge([1])
        XCTAssertEqual(try account.usage(), MaildirQuota.recalculate(root: root))
        try "0S,0C\n12 x\n".write(toFile: root + "/maildirsize", atomically: false, encoding: .utf8)
        XCTAssertEqual(try account.usage(), MaildirQuota.recalculate(root: root), "a damaged cache is recalculated")
        try "5 1\n".write(toFile: root + "/maildirsize", atomically: false, encoding: .utf8)
        XCTAssertEqual(
            try account.usage(), MaildirQuota.recalculate(root: root), "a cache without its header is recalculated")
    }
}
