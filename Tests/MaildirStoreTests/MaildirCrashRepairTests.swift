import Foundation
import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

/// What a killed process leaves behind and how the store repairs it (issue 18 item 7): a MOVE cut
/// between linking and unlinking, files in tmp/, a drifted maildirsize.
final class MaildirCrashRepairTests: XCTestCase {
    /// Two folders with three messages in the source.
    private func folders(_ dir: TemporaryDirectory, ops: any FileOperations = POSIXFileOperations()) throws -> (
        source: MaildirFolder, dest: MaildirFolder
    ) {
        let source = MaildirFolder(
            path: try makeMaildir(dir, "src"), accountRoot: nil, writer: DurableWriter(ops: ops))
        let dest = MaildirFolder(path: try makeMaildir(dir, "dst"), accountRoot: nil, writer: DurableWriter(ops: ops))
        for i in 1...3 { _ = try source.append(message("m\(i)")) }
        return (source, dest)
    }

    /// The state a kill leaves after the journal and the links, before any source was unlinked.
    private func crashMidMove(_ source: MaildirFolder, _ dest: MaildirFolder, uids: [UID], linked: Int) throws {
        let messages = try source.synchronize().messages.filter { uids.contains($0.uid) }
        var entries: [MoveJournal.Entry] = []
        for (i, m) in messages.enumerated() {
            let base = UniqueNameGenerator.shared.next(size: m.size)
            entries.append(.init(source: m.basename, destination: base))
            if i < linked {
                try FileManager.default.linkItem(atPath: m.path, toPath: dest.path + "/cur/" + base + ":2,")
            }
        }
        let journal = MoveJournal(destination: dest.path, entries: entries)
        try Data(journal.serialized).write(to: URL(fileURLWithPath: source.path + "/" + MaildirFolder.moveJournalName))
    }

    func testAMoveCutAfterItsLinksIsFinishedWithoutDuplicatesOrLoss() throws {
        let dir = TemporaryDirectory()
        let (source, dest) = try folders(dir)
        try crashMidMove(source, dest, uids: [1, 2, 3], linked: 2)
        let subjects = { (f: MaildirFolder) in
            try f.synchronize().messages.map { String(decoding: try f.read($0.uid), as: UTF8.self) }
                .map { $0.contains("m1") ? "m1" : $0.contains("m2") ? "m2" : "m3" }.sorted()
        }
        XCTAssertEqual(try subjects(source), ["m3"], "the linked two leave the source; the third never moved")
        XCTAssertEqual(try subjects(dest), ["m1", "m2"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.path + "/" + MaildirFolder.moveJournalName))
        XCTAssertEqual(try source.synchronize().messages.map(\.uid), [3], "the UID list forgot the moved ones")
    }

    func testAMoveCutBeforeAnyLinkChangesNothing() throws {
        let dir = TemporaryDirectory()
        let (source, dest) = try folders(dir)
        try crashMidMove(source, dest, uids: [1, 2], linked: 0)
        XCTAssertEqual(try source.synchronize().messages.map(\.uid), [1, 2, 3])
        XCTAssertEqual(try dest.synchronize().messages.count, 0)
    }

    func testATornJournalIsDroppedAndTheSourcesStay() throws {
        let dir = TemporaryDirectory()
        let (source, _) = try folders(dir)
        try "govmail-move 1\n/x/dst\nhalf-a-li".write(
            toFile: source.path + "/" + MaildirFolder.moveJournalName, atomically: false, encoding: .utf8)
        XCTAssertEqual(try source.synchronize().messages.count, 3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.path + "/" + MaildirFolder.moveJournalName))
    }

    func testACompletedMoveLeavesNoJournal() throws {
        let dir = TemporaryDirectory()
        let (source, dest) = try folders(dir)
        let pairs = try source.move([1, 3], to: dest)
        XCTAssertEqual(pairs.map(\.source), [1, 3])
        XCTAssertEqual(try source.synchronize().messages.map(\.uid), [2])
        XCTAssertEqual(try dest.synchronize().messages.count, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.path + "/" + MaildirFolder.moveJournalName))
    }

    func testAFailedMoveTakesItsCopiesBackAndChangesNothing() throws {
        let dir = TemporaryDirectory()
        let ops = FaultyFileOperations()
        let (source, dest) = try folders(dir, ops: ops)
        ops.fail(.fsyncDirectory, EIO, pathContains: "dst/cur")  // the second half of the first link fails
        XCTAssertThrowsError(try source.move([1, 2], to: dest))
        ops.fail(nil)
        XCTAssertEqual(try source.synchronize().messages.map(\.uid), [1, 2, 3])
        XCTAssertEqual(try dest.synchronize().messages.count, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.path + "/" + MaildirFolder.moveJournalName))
    }

    func testJournalRoundTrip() {
        let j = MoveJournal(
            destination: "/s/mail/a/.Archive", entries: [.init(source: "1.M1P1Q1.h,S=3", destination: "2.M2P1Q2.h,S=3")]
        )
        XCTAssertEqual(MoveJournal(parsing: j.serialized), j)
        XCTAssertNil(MoveJournal(parsing: Array(j.serialized.dropLast())), "without its final newline it is torn")
    }

    func testTmpFilesOlderThan36HoursAreRemovedOthersStay() throws {
        let dir = TemporaryDirectory()
        let folder = try makeMaildir(dir)
        let now = Date().timeIntervalSince1970
        for (name, age) in [("old", 37.0 * 3600), ("recent", 35.0 * 3600), ("fresh", 0)] {
            let path = folder + "/tmp/" + name
            try Data("x".utf8).write(to: URL(fileURLWithPath: path))
            try FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: now - age)], ofItemAtPath: path)
        }
        XCTAssertEqual(MaildirTmpSweep.sweepIfDue(folder: folder, now: now, ops: POSIXFileOperations()), 1)
        XCTAssertEqual(files(folder, "tmp"), ["fresh", "recent"])
        let path = folder + "/tmp/late"
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: now - 40 * 3600)], ofItemAtPath: path)
        XCTAssertEqual(
            MaildirTmpSweep.sweepIfDue(folder: folder, now: now + 60, ops: POSIXFileOperations()), 0,
            "not due again yet")
        XCTAssertEqual(
            MaildirTmpSweep.sweepIfDue(folder: folder, now: now + MaildirTmpSweep.interval, ops: POSIXFileOperations()),
            2,
            "due again: the late file and the one that has aged past 36 h meanwhile")
        XCTAssertEqual(files(folder, "tmp"), ["fresh"])
    }

    func testOpeningAFolderSweepsItsTmp() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let stale = path + "/tmp/1.M1P99Q1.killed-delivery"
        try Data("half a message".utf8).write(to: URL(fileURLWithPath: stale))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -48 * 3600)], ofItemAtPath: stale)
        _ = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale))
    }

    func testADriftedMaildirsizeIsRecalculatedTheFirstTimeAProcessReadsIt() throws {
        let dir = TemporaryDirectory()
        let root = try makeMaildir(dir, "acct")
        let one = message("one")
        try MaildirDelivery().deliver(one, to: [.init(accountRoot: root)])
        // A previous process was killed after an unlink and before its record: the cache says 78 messages.
        try "0S,0C\n99999 78\n".write(toFile: root + "/maildirsize", atomically: false, encoding: .utf8)
        let fresh = "/" + UUID().uuidString  // a root this process has never read
        try FileManager.default.moveItem(atPath: root, toPath: dir.path + fresh)
        let moved = dir.path + fresh
        XCTAssertEqual(try MaildirQuota.usage(root: moved), QuotaUsage(bytes: one.count, messages: 1))
        try "0S,0C\n99999 78\n".write(toFile: moved + "/maildirsize", atomically: false, encoding: .utf8)
        XCTAssertEqual(
            try MaildirQuota.usage(root: moved), QuotaUsage(bytes: 99999, messages: 78),
            "within one process the cache is trusted again (only its own changes go into it)")
    }
}
