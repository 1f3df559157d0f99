import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest
#if canImport(Glibc)
    import Glibc
#endif

final class MailboxViewTests: XCTestCase {
    func testResyncReportsNewExpungedAndFlagChanges() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        for i in 1...4 { _ = try folder.append(message("\(i)")) }
        let view = try MailboxView(folder: folder)
        XCTAssertEqual(view.messages.map(\.uid), [1, 2, 3, 4])
        XCTAssertEqual(view.uidNext, 5)
        XCTAssertTrue(try view.resynchronize().isEmpty)

        // Another session (its own folder object) and a delivery change the folder.
        let other = MaildirFolder(path: path, accountRoot: nil)
        try other.changeFlags([3], .add([.seen]))
        try other.expunge([2, 4])
        try MaildirDelivery().deliver(message("5"), to: [.init(accountRoot: path)])

        let changes = try view.resynchronize()
        XCTAssertEqual(changes.expunged, [2, 4])
        XCTAssertEqual(changes.expungedSequenceNumbers, [4, 2], "highest first, so each number is valid when sent")
        XCTAssertEqual(changes.added.map(\.uid), [5])
        XCTAssertEqual(changes.flagsChanged.map(\.uid), [3])
        XCTAssertEqual(changes.flagsChanged.first?.flags, [.seen])
        XCTAssertFalse(changes.uidValidityChanged)
        XCTAssertEqual(view.messages.map(\.uid), [1, 3, 5])
        XCTAssertEqual(view.message(uid: 5)?.sequence, 3)
        XCTAssertEqual(
            view.recent, [1, 3, 5], "the first view to select claims what was appended before and what arrives later")
        XCTAssertEqual(try view.read(uid: 5), message("5"))
        XCTAssertNil(view.message(uid: 2))
    }

    func testRebuiltListIsReportedAsNewUIDValidity() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("a"))
        let view = try MailboxView(folder: folder)
        try FileManager.default.removeItem(atPath: path + "/dovecot-uidlist")
        let changes = try view.resynchronize()
        XCTAssertTrue(changes.uidValidityChanged)
        XCTAssertEqual(view.messages.count, 1)
    }

    func testReadFindsMessageRenamedByAnotherSession() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("renamed"))
        let view = try MailboxView(folder: folder)
        try MaildirFolder(path: path, accountRoot: nil).changeFlags([1], .add([.flagged]))
        XCTAssertEqual(try view.read(uid: 1), message("renamed"))
    }

    /// With every directory "settled" (the clock is well past their modification times), re-syncs
    /// reuse the last scan; every real change must still be seen.
    func testCachedResyncStillSeesEveryChange() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let later = ManualClock(SystemClock().now() + 3600)
        let folder = MaildirFolder(path: path, accountRoot: nil, clock: later)
        for i in 1...3 { _ = try folder.append(message("\(i)")) }
        // Old directory times, so that no later change can fall into the same clock tick.
        var old = [timespec(tv_sec: 1_000_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000_000, tv_nsec: 0)]
        for sub in ["/cur", "/new"] { XCTAssertEqual(utimensat(AT_FDCWD, path + sub, &old, 0), 0) }
        let view = try MailboxView(folder: folder)
        XCTAssertTrue(try view.resynchronize().isEmpty)

        // Proof the cache is used: remove a file but put cur/'s identity back as it was.
        let victim = view.messages[0].path
        XCTAssertEqual(unlink(victim), 0)
        XCTAssertEqual(utimensat(AT_FDCWD, path + "/cur", &old, 0), 0)
        XCTAssertTrue(try view.resynchronize().isEmpty, "an unchanged stamp skips the directory scan")

        // Real changes change the stamp.
        let other = MaildirFolder(path: path, accountRoot: nil, clock: later)
        try other.changeFlags([2], .add([.flagged]))
        try MaildirDelivery().deliver(message("4"), to: [.init(accountRoot: path)])
        let changes = try view.resynchronize()
        XCTAssertEqual(changes.expunged, [1])
        XCTAssertEqual(changes.flagsChanged.map(\.uid), [2])
        XCTAssertEqual(changes.added.map(\.uid), [4])
        try other.expunge([3])
        XCTAssertEqual(try view.resynchronize().expunged, [3])
        XCTAssertEqual(view.messages.map(\.uid), [2, 4])
    }

    func testExamineLeavesNewMessagesRecentForTheNextSelect() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        try MaildirDelivery().deliver(message("fresh"), to: [.init(accountRoot: path)])
        let folder = MaildirFolder(path: path, accountRoot: nil)
        let examine = try MailboxView(folder: folder, readOnly: true)
        XCTAssertEqual(examine.messages.map(\.uid), [1])
        XCTAssertEqual(examine.recent, [1], "EXAMINE shows what nobody claimed, without claiming it")
        XCTAssertEqual(files(path, "new").count, 1, "EXAMINE leaves the file in new/")
        XCTAssertEqual(try examine.read(uid: 1), message("fresh"))
        XCTAssertTrue(try examine.resynchronize().isEmpty)

        let select = try MailboxView(folder: folder)
        XCTAssertEqual(select.messages.map(\.uid), [1], "the same UID, given when EXAMINE first saw it")
        XCTAssertEqual(select.recent, [1])
        XCTAssertEqual(files(path, "new"), [])
        XCTAssertEqual(try examine.read(uid: 1), message("fresh"), "found again after SELECT moved it to cur/")
        XCTAssertTrue(try examine.resynchronize().isEmpty, "a move to cur/ is not a change a client sees")
    }

    func testAnotherSessionsWritesDoNotClaimRecent() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        try MaildirDelivery().deliver(message("delivered"), to: [.init(accountRoot: path)])
        // Another session appends, flags and expunges in the same folder before anyone selects it.
        let appended = try folder.append(message("appended"), flags: [.seen])
        try folder.changeFlags([appended], .add([.flagged]))
        try folder.expunge()
        XCTAssertEqual(files(path, "new").count, 1, "the delivered message is still unclaimed in new/")
        let select = try MailboxView(folder: folder)
        XCTAssertEqual(select.messages.count, 2)
        XCTAssertEqual(
            select.recent, Set(select.messages.map(\.uid)),
            "the first SELECT, not another session's write, gets \\Recent")
        XCTAssertEqual(try MailboxView(folder: folder).recent, [], "and no later SELECT gets it again")
    }

    /// Issue 11 item 1: each new message — delivered, appended, copied — is \Recent for exactly one
    /// read-write view: the first to look after it arrived; through any folder object (process).
    func testEachArrivalIsRecentForExactlyOneSession() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let otherPath = dir.path + "/other"
        try MaildirLayout.createMaildir(at: otherPath, isSubfolder: true)
        let a = try MailboxView(folder: MaildirFolder(path: path, accountRoot: nil))
        let b = try MailboxView(folder: MaildirFolder(path: path, accountRoot: nil))
        let writer = MaildirFolder(path: path, accountRoot: nil)
        try MaildirDelivery().deliver(message("smtp"), to: [.init(accountRoot: path)])
        let appended = try writer.append(message("append"), flags: [.seen, .keyword("$Work")])
        let other = MaildirFolder(path: otherPath, accountRoot: nil)
        let source = try other.append(message("copy me"))
        let copied = try other.copy([source], to: writer)
        XCTAssertEqual(try a.resynchronize().added.count, 3)
        XCTAssertEqual(a.recent.count, 3, "the session that looked first")
        XCTAssertTrue(a.recent.contains(appended))
        XCTAssertTrue(a.recent.contains(copied[0].destination))
        XCTAssertEqual(try b.resynchronize().added.count, 3)
        XCTAssertEqual(b.recent, [], "every other session sees them without \\Recent")
        let examine = try MailboxView(folder: MaildirFolder(path: path, accountRoot: nil), readOnly: true)
        XCTAssertEqual(examine.recent, [], "claimed messages are not shown as recent to EXAMINE either")
        XCTAssertEqual(try MaildirFolder(path: path, accountRoot: nil).synchronize(claimingRecent: false).recent, [])
        // The record is one small file beside the UID list; Dovecot ignores it.
        XCTAssertEqual(try String(contentsOfFile: path + "/govmail-recent", encoding: .utf8), "4\n")
    }
}
