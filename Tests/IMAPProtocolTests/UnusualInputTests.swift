import XCTest
import MailCore
import GovMailTestSupport
@testable import IMAPProtocol

/// Legal but unusual input gets an answer and the session goes on (issue 11 items 5, 6, 8; issue 18 item 1).
final class UnusualInputTests: XCTestCase {
    func frames(_ text: String, limits: IMAPLimits = IMAPLimits()) -> [IMAPCommandFramer.Outcome] {
        var framer = IMAPCommandFramer(limits: limits)
        var queue = ByteQueue()
        queue.append(Array(text.utf8))
        var out: [IMAPCommandFramer.Outcome] = []
        while let o = framer.next(&queue) { out.append(o) }
        return out
    }

    func testABareLFEndsACommandAndTheParserSeesCRLF() {
        XCTAssertEqual(frames("a1 NOOP\n"), [.command(Array("a1 NOOP\r\n".utf8))])
        XCTAssertEqual(
            frames("a1 NOOP\na2 NOOP\r\n"), [.command(Array("a1 NOOP\r\n".utf8)), .command(Array("a2 NOOP\r\n".utf8))])
        // A literal announced on a bare-LF line; its content (with its own bare LF) is never touched.
        XCTAssertEqual(
            frames("a1 LOGIN {3+}\nx\ny pw\n"), [.command(Array("a1 LOGIN {3+}\r\nx\ny pw\r\n".utf8))])
        XCTAssertEqual(frames("a1 LOGIN {3}\n"), [.continuationNeeded])
        // Every split of the input gives the same commands.
        let input = Array("a1 LOGIN {3+}\nx\ny pw\na2 NOOP\n".utf8)
        let ways = ChunkingVerifier.outcomes(of: input) { chunks -> [IMAPCommandFramer.Outcome] in
            var framer = IMAPCommandFramer()
            var queue = ByteQueue()
            var out: [IMAPCommandFramer.Outcome] = []
            for c in chunks {
                queue.append(c)
                while let o = framer.next(&queue) { out.append(o) }
            }
            return out
        }
        for w in ways {
            XCTAssertEqual(
                w, [.command(Array("a1 LOGIN {3+}\r\nx\ny pw\r\n".utf8)), .command(Array("a2 NOOP\r\n".utf8))])
        }
    }

    func testBareLFIsAnsweredAtOnceInASession() {
        let d = SessionDriver()
        _ = d.take()
        d.send(Array("a1 NOOP\n".utf8))
        XCTAssertEqual(d.take(), ["a1 OK NOOP completed"])
        d.store.users["alice"] = "secret"
        d.send(Array("a2 LOGIN alice secret\na3 SELECT INBOX\na4 IDLE\n".utf8))
        XCTAssertEqual(d.take().last, "+ idling")
        d.send(Array("DONE\n".utf8))
        XCTAssertEqual(d.take(), ["a4 OK IDLE terminated"])
    }

    func testAnIDOfThirtyLongFieldsIsAnsweredAndTheSessionGoesOn() {
        let d = SessionDriver()
        _ = d.take()
        let value = String(repeating: "v", count: 1024)
        let pairs = (1...30).map { "\"field\($0)\" \"\(value)\"" }.joined(separator: " ")
        let line = "a1 ID (\"name\" \"Thunderbird\" \(pairs))"
        XCTAssertGreaterThan(line.utf8.count, 31_000)
        XCTAssertEqual(d.exchange(line), ["* ID (\"name\" \"GovMail\")", "a1 OK ID completed"])
        XCTAssertEqual(d.session.clientName, "Thunderbird")
        XCTAssertFalse(d.closed)
        XCTAssertEqual(d.exchange("a2 NOOP"), ["a2 OK NOOP completed"])
    }

    func testAnOddMailboxNameIsNoSuchMailboxAndAnOddPatternListsNothing() {
        let d = SessionDriver()
        d.loginAndSelect()
        _ = d.take()
        let odd = "!#$&'+,-.0123456789:;<=>?@^_`|[}"
        let select = d.exchange("a1 SELECT \(odd)")
        XCTAssertEqual(select.count, 1)
        XCTAssertTrue(select[0].hasPrefix("a1 NO [NONEXISTENT] Folder \"\(odd)\" does not exist"), select[0])
        XCTAssertNil(d.session.selectedMailbox, "a failed SELECT leaves no folder selected")
        XCTAssertEqual(d.exchange("a2 LIST \"\" \(odd)%*"), ["a2 OK LIST completed"])
        XCTAssertEqual(d.exchange("a3 LIST \"\" \"\(odd)\""), ["a3 OK LIST completed"])
        XCTAssertTrue(d.exchange("a4 CREATE \(odd)")[0].hasPrefix("a4 NO [CANNOT] Cannot use"))
        XCTAssertFalse(d.closed)
    }

    func testWildcardRunsCollapseSoAHugePatternCostsLikeOneStar() {
        let huge = ListPattern(String(repeating: "*", count: 7000) + "q")
        XCTAssertEqual(huge.tokens, [.any, .literal("q")])
        XCTAssertEqual(ListPattern("%%*%").tokens, [.any])
        XCTAssertEqual(ListPattern("a%%b").tokens, [.literal("a"), .anyButDelimiter, .literal("b")])
        // 100 folders six levels deep answer the 7,000-star LIST like `*q`.
        let names = (0..<100).map { i in
            (0..<6).map { "level\($0)x\(i)" }.joined(separator: ".") + (i % 2 == 0 ? "q" : "")
        }
        XCTAssertEqual(names.filter(huge.matches).count, 50)
        // Many literals joined by stars: a name shorter than the literals is refused without matching.
        let starQ = ListPattern(String(repeating: "*q", count: 3500))
        XCTAssertEqual(starQ.literalCount, 3500)
        XCTAssertFalse(starQ.matches(names[0]))
    }

    /// The same shape in SEARCH: the number of keys is bounded (each text key is a pass over the
    /// folder), and a SEARCH at the bound is still answered.
    func testSearchKeyCountIsBoundedWithBadLimit() {
        let d = SessionDriver()
        d.loginAndSelect()
        _ = d.take()
        let many = Array(repeating: "OR FROM a NOT TO b", count: 251).joined(separator: " ")
        let answer = d.exchange("a1 SEARCH \(many)")
        XCTAssertEqual(answer, ["a1 BAD [LIMIT] SEARCH has more than 1000 keys; split it into several searches"])
        let atLimit = Array(repeating: "OR SEEN NOT DELETED", count: 250).joined(separator: " ")
        XCTAssertEqual(d.exchange("a2 SEARCH \(atLimit)"), ["* SEARCH", "a2 OK SEARCH completed"])
        XCTAssertFalse(d.closed)
    }

    /// The dynamic-programming matcher agrees with a plain backtracking reference on many patterns.
    func testListPatternAgreesWithAReferenceMatcher() {
        func reference(_ n: [Character], _ p: [Character]) -> Bool {
            guard let c = p.first else { return n.isEmpty }
            switch c {
            case "*": return (0...n.count).contains { reference(Array(n.dropFirst($0)), Array(p.dropFirst())) }
            case "%":
                let limit = n.firstIndex(of: ".") ?? n.count
                return (0...limit).contains { reference(Array(n.dropFirst($0)), Array(p.dropFirst())) }
            default: return n.first == c && reference(Array(n.dropFirst()), Array(p.dropFirst()))
            }
        }
        let names = ["INBOX", "INBOX.a", "a", "a.b", "a.b.c", "ab", "b.a", "aa.bb", ".", "a..b", "ba"]
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "b", ".", "*", "%"]
        for _ in 0..<3000 {
            let p = String((0..<Int.random(in: 0...6, using: &generator)).map { _ in alphabet.randomElement()! })
            let compiled = ListPattern(p)
            for n in names where n != "INBOX" && n != "INBOX.a" {
                XCTAssertEqual(compiled.matches(n), reference(Array(n), Array(p)), "\(n) ~ \(p)")
            }
        }
        XCTAssertTrue(ListPattern("inbox").matches("INBOX"))
        XCTAssertTrue(ListPattern("Inbox.*").matches("INBOX.a"))
        XCTAssertFalse(ListPattern("INBOX").matches("INBOX.a"))
    }
}
