import XCTest
import MailCore
import GovMailTestSupport
@testable import IMAPProtocol

/// Parser tables: each command has success, incomplete, failure and (where it applies) limit rows.
final class CommandParserTests: XCTestCase {
    enum Outcome: Equatable {
        case command(IMAPCommand)
        case incomplete
        case continuation
        case error(IMAPParseError)
        case framing(IMAPCommandFramer.Outcome)
    }

    var limits: IMAPLimits = {
        var l = IMAPLimits()
        l.appendLimit = 100
        l.literalSize = 20
        l.lineLength = 200
        l.nestingDepth = 4
        return l
    }()

    /// Frames and parses everything in `chunks`, fed one after another; returns every outcome in order.
    func outcomes(_ chunks: [[UInt8]]) -> [Outcome] {
        var framer = IMAPCommandFramer(limits: limits)
        let parser = IMAPCommandParser(limits: limits)
        var queue = ByteQueue()
        var out: [Outcome] = []
        for chunk in chunks {
            queue.append(chunk)
            while let o = framer.next(&queue) {
                switch o {
                case .command(let bytes):
                    do { out.append(.command(try parser.parse(bytes))) } catch let e as IMAPParseError {
                        out.append(.error(e))
                    } catch {
                        XCTFail("unexpected \(error)")
                    }
                case .continuationNeeded: out.append(.continuation)
                default: out.append(.framing(o))
                }
            }
        }
        if !queue.isEmpty { out.append(.incomplete) }
        return out
    }

    func parse(_ text: String) -> Outcome {
        let all = outcomes([Array(text.utf8)]).filter { $0 != .continuation }
        return all.count == 1 ? all[0] : .framing(.command(Array("\(all)".utf8)))
    }

    func ok(
        _ text: String, _ kind: IMAPCommandKind, tag: String = "a1", file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(parse(text), .command(IMAPCommand(tag: tag, kind)), text, file: file, line: line)
        // Every way of splitting the input gives the same result.
        let ways = ChunkingVerifier.outcomes(of: Array(text.utf8)) { outcomes($0).filter { $0 != .continuation } }
        for w in ways { XCTAssertEqual(w, [.command(IMAPCommand(tag: tag, kind))], text, file: file, line: line) }
    }

    func bad(
        _ text: String, _ kind: IMAPParseError.Kind = .syntax, tag: String? = "a1", file: StaticString = #filePath,
        line: UInt = #line
    ) {
        guard case .error(let e) = parse(text) else {
            return XCTFail("\(text) parsed: \(parse(text))", file: file, line: line)
        }
        XCTAssertEqual(e.kind, kind, "\(text): \(e)", file: file, line: line)
        XCTAssertEqual(e.tag, tag, text, file: file, line: line)
    }

    func incomplete(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            outcomes([Array(text.utf8)]).filter { $0 != .continuation }, [.incomplete], text, file: file, line: line)
    }

    func mb(_ s: String) -> MailboxName { try! MailboxName(s) }

    func testAnyStateCommands() {
        ok("a1 CAPABILITY\r\n", .capability)
        ok("a1 noop\r\n", .noop)
        ok("a1 LOGOUT\r\n", .logout)
        ok("a1 ID (\"name\" \"Thunderbird\" \"os\" NIL)\r\n", .id(["name": "Thunderbird", "os": ""]))
        ok("a1 ID NIL\r\n", .id(nil))
        ok("a1 ID ()\r\n", .id([:]))
        incomplete("a1 CAPABILITY")
        incomplete("a1 NOOP\r")
        bad("a1 CAPABILITY x\r\n")
        bad("a1 ID (\"name\")\r\n")
        bad("a1 ID\r\n")
        bad("\r\n", tag: nil)
        bad("a+b NOOP\r\n", tag: nil)
    }

    func testLoginAndAuthenticate() {
        ok("a1 LOGIN alice secret\r\n", .login(username: "alice", password: Secret("secret")))
        ok("a1 LOGIN \"al ice\" \"s\\\"e\\\\c\"\r\n", .login(username: "al ice", password: Secret("s\"e\\c")))
        ok("a1 LOGIN {5}\r\nalice {3+}\r\nx y\r\n", .login(username: "alice", password: Secret("x y")))
        ok("a1 AUTHENTICATE PLAIN\r\n", .authenticate(mechanism: "PLAIN", initialResponse: nil))
        ok("a1 AUTHENTICATE plain AGEAYg==\r\n", .authenticate(mechanism: "PLAIN", initialResponse: "AGEAYg=="))
        ok("a1 AUTHENTICATE PLAIN =\r\n", .authenticate(mechanism: "PLAIN", initialResponse: "="))
        ok("a1 STARTTLS\r\n", .starttls)
        incomplete("a1 LOGIN {5}\r\nali")
        bad("a1 LOGIN alice\r\n")
        bad("a1 LOGIN \"alice\r\n")
        bad("a1 LOGIN alice \"a\\b\"\r\n")
        bad("a1 AUTHENTICATE\r\n")
        // A literal larger than the non-APPEND limit is refused before it is read.
        XCTAssertEqual(parse("a1 LOGIN {21}\r\n"), .framing(.literalRefused(tag: "a1", size: 21)))
    }

    func testSynchronizingLiteralAsksForContinuationOnce() {
        var framer = IMAPCommandFramer(limits: limits)
        var q = ByteQueue(Array("a1 LOGIN {5}\r\n".utf8))
        XCTAssertEqual(framer.next(&q), .continuationNeeded)
        XCTAssertNil(framer.next(&q))
        XCTAssertEqual(q.count, 14, "nothing is consumed before the command is complete")
        q.append(Array("alice {2}\r\n".utf8))
        XCTAssertEqual(framer.next(&q), .continuationNeeded)
        XCTAssertNil(framer.next(&q))
        q.append(Array("pw\r\n".utf8))
        XCTAssertEqual(framer.next(&q), .command(Array("a1 LOGIN {5}\r\nalice {2}\r\npw\r\n".utf8)))
        XCTAssertTrue(q.isEmpty)
    }

    func testNonSynchronizingLiteralOverLimitIsReadAndDiscarded() {
        let text = "a1 APPEND INBOX {101+}\r\n" + String(repeating: "x", count: 101) + "\r\na2 NOOP\r\n"
        for way in ChunkingVerifier.outcomes(of: Array(text.utf8), outcomes) {
            XCTAssertEqual(
                way, [.framing(.literalDiscarded(tag: "a1", size: 101)), .command(IMAPCommand(tag: "a2", .noop))])
        }
        XCTAssertEqual(parse("a1 APPEND INBOX {101}\r\n"), .framing(.literalRefused(tag: "a1", size: 101)))
    }

    func testLineTooLong() {
        let long = "a1 LOGIN " + String(repeating: "a", count: 300)
        XCTAssertEqual(outcomes([Array(long.utf8)]), [.framing(.lineTooLong(tag: "a1"))])
        XCTAssertEqual(outcomes([Array((long + "\r\n").utf8)]), [.framing(.lineTooLong(tag: "a1"))])
    }

    func testMailboxCommands() {
        ok("a1 SELECT inbox\r\n", .select(.inbox))
        ok("a1 EXAMINE \"Sent\"\r\n", .examine(mb("Sent")))
        ok("a1 CREATE \"V&AQM-n b&HqM-n\"\r\n", .create(mb("Văn bản")))
        ok("a1 DELETE Archive.2025\r\n", .delete(mb("Archive.2025")))
        ok("a1 CREATE Projects.\r\n", .create(mb("Projects")))  // only a declaration of sub-folders (RFC 3501 §6.3.3)
        // Well-formed commands naming a folder that cannot exist: NO, not BAD (issue 11 item 5).
        let missing = IMAPParseError.Kind.invalidMailboxName(creating: false, deselects: false)
        let uncreatable = IMAPParseError.Kind.invalidMailboxName(creating: true, deselects: false)
        let unselectable = IMAPParseError.Kind.invalidMailboxName(creating: false, deselects: true)
        bad("a1 DELETE Projects.\r\n", missing)
        bad("a1 CREATE Projects..\r\n", uncreatable)
        bad("a1 CREATE .\r\n", uncreatable)
        bad("a1 SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}\r\n", unselectable)
        bad("a1 STATUS !#$&'+,-.0123456789:;<=>?@^_`|[} (MESSAGES)\r\n", missing)
        bad("a1 RENAME Sent a/b\r\n", uncreatable)
        bad("a1 RENAME a/b Sent\r\n", missing)
        // …but bad grammar after such a name is still BAD.
        bad("a1 STATUS &Jjo (NOSUCHITEM)\r\n")
        // A LIST pattern that is not modified UTF-7 is matched as written: an answer, never a BAD.
        ok(
            "a1 LIST \"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*\r\n",
            .list(reference: "", pattern: "!#$&'+,-.0123456789:;<=>?@^_`|[}%*"))
        ok("a1 RENAME a b\r\n", .rename(mb("a"), mb("b")))
        ok("a1 SUBSCRIBE Sent\r\n", .subscribe(mb("Sent")))
        ok("a1 UNSUBSCRIBE Sent\r\n", .unsubscribe(mb("Sent")))
        ok("a1 LIST \"\" *\r\n", .list(reference: "", pattern: "*"))
        ok("a1 LIST \"\" \"\"\r\n", .list(reference: "", pattern: ""))
        ok("a1 LIST Archive. %\r\n", .list(reference: "Archive.", pattern: "%"))
        ok("a1 LSUB \"\" \"Th&AbA- *\"\r\n", .lsub(reference: "", pattern: "Thư *"))
        ok(
            "a1 STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)\r\n",
            .status(.inbox, [.messages, .recent, .uidNext, .uidValidity, .unseen]))
        ok("a1 NAMESPACE\r\n", .namespace)
        ok("a1 IDLE\r\n", .idle)
        ok("a1 ENABLE UTF8=ACCEPT CONDSTORE\r\n", .enable(["UTF8=ACCEPT", "CONDSTORE"]))
        incomplete("a1 SELECT {5}\r\nINB")
        bad("a1 SELECT\r\n")
        bad("a1 SELECT a/b\r\n", unselectable)
        bad("a1 CREATE \"&Jjo\"\r\n", uncreatable)
        bad("a1 STATUS INBOX ()\r\n")
        bad("a1 STATUS INBOX (SIZE)\r\n")
        bad("a1 LIST \"\"\r\n")
        bad("a1 ENABLE\r\n")
    }

    func testAppend() {
        let date = IMAPDateTime(epochSeconds: 837_596_665, zoneMinutes: -420)
        ok(
            "a1 APPEND INBOX (\\Seen $Work) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello\r\n",
            .append(.inbox, flags: [.seen, .keyword("$Work")], date: date, message: Array("hello".utf8)))
        ok("a1 APPEND INBOX {2+}\r\nhi\r\n", .append(.inbox, flags: [], date: nil, message: Array("hi".utf8)))
        ok(
            "a1 APPEND INBOX () \" 7-Jul-1996 02:44:25 +0000\" {0}\r\n\r\n",
            .append(.inbox, flags: [], date: IMAPDateTime(epochSeconds: 836_707_465), message: []))
        incomplete("a1 APPEND INBOX {5}\r\nhel")
        bad("a1 APPEND INBOX hello\r\n")
        bad("a1 APPEND INBOX \"32-Jul-1996 02:44:25 -0700\" {1}\r\nx\r\n")
        bad("a1 APPEND INBOX (\\Recent) {1}\r\nx\r\n")
        XCTAssertEqual(parse("a1 APPEND INBOX {101}\r\n"), .framing(.literalRefused(tag: "a1", size: 101)))
        // APPEND may use literals up to APPENDLIMIT, larger than other commands' literal limit.
        ok(
            "a1 APPEND INBOX {30+}\r\n" + String(repeating: "y", count: 30) + "\r\n",
            .append(.inbox, flags: [], date: nil, message: Array(repeating: UInt8(ascii: "y"), count: 30)))
    }

    func testSelectedStateCommands() {
        ok("a1 CHECK\r\n", .check)
        ok("a1 CLOSE\r\n", .close)
        ok("a1 UNSELECT\r\n", .unselect)
        ok("a1 EXPUNGE\r\n", .expunge)
        ok("a1 UID EXPUNGE 3:5\r\n", .uidExpunge(SequenceSet([.init(.number(3), .number(5))])))
        let set = SequenceSet([.init(.number(2), .number(2)), .init(.number(4), .number(7)), .init(.number(9), .last)])
        ok("a1 COPY 2,4:7,9:* Archive\r\n", .copy(set, mb("Archive"), uid: false))
        ok("a1 UID COPY 2,4:7,9:* Archive\r\n", .copy(set, mb("Archive"), uid: true))
        ok("a1 MOVE * Trash\r\n", .move(SequenceSet([.init(.last, .last)]), mb("Trash"), uid: false))
        ok("a1 UID MOVE 1:* Trash\r\n", .move(SequenceSet([.init(.number(1), .last)]), mb("Trash"), uid: true))
        bad("a1 COPY 0 Archive\r\n")
        bad("a1 COPY 1: Archive\r\n")
        bad("a1 COPY 1,,2 Archive\r\n")
        bad("a1 UID FROB 1\r\n")
        bad("a1 COPY 99999999999 Archive\r\n")
        incomplete("a1 UID COPY 1 ")
    }

    func testStore() {
        let one = SequenceSet([.init(.number(1), .number(1))])
        ok(
            "a1 STORE 1 FLAGS (\\Seen)\r\n",
            .store(one, StoreOperation(mode: .replace, silent: false, flags: [.seen]), uid: false))
        ok(
            "a1 STORE 1 +FLAGS.SILENT (\\Deleted $Done)\r\n",
            .store(one, StoreOperation(mode: .add, silent: true, flags: [.deleted, .keyword("$Done")]), uid: false))
        ok(
            "a1 UID STORE 1 -FLAGS \\Flagged \\Answered\r\n",
            .store(one, StoreOperation(mode: .remove, silent: false, flags: [.flagged, .answered]), uid: true))
        ok("a1 STORE 1 FLAGS ()\r\n", .store(one, StoreOperation(mode: .replace, silent: false, flags: []), uid: false))
        bad("a1 STORE 1 +FLAGS (\\Recent)\r\n")
        bad("a1 STORE 1 *FLAGS (\\Seen)\r\n")
        bad("a1 STORE 1 FLAGS.LOUD (\\Seen)\r\n")
        bad("a1 STORE 1 FLAGS (\\Seen\r\n")
        incomplete("a1 STORE 1 FLAGS (\\Seen)")
    }

    func testFetchAttributes() {
        let one = SequenceSet([.init(.number(1), .number(1))])
        ok("a1 FETCH 1 ALL\r\n", .fetch(one, FetchAttribute.all, uid: false))
        ok("a1 FETCH 1 fast\r\n", .fetch(one, FetchAttribute.fast, uid: false))
        ok("a1 FETCH 1 FULL\r\n", .fetch(one, FetchAttribute.full, uid: false))
        ok(
            "a1 UID FETCH 1 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY)\r\n",
            .fetch(one, [.uid, .flags, .internalDate, .rfc822Size, .envelope, .bodyStructure, .bodyBasic], uid: true))
        ok(
            "a1 FETCH 1 (RFC822 RFC822.HEADER RFC822.TEXT)\r\n",
            .fetch(one, [.rfc822, .rfc822Header, .rfc822Text], uid: false))
        ok("a1 FETCH 1 BODY[]\r\n", .fetch(one, [.body(IMAPSection(), peek: false, partial: nil)], uid: false))
        ok(
            "a1 FETCH 1 BODY.PEEK[]<0.1024>\r\n",
            .fetch(one, [.body(IMAPSection(), peek: true, partial: IMAPPartial(origin: 0, count: 1024))], uid: false))
        ok(
            "a1 FETCH 1 (BODY.PEEK[HEADER.FIELDS (From To \"Subject\" Date)])\r\n",
            .fetch(
                one,
                [.body(IMAPSection(text: .headerFields(["From", "To", "Subject", "Date"])), peek: true, partial: nil)],
                uid: false))
        ok(
            "a1 FETCH 1 BODY[HEADER.FIELDS.NOT (Received)]\r\n",
            .fetch(
                one, [.body(IMAPSection(text: .headerFieldsNot(["Received"])), peek: false, partial: nil)], uid: false))
        ok(
            "a1 FETCH 1 (BODY[1.2.MIME] BODY[2.HEADER] BODY[3] BODY[TEXT] BODY[HEADER] BODY[1.TEXT]<10.5>)\r\n",
            .fetch(
                one,
                [
                    .body(IMAPSection(part: [1, 2], text: .mime), peek: false, partial: nil),
                    .body(IMAPSection(part: [2], text: .header), peek: false, partial: nil),
                    .body(IMAPSection(part: [3]), peek: false, partial: nil),
                    .body(IMAPSection(text: .text), peek: false, partial: nil),
                    .body(IMAPSection(text: .header), peek: false, partial: nil),
                    .body(IMAPSection(part: [1], text: .text), peek: false, partial: IMAPPartial(origin: 10, count: 5)),
                ], uid: false))
        bad("a1 FETCH 1 BODY[MIME]\r\n")
        bad("a1 FETCH 1 BODY[0]\r\n")
        bad("a1 FETCH 1 BODY.PEEK\r\n")
        bad("a1 FETCH 1 BODY[]<1.0>\r\n")
        bad("a1 FETCH 1 (FLAGS\r\n")
        bad("a1 FETCH 1 FOO\r\n")
        bad("a1 FETCH 1 ()\r\n")
        incomplete("a1 FETCH 1 (FLAGS")
    }

    func testSearchKeys() {
        func s(_ keys: String, _ key: SearchKey, uid: Bool = false, file: StaticString = #filePath, line: UInt = #line)
        {
            ok("a1 \(uid ? "UID " : "")SEARCH \(keys)\r\n", .search(key, uid: uid), file: file, line: line)
        }
        let d = IMAPDate(year: 2026, month: 2, day: 1)
        s("ALL", .all)
        s(
            "ANSWERED DELETED DRAFT FLAGGED NEW OLD RECENT SEEN",
            .and([.answered, .deleted, .draft, .flagged, .new, .old, .recent, .seen]))
        s(
            "UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN",
            .and([.unanswered, .undeleted, .undraft, .unflagged, .unseen]))
        s("KEYWORD $Work UNKEYWORD $Junk", .and([.keyword("$Work"), .unkeyword("$Junk")]))
        s(
            "FROM an TO \"b c\" CC x BCC y SUBJECT z",
            .and([.from("an"), .to("b c"), .cc("x"), .bcc("y"), .subject("z")]))
        s(
            "BODY hello TEXT world HEADER X-Priority 1",
            .and([.body("hello"), .text("world"), .header("X-Priority", "1")]))
        s("BEFORE 1-Feb-2026 ON \"1-Feb-2026\" SINCE 01-feb-2026", .and([.before(d), .on(d), .since(d)]))
        s(
            "SENTBEFORE 1-Feb-2026 SENTON 1-Feb-2026 SENTSINCE 1-Feb-2026",
            .and([.sentBefore(d), .sentOn(d), .sentSince(d)]))
        s("LARGER 100 SMALLER 2000", .and([.larger(100), .smaller(2000)]))
        s(
            "UID 1:* 2,4",
            .and([
                .uid(SequenceSet([.init(.number(1), .last)])),
                .sequence(SequenceSet([.init(.number(2), .number(2)), .init(.number(4), .number(4))])),
            ]))
        s("NOT SEEN", .not(.seen))
        s("OR SEEN (FLAGGED DELETED)", .or(.seen, .and([.flagged, .deleted])))
        s("CHARSET UTF-8 SUBJECT {5+}\r\nCông", .subject("Công"), uid: true)
        s("charset utf-8 BODY \"văn\"", .body("văn"))
        bad("a1 SEARCH CHARSET KOI8-R BODY x\r\n", .badCharset)
        bad("a1 SEARCH\r\n")
        bad("a1 SEARCH FROM\r\n")
        bad("a1 SEARCH BEFORE 1-Foo-2026\r\n")
        bad("a1 SEARCH BEFORE 32-Jan-2026\r\n")
        bad("a1 SEARCH OR SEEN\r\n")
        bad("a1 SEARCH (SEEN\r\n")
        bad("a1 SEARCH ((((SEEN))))\r\n", .limit)
        bad("a1 SEARCH NOT NOT NOT NOT SEEN\r\n", .limit)
        incomplete("a1 SEARCH SUBJECT {3}\r\nab")
    }
}
