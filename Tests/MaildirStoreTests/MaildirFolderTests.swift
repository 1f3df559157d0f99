import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

final class MaildirFolderTests: XCTestCase {
    func testFixtureInboxGetsUIDsInArrivalOrderAndMovesNewToCur() throws {
        let dir = TemporaryDirectory()
        let path = try Fixtures.copy("inbox", into: dir)
        let snap = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertEqual(snap.messages.map(\.uid), Array(1...8).map { UID(UInt32($0)) })
        XCTAssertEqual(
            snap.messages.map { $0.basename.split(separator: ".")[2] }.map { String($0.split(separator: ",")[0]) },
            [
                "fixture-encoded-words", "fixture-raw-utf8", "fixture-alternative", "fixture-attachment",
                "fixture-smime-signed", "fixture-bare-lf", "fixture-no-final-newline", "fixture-long-header",
            ])
        XCTAssertEqual(snap.messages[1].flags, [.seen])
        XCTAssertEqual(snap.messages[2].flags, [.answered, .seen])
        XCTAssertEqual(snap.messages[3].flags, [.flagged, .seen])
        XCTAssertEqual(snap.messages[4].flags, [])
        XCTAssertEqual(snap.movedFromNew, [1, 6, 7, 8])
        XCTAssertEqual(files(path, "new"), [])
        XCTAssertEqual(files(path, "cur").count, 8)
        for m in snap.messages {
            let bytes = try FileManager.default.attributesOfItem(atPath: m.path)[.size] as! Int
            XCTAssertEqual(m.size, bytes, "S= matches the file for \(m.basename)")
        }
        let folder = MaildirFolder(path: path, accountRoot: nil)
        let noNewline = try folder.read(7)
        XCTAssertEqual(String(decoding: noNewline.suffix(9), as: UTF8.self), "line end.")
        let bareLF = try folder.read(6)
        XCTAssertFalse(bareLF.contains(UInt8(ascii: "\r")))
        XCTAssertTrue(String(decoding: try folder.read(2), as: UTF8.self).contains("Subject: Báo cáo tình hình"))
    }

    func testDovecotUIDListAndKeywordsAreKept() throws {
        let dir = TemporaryDirectory()
        let path = try Fixtures.copy("uidlist-kept", into: dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        let snap = try folder.synchronize()
        XCTAssertEqual(snap.uidValidity, 1_700_000_000)
        XCTAssertEqual(snap.messages.map(\.uid), [7, 23, 40, 41])
        XCTAssertEqual(snap.nextUID, 42)
        XCTAssertEqual(snap.messages[0].flags, [.seen, .keyword("$Forwarded")])
        XCTAssertEqual(snap.messages[1].flags, [.flagged, .seen, .keyword("$Junk")])
        let text = uidListText(path)
        XCTAssertTrue(text.hasPrefix("3 V1700000000 N41 G4c5b1c2d8e0f0a11e2a3000012345678\n7 G1111"), text)
        XCTAssertTrue(text.hasSuffix("41 :1793600003.M14P900Q4.mail1,S=289\n"), text)

        // An expunge rewrites the list, keeping Dovecot's header and line fields.
        try folder.expunge([23])
        let rewritten = uidListText(path)
        XCTAssertEqual(
            rewritten,
            """
            3 V1700000000 N42 G4c5b1c2d8e0f0a11e2a3000012345678
            7 G11112222333344445555666677778888 :1793600000.M11P900Q1.mail1,S=649
            40 W2093 :1793600002.M13P900Q3.mail1,S=1607
            41 :1793600003.M14P900Q4.mail1,S=289

            """)
    }

    func testChangeFlagsRenamesAtomicallyAndKeepsBasename() throws {
        let dir = TemporaryDirectory()
        let path = try Fixtures.copy("uidlist-kept", into: dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.synchronize()
        let updated = try folder.changeFlags([7, 40, 999], .add([.answered, .keyword("$NotJunk")]))
        XCTAssertEqual(updated.map(\.uid), [7, 40], "a UID that does not exist is skipped")
        XCTAssertEqual(updated[0].flags, [.seen, .answered, .keyword("$Forwarded"), .keyword("$NotJunk")])
        XCTAssertTrue(updated[0].path.hasSuffix("1793600000.M11P900Q1.mail1,S=649:2,RSac"), updated[0].path)
        XCTAssertEqual(
            try String(contentsOfFile: path + "/dovecot-keywords", encoding: .utf8),
            "0 $Forwarded\n1 $Junk\n2 $NotJunk\n")
        try folder.changeFlags([7], .remove([.seen, .keyword("$forwarded")]))
        try folder.changeFlags([40], .replace([.deleted, .recent]))
        let snap = try folder.synchronize()
        XCTAssertEqual(snap.messages.first { $0.uid == 7 }?.flags, [.answered, .keyword("$NotJunk")])
        XCTAssertEqual(snap.messages.first { $0.uid == 40 }?.flags, [.deleted])
        XCTAssertEqual(files(path, "cur").count, 4, "renamed, not copied")
        try folder.changeFlags([23], .add([.deleted]))
        XCTAssertEqual(
            try folder.expunge([7, 23], onlyDeleted: true), [23], "UID EXPUNGE keeps messages without \\Deleted")
        XCTAssertEqual(try folder.expunge(), [40], "EXPUNGE without UIDs removes the \\Deleted ones")
        XCTAssertEqual(try folder.synchronize().messages.map(\.uid), [7, 41])
    }

    func testAppendKeepsFlagsAndInternalDateAndReturnsUID() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        let body = message("Công văn đến")
        let uid = try folder.append(body, flags: [.seen, .draft, .keyword("$Forwarded")], internalDate: 1_600_000_000)
        XCTAssertEqual(uid, 1)
        let m = try XCTUnwrap(try folder.synchronize().messages.first)
        XCTAssertEqual(m.flags, [.seen, .draft, .keyword("$Forwarded")])
        XCTAssertEqual(m.internalDate, 1_600_000_000)
        XCTAssertEqual(m.size, body.count)
        XCTAssertEqual(try folder.read(uid), body)
        XCTAssertThrowsError(try folder.read(99)) { XCTAssertEqual($0 as? MaildirError, .noSuchMessage(99)) }
    }

    func testCopyAndMoveKeepFlagsAndRemapKeywords() throws {
        let dir = TemporaryDirectory()
        let source = MaildirFolder(path: try Fixtures.copy("uidlist-kept", into: dir), accountRoot: nil)
        let destPath = try makeMaildir(dir, "dest")
        let dest = MaildirFolder(path: destPath, accountRoot: nil)
        _ = try dest.append(message("existing"), flags: [.keyword("$Other")])

        let copied = try source.copy([23, 7, 555], to: dest)
        XCTAssertEqual(copied.map(\.source), [7, 23])
        XCTAssertEqual(copied.map(\.destination), [2, 3])
        let destSnap = try dest.synchronize()
        XCTAssertEqual(destSnap.messages[1].flags, [.seen, .keyword("$Forwarded")])
        XCTAssertEqual(destSnap.messages[2].flags, [.flagged, .seen, .keyword("$Junk")])
        XCTAssertEqual(
            try String(contentsOfFile: destPath + "/dovecot-keywords", encoding: .utf8),
            "0 $Other\n1 $Forwarded\n2 $Junk\n")
        XCTAssertEqual(try dest.read(2), try source.read(7))
        XCTAssertEqual(try source.synchronize().messages.count, 4, "copy leaves the source")

        let moved = try source.move([40], to: dest)
        XCTAssertEqual(moved.map(\.destination), [4])
        XCTAssertEqual(try source.synchronize().messages.map(\.uid), [7, 23, 41])
        XCTAssertEqual(try dest.synchronize().messages.last?.flags, [])
    }

    func testCopiesInOppositeDirectionsAtOnceDoNotDeadlock() throws {
        let dir = TemporaryDirectory()
        let a = MaildirFolder(path: try makeMaildir(dir, "a"), accountRoot: nil)
        let b = MaildirFolder(path: try makeMaildir(dir, "b"), accountRoot: nil)
        for i in 0..<5 { _ = try a.append(message("a\(i)")); _ = try b.append(message("b\(i)")) }
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            for _ in 0..<5 { _ = try! (i % 2 == 0 ? a.copy([1, 2], to: b) : b.copy([1, 2], to: a)) }
        }
        XCTAssertEqual(try a.synchronize().messages.count, 5 + 2 * 5 * 2)
        XCTAssertEqual(try b.synchronize().messages.count, 5 + 2 * 5 * 2)
    }

    func testCopyWithinTheSameFolder() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("x"), flags: [.flagged])
        let pairs = try folder.copy([1], to: MaildirFolder(path: path, accountRoot: nil))
        XCTAssertEqual(pairs.map(\.destination), [2])
        XCTAssertEqual(try folder.synchronize().messages.map(\.flags), [[.flagged], [.flagged]])
    }

    func testFlagsSetByADeliveryAgentInNewSurviveTheMoveToCur() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let body = message("pre-flagged")
        XCTAssertTrue(
            FileManager.default.createFile(
                atPath: path + "/new/1790000000.M1P1Q1.other,S=\(body.count):2,FS", contents: Data(body)))
        let m = try XCTUnwrap(try MaildirFolder(path: path, accountRoot: nil).synchronize().messages.first)
        XCTAssertEqual(m.flags, [.flagged, .seen])
        XCTAssertEqual(files(path, "cur"), ["1790000000.M1P1Q1.other,S=\(body.count):2,FS"])
    }

    func testUnreadableUIDListIsNotRebuilt() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        let folder = MaildirFolder(path: path, accountRoot: nil)
        _ = try folder.append(message("a"))
        let before = try folder.synchronize()
        // A list that exists but cannot be read (here: a directory in its place, which even root cannot read).
        let list = path + "/dovecot-uidlist"
        try FileManager.default.moveItem(atPath: list, toPath: dir.file("aside"))
        try FileManager.default.createDirectory(atPath: list, withIntermediateDirectories: false)
        XCTAssertThrowsError(try MaildirFolder(path: path, accountRoot: nil).synchronize()) {
            XCTAssertEqual(($0 as? MaildirError)?.isTransient, true)
        }
        try FileManager.default.removeItem(atPath: list)
        try FileManager.default.moveItem(atPath: dir.file("aside"), toPath: list)
        let after = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        XCTAssertEqual(after.uidValidity, before.uidValidity, "a passing read error never renumbers the folder")
        XCTAssertEqual(after.messages.map(\.uid), [1])
    }
}
