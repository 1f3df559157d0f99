import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

final class DurableWriterTests: XCTestCase {
    private let deliverySteps: [FaultyFileOperations.Step] = [.createExclusive, .write, .fsync, .link, .fsyncDirectory]

    func testDeliveryFailureAtEachStepLeavesNothingAndIsTransient() throws {
        for step in deliverySteps {
            for code in [ENOSPC, EIO] {
                let dir = TemporaryDirectory()
                let a = try makeMaildir(dir, "a"), b = try makeMaildir(dir, "b")
                let ops = FaultyFileOperations()
                ops.fail(step, code)
                let delivery = MaildirDelivery(writer: DurableWriter(ops: ops))
                XCTAssertThrowsError(
                    try delivery.deliver(message("x"), to: [.init(accountRoot: a), .init(accountRoot: b)]),
                    "\(step)"
                ) { error in
                    guard let e = error as? MaildirError, e.isTransient, case .transientIO(let sys) = e else {
                        return XCTFail("\(step): \(error) is not transient")
                    }
                    XCTAssertEqual(sys.code, code)
                    XCTAssertTrue(e.description.contains("try again later"))
                }
                for folder in [a, b] {
                    XCTAssertEqual(files(folder, "new"), [], "\(step): no partial file in new/")
                    XCTAssertEqual(files(folder, "cur"), [], "\(step)")
                    XCTAssertEqual(files(folder, "tmp"), [], "\(step): temporary file removed")
                }
                XCTAssertTrue(ops.calls.withLock { $0.contains(step) }, "\(step) was reached")
            }
        }
    }

    func testDeliverySucceedsWithEveryStepInOrder() throws {
        let dir = TemporaryDirectory()
        let a = try makeMaildir(dir, "a")
        let ops = FaultyFileOperations()
        try MaildirDelivery(writer: DurableWriter(ops: ops)).deliver(message("ok"), to: [.init(accountRoot: a)])
        XCTAssertEqual(
            ops.calls.withLock { $0 }, [.createExclusive, .write, .fsync, .link, .fsyncDirectory],
            "the file is fsynced before it is linked, and the directory after")
        XCTAssertEqual(files(a, "new").count, 1)
    }

    func testAppendFailureAtEachStepLeavesNoMessageAndNoUID() throws {
        for step: FaultyFileOperations.Step in [
            .createExclusive, .write, .setTime, .fsync, .link, .fsyncDirectory, .openAppend,
        ] {
            let dir = TemporaryDirectory()
            let path = try makeMaildir(dir)
            let ops = FaultyFileOperations()
            let folder = MaildirFolder(path: path, accountRoot: nil, writer: DurableWriter(ops: ops))
            _ = try folder.synchronize()  // the uidlist exists before the fault
            let listBefore = uidListText(path)
            ops.fail(step, EIO)
            XCTAssertThrowsError(
                try folder.append(message("x"), flags: [.seen], internalDate: 1_700_000_000), "\(step)"
            ) {
                XCTAssertEqual(($0 as? MaildirError)?.isTransient, true, "\(step)")
            }
            ops.fail(nil)
            if step == .openAppend {
                // The file was durable but its UID could not be recorded: it gets one on the next sync.
                XCTAssertEqual(try folder.synchronize().messages.count, 1)
            } else {
                XCTAssertEqual(files(path, "cur"), [], "\(step)")
                XCTAssertEqual(uidListText(path), listBefore, "\(step)")
            }
            XCTAssertEqual(files(path, "tmp"), [], "\(step)")
        }
    }

    func testUIDListRewriteFailureKeepsOldList() throws {
        for step: FaultyFileOperations.Step in [.createExclusive, .write, .fsync, .rename] {
            let dir = TemporaryDirectory()
            let path = try makeMaildir(dir)
            let ops = FaultyFileOperations()
            let folder = MaildirFolder(path: path, accountRoot: nil, writer: DurableWriter(ops: ops))
            _ = try folder.append(message("a")); _ = try folder.append(message("b"))
            let before = uidListText(path)
            ops.fail(step, ENOSPC)
            XCTAssertThrowsError(try folder.expunge([1]), "\(step)")
            ops.fail(nil)
            XCTAssertEqual(uidListText(path), before, "\(step): the list is replaced whole or not at all")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path + "/dovecot-uidlist.tmp"), "\(step)")
            // The message file was already removed; the next expunge/sync settles the list.
            XCTAssertEqual(try folder.synchronize().messages.map(\.uid), [2], "\(step)")
        }
    }

    func testHalfWrittenUIDListLineIsCutBackAndNothingIsRenumbered() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let ops = FaultyFileOperations()
        let folder = MaildirFolder(path: path, accountRoot: nil, writer: DurableWriter(ops: ops))
        _ = try folder.append(message("a"))
        let before = uidListText(path)
        ops.fail(.write, ENOSPC, pathContains: "dovecot-uidlist", partial: true)
        XCTAssertThrowsError(try folder.append(message("b")))
        XCTAssertEqual(uidListText(path), before, "the half line was cut off again")
        ops.fail(nil)
        let snap = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertEqual(snap.messages.map(\.uid), [1, 2], "same UIDVALIDITY, and the durable message gets its UID")
        XCTAssertEqual(try UIDList(parsing: Array(before.utf8)).uidValidity, snap.uidValidity)
    }
}
