import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

final class UIDListTests: XCTestCase {
    func testParsesDovecotFileWithExtensionsAndFlags() throws {
        let text = """
            3 V1275660208 N5 G3085f01b7f11094c501100008c4a11c1
            1 G3085f01b7f11094c501100008c4a11c1 :1276528487.M364837P9451.kurkku,S=1355,W=1394:2,
            2 :1276528488.M242919P9451.kurkku,S=1355,W=1394:2,S
            9 W12 :1276528489.M1P9451.kurkku,S=10

            """
        let list = try UIDList(parsing: Array(text.utf8))
        XCTAssertEqual(list.uidValidity, 1_275_660_208)
        XCTAssertEqual(list.nextUID, 10, "N is raised above the highest UID appended after the header")
        XCTAssertEqual(list.headerExtensions, ["G3085f01b7f11094c501100008c4a11c1"])
        XCTAssertEqual(list.entries.map(\.uid), [1, 2, 9])
        XCTAssertEqual(list.entries[0].basename, "1276528487.M364837P9451.kurkku,S=1355,W=1394")
        XCTAssertEqual(list.entries[0].extensions, "G3085f01b7f11094c501100008c4a11c1")
        XCTAssertEqual(list.entries[2].extensions, "W12")
    }

    func testWritesVersion3AndReadsItBack() throws {
        var list = UIDList(uidValidity: 42, headerExtensions: ["Gabc"])
        let added = list.assign(["a,S=1", "b,S=2"])
        XCTAssertEqual(added.map(\.uid), [1, 2])
        list.entries[0].extensions = "W5"
        XCTAssertEqual(String(decoding: list.serialized, as: UTF8.self), "3 V42 N3 Gabc\n1 W5 :a,S=1\n2 :b,S=2\n")
        XCTAssertEqual(try UIDList(parsing: list.serialized), list)
    }

    func testDamagedFilesAreRefused() {
        let cases: [(String, UIDList.Problem)] = [
            ("", .badHeader),
            ("3 V1 N2\n1 :a", .truncated),
            ("1 100 200\n", .unsupportedVersion("1")),
            ("3 N2\n", .badHeader),
            ("3 V0 N2\n", .badHeader),
            ("3 V1 N5\nx :a\n", .badLine(2)),
            ("3 V1 N5\n1 a\n", .badLine(2)),
            ("3 V1 N5\n1 :\n", .badLine(2)),
            ("3 V1 N5\n1 :../../etc/passwd\n", .badLine(2)),
            ("3 V1 N5\n2 :a\n2 :b\n", .uidsNotAscending(3)),
        ]
        for (text, problem) in cases {
            XCTAssertThrowsError(try UIDList(parsing: Array(text.utf8)), text) {
                XCTAssertEqual($0 as? UIDList.Problem, problem, text)
            }
        }
    }

    func testCorruptListIsRebuiltWithNewerUIDValidity() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        for i in 0..<3 { _ = try folder.append(message("m\(i)")) }
        let before = try folder.synchronize()
        XCTAssertEqual(before.messages.map(\.uid), [1, 2, 3])
        // Cut the file in the middle of a line, as a crash or full disk might.
        let text = uidListText(path)
        try String(text.dropLast(7)).write(toFile: path + "/dovecot-uidlist", atomically: false, encoding: .utf8)

        let after = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertGreaterThan(after.uidValidity, before.uidValidity, "a rebuilt list must announce a new UIDVALIDITY")
        XCTAssertEqual(after.messages.count, 3)
        XCTAssertEqual(Set(after.messages.map(\.basename)), Set(before.messages.map(\.basename)))
        XCTAssertEqual(try UIDList(parsing: Array(uidListText(path).utf8)).entries.count, 3)
    }

    func testUnreadableHeaderStillGetsANewValidity() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        _ = try MaildirFolder(path: path, accountRoot: nil).append(message("x"))
        try "garbage\n".write(toFile: path + "/dovecot-uidlist", atomically: false, encoding: .utf8)
        let first = try MaildirFolder(path: path, accountRoot: nil).synchronize().uidValidity
        try "garbage again\n".write(toFile: path + "/dovecot-uidlist", atomically: false, encoding: .utf8)
        let second = try MaildirFolder(path: path, accountRoot: nil).synchronize().uidValidity
        XCTAssertNotEqual(first, second, "two rebuilds never hand out the same UIDVALIDITY")
    }

    func testUIDsAreNeverReusedAfterExpungeAndReopen() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        let u1 = try folder.append(message("1")), u2 = try folder.append(message("2"))
        try folder.expunge([u2])
        let reopened = MaildirFolder(path: path, accountRoot: nil)
        let u3 = try reopened.append(message("3"))
        XCTAssertEqual([u1, u2, u3], [1, 2, 3])
        XCTAssertEqual(
            uidListText(path).split(separator: "\n").first?.split(separator: " ").last, "N3",
            "the rewrite on expunge keeps N above every UID given out")
        XCTAssertEqual(try reopened.synchronize().messages.map(\.uid), [1, 3])
    }

    func testMissingFileLeavesUIDGoneAndListMatchesFilesAfterExpunge() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("a")); _ = try folder.append(message("b"))
        let snap = try folder.synchronize()
        try FileManager.default.removeItem(atPath: snap.messages[0].path)  // removed behind our back
        XCTAssertEqual(try folder.synchronize().messages.map(\.uid), [2])
        try folder.expunge([2])
        XCTAssertEqual(try UIDList(parsing: Array(uidListText(path).utf8)).entries, [])
    }

    func testFileThatReappearsGetsANewUID() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("a")); _ = try folder.append(message("b"))
        let first = try folder.synchronize().messages[0]
        try FileManager.default.moveItem(atPath: first.path, toPath: dir.file("aside"))
        XCTAssertEqual(try folder.synchronize().messages.map(\.uid), [2])
        XCTAssertFalse(uidListText(path).contains(first.basename), "the vanished file's line is dropped at once")
        try FileManager.default.moveItem(atPath: dir.file("aside"), toPath: first.path)
        let again = try folder.synchronize().messages
        XCTAssertEqual(again.map(\.uid), [2, 3], "UID 1 was reported expunged and is never used again")
        XCTAssertEqual(again[1].basename, first.basename)
    }

    func testABasenameListedTwiceKeepsOneUID() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let body = message("twice")
        let name = "1790000000.M1P1Q1.host,S=\(body.count)"
        XCTAssertTrue(FileManager.default.createFile(atPath: path + "/cur/" + name + ":2,S", contents: Data(body)))
        try "3 V9 N5\n1 :\(name)\n3 :\(name):2,S\n".write(
            toFile: path + "/dovecot-uidlist", atomically: false, encoding: .utf8)
        let snap = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertEqual(snap.messages.map(\.uid), [1])
        XCTAssertEqual(uidListText(path), "3 V9 N5\n1 :\(name)\n")
    }
}
