import GovMailTestSupport
import MailCore
import XCTest
@testable import MaildirStore

/// MULTIAPPEND's store side: every message or none, consecutive UIDs, one quota record.
final class MaildirAppendAllTests: XCTestCase {
    func testAllMessagesGetConsecutiveUIDsWithTheirFlagsAndDates() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("before"))
        let uids = try folder.appendAll([
            (message("one"), [.seen], 1_790_000_000), (message("two"), [.keyword("$Work")], nil),
        ])
        XCTAssertEqual(uids, [UID(2), UID(3)])
        let snapshot = try folder.synchronize(claimingRecent: false)
        XCTAssertEqual(snapshot.messages.map(\.uid), [UID(1), UID(2), UID(3)])
        XCTAssertEqual(snapshot.messages[1].flags, [.seen])
        XCTAssertEqual(snapshot.messages[1].internalDate, 1_790_000_000)
        XCTAssertEqual(snapshot.messages[2].flags, [.keyword("$Work")])
    }

    func testAFailingMessageLeavesNoneOfThemAndNoUIDsUsed() throws {
        for step in [FaultyFileOperations.Step.createExclusive, .write, .fsync, .link] {
            let dir = TemporaryDirectory()
            let path = try makeMaildir(dir)
            let ops = FaultyFileOperations()
            let folder = MaildirFolder(path: path, accountRoot: nil, writer: DurableWriter(ops: ops))
            let second = Array(repeating: UInt8(ascii: "x"), count: 777)
            // Only the second message's files have "S=777" in their names.
            ops.fail(step, pathContains: "S=777")
            XCTAssertThrowsError(try folder.appendAll([(message("one"), [], nil), (second, [], nil)]), "\(step)")
            ops.fail(nil)
            XCTAssertEqual(files(path, "cur") + files(path, "new") + files(path, "tmp"), [], "\(step): nothing stays")
            XCTAssertEqual(try folder.synchronize(claimingRecent: false).messages.count, 0)
            XCTAssertEqual(try folder.appendAll([(message("again"), [], nil)]), [UID(1)], "\(step): no UID was used")
        }
    }
}
