import Synchronization
import Foundation
import GovMailTestSupport
import MailCore
@testable import MaildirStore
import XCTest

final class MaildirNameAndFlagTests: XCTestCase {
    func testUniqueNameHasMaildirShapeAndGrowingSequence() {
        let clock = ManualClock(1_790_000_123.456789)
        let gen = UniqueNameGenerator(clock: clock, host: "mail/1:x")
        let a = gen.next(size: 1234), b = gen.next(size: 5)
        let pid = getpid()
        XCTAssertEqual(a, "1790000123.M456789P\(pid)Q1.mail\\0571\\072x,S=1234")
        XCTAssertEqual(b, "1790000123.M456789P\(pid)Q2.mail\\0571\\072x,S=5")
        XCTAssertNotEqual(a, b)
    }

    func testNamesAreUniqueAcrossThreads() {
        let gen = UniqueNameGenerator()
        let lock = NSLock()
        nonisolated(unsafe) var names = Set<String>()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let mine = (0..<500).map { _ in gen.next(size: 1) }
            lock.lock(); names.formUnion(mine); lock.unlock()
        }
        XCTAssertEqual(names.count, 4000)
    }

    func testFileNameSplitsBasenameLettersAndSize() {
        let n = MaildirFileName("1790000000.M1P2Q3.host,S=812,W=830:2,FSa")
        XCTAssertEqual(n.basename, "1790000000.M1P2Q3.host,S=812,W=830")
        XCTAssertEqual(n.letters, "FSa")
        XCTAssertEqual(n.size, 812)
        let fresh = MaildirFileName("1790000000.M1P2Q3.host,S=9")
        XCTAssertEqual(fresh.basename, "1790000000.M1P2Q3.host,S=9")
        XCTAssertEqual(fresh.letters, "")
        XCTAssertEqual(fresh.curName, "1790000000.M1P2Q3.host,S=9:2,")
        XCTAssertNil(MaildirFileName("1790000000.M1P2Q3.host").size)
        XCTAssertEqual(MaildirFileName(basename: "b", letters: "aTSD").curName, "b:2,DSTa")
        XCTAssertFalse(MaildirFileName.isCandidate(".gitkeep"))
        XCTAssertFalse(MaildirFileName.isCandidate(""))
    }

    func testSystemFlagLettersMapBothWays() throws {
        var table = KeywordTable()
        let all: Set<Flag> = [.draft, .flagged, .answered, .seen, .deleted]
        XCTAssertEqual(try MaildirFlags.letters(for: all, keywords: &table), "DFRST")
        XCTAssertEqual(MaildirFlags.flags(fromLetters: "DFRST", keywords: table), all)
        for (letter, flag) in MaildirFlags.systemLetters {
            XCTAssertEqual(try MaildirFlags.letters(for: [flag], keywords: &table), String(letter))
            XCTAssertEqual(MaildirFlags.flags(fromLetters: String(letter), keywords: table), [flag])
        }
        XCTAssertEqual(
            try MaildirFlags.letters(for: [.recent, .seen], keywords: &table), "S", "\\Recent is never stored")
        XCTAssertEqual(table, KeywordTable(), "system flags never touch the keyword table")
    }

    func testKeywordsUseDovecotLettersAndFile() throws {
        var table = KeywordTable(parsing: "0 $Forwarded\n1 $Junk\nbogus line\n30 TooHigh\n")
        XCTAssertEqual(table.names, [0: "$Forwarded", 1: "$Junk"])
        let letters = try MaildirFlags.letters(for: [.keyword("$junk"), .keyword("$NotJunk"), .seen], keywords: &table)
        XCTAssertEqual(letters, "Sbc")
        XCTAssertEqual(table.serialized, "0 $Forwarded\n1 $Junk\n2 $NotJunk\n")
        XCTAssertEqual(
            MaildirFlags.flags(fromLetters: "Sbc", keywords: table), [.seen, .keyword("$Junk"), .keyword("$NotJunk")])
        XCTAssertEqual(MaildirFlags.flags(fromLetters: "z", keywords: table), [], "an unknown letter is not invented")
    }

    func testTwentySeventhKeywordIsRefused() throws {
        var table = KeywordTable()
        for i in 0..<26 { _ = try table.index(for: "k\(i)", adding: true) }
        XCTAssertThrowsError(try MaildirFlags.letters(for: [.keyword("one-too-many")], keywords: &table)) {
            XCTAssertEqual($0 as? MaildirError, .tooManyKeywords("one-too-many"))
        }
    }
}
