import XCTest
import MailCore
import GovMailTestSupport
@testable import IMAPProtocol

final class IMAPSessionTests: XCTestCase {
    func testCommandTableAllowsCommandsPerState() {
        XCTAssertEqual(IMAPVerb.login.allowedStates, [.notAuthenticated])
        XCTAssertEqual(IMAPVerb.capability.allowedStates, [.notAuthenticated, .authenticated, .selected])
        XCTAssertEqual(IMAPVerb.append.allowedStates, [.authenticated, .selected])
        XCTAssertEqual(IMAPVerb.uidFetch.allowedStates, [.selected])
        for verb in IMAPVerb.allCases { XCTAssertFalse(verb.allowedStates.contains(.logout), verb.rawValue) }
        XCTAssertEqual(IMAPVerb.allCases.filter(\.holdsExpunges), [.search, .fetch, .store])
    }

    func testLoginRequestCarriesSecretAndClientName() {
        let d = SessionDriver()
        d.store.users["alice"] = "secret"
        _ = d.exchange("a1 ID (\"name\" \"Thunderbird\")")
        _ = d.exchange("a2 LOGIN alice secret")
        XCTAssertEqual(d.store.authLog.first?.0, "alice")
        XCTAssertEqual(d.store.authLog.first?.1, "Thunderbird")
        XCTAssertEqual(d.session.state, .authenticated)
        guard case .authenticate(_, let password, _, _) = d.requests.first else { return XCTFail() }
        XCTAssertEqual("\(password)", "<redacted>")
        XCTAssertFalse("\(d.requests)".contains("secret"), "the password never appears in a description")
    }

    func testOneRequestAtATimeAndPipelinedInputWaits() {
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: 0)
        _ = s.start()
        let actions = s.receive(Array("a1 LOGIN alice pw\r\na2 NOOP\r\n".utf8), now: 1)
        XCTAssertEqual(
            actions,
            [
                .request(
                    .authenticate(username: "alice", password: Secret("pw"), authorizationIdentity: "", clientName: nil)
                )
            ])
        let after = s.handle(.authenticated(.success(account: "alice")), now: 2)
        XCTAssertEqual(after.count, 2)
        XCTAssertEqual(after.last, .send(.tagged("a2", .ok, nil, "NOOP completed")))
        // An event nobody asked for changes nothing.
        XCTAssertEqual(s.handle(.done, now: 3), [])
    }

    func testStartTLSDiscardsBufferedPlaintext() {
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: false, startTLSAvailable: true), now: 0)
        _ = s.start()
        let actions = s.receive(Array("a1 STARTTLS\r\na2 LOGIN injected pw\r\n".utf8), now: 1)
        XCTAssertEqual(actions, [.send(.tagged("a1", .ok, nil, "Begin TLS negotiation now")), .startTLS])
        XCTAssertEqual(s.handle(.tlsStarted, now: 2), [], "the injected LOGIN is gone")
        XCTAssertTrue(s.tlsActive)
        XCTAssertTrue(s.capabilities.contains("AUTH=PLAIN"))
        XCTAssertFalse(s.capabilities.contains("STARTTLS"))
    }

    func testCapabilitiesPerListener() {
        let tls = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: 0)
        XCTAssertEqual(
            tls.capabilities.joined(separator: " "),
            "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT SPECIAL-USE CHILDREN APPENDLIMIT=52428800 AUTH=PLAIN"
        )
        let plain = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: false), now: 0)
        XCTAssertEqual(plain.capabilities.suffix(2), ["APPENDLIMIT=52428800", "LOGINDISABLED"])
        let starttls = IMAPSession(
            configuration: IMAPSessionConfiguration(tlsActive: false, startTLSAvailable: true), now: 0)
        XCTAssertEqual(starttls.capabilities.suffix(2), ["STARTTLS", "LOGINDISABLED"])
    }

    func testAutologoutIsADecisionGivenNow() {
        var config = IMAPSessionConfiguration(tlsActive: true)
        config.limits.autologoutSeconds = 1800
        var s = IMAPSession(configuration: config, now: 100)
        XCTAssertEqual(s.autologoutDeadline, 1900)
        XCTAssertEqual(s.tick(now: 1899), [])
        _ = s.receive(Array("a1 NOOP\r\n".utf8), now: 1000)
        XCTAssertEqual(s.autologoutDeadline, 2800)
        XCTAssertEqual(s.tick(now: 2000), [])
        let bye = s.tick(now: 2800)
        XCTAssertEqual(bye.last, .close)
        XCTAssertEqual(s.state, .logout)
        XCTAssertEqual(s.receive(Array("a2 NOOP\r\n".utf8), now: 2801), [])
    }

    func testNoAutologoutWhileWaitingForTheStore() {
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: 0)
        _ = s.receive(Array("a1 LOGIN a b\r\n".utf8), now: 0)
        XCTAssertEqual(s.tick(now: 100_000), [])
    }

    func testFetchBodyMarksSeenOnlyForUnseenMessagesAndAsksStore() {
        let d = SessionDriver()
        d.store.add("Subject: a\r\n\r\nx\r\n", to: "INBOX", flags: [.seen])
        d.store.add("Subject: b\r\n\r\nx\r\n", to: "INBOX")
        d.loginAndSelect()
        _ = d.exchange("f1 FETCH 1:2 BODY[]")
        guard case .fetch(let uids, _, let markSeen) = d.requests.last else { return XCTFail("\(d.requests)") }
        XCTAssertEqual(uids, [1, 2])
        XCTAssertEqual(markSeen, [2])
        XCTAssertEqual(d.session.selectedView?.flags(of: 2), [.seen])
    }

    func testFlagOnlyFetchIsAnsweredWithoutTheStore() {
        let d = SessionDriver()
        d.store.add("Subject: a\r\n\r\nx\r\n", to: "INBOX")
        d.loginAndSelect()
        let before = d.requests.count
        XCTAssertEqual(d.exchange("f1 UID FETCH 1:* (FLAGS)"), ["* 1 FETCH (UID 1 FLAGS ())", "f1 OK FETCH completed"])
        XCTAssertEqual(d.requests.count, before)
    }

    func testSearchWithoutTextKeysDoesNotLoadMessages() {
        let d = SessionDriver()
        d.store.add("Subject: a\r\n\r\nx\r\n", to: "INBOX", flags: [.flagged])
        d.loginAndSelect()
        let before = d.requests.count
        XCTAssertEqual(d.exchange("s2 UID SEARCH FLAGGED"), ["* SEARCH 1", "s2 OK SEARCH completed"])
        XCTAssertEqual(d.requests.count, before)
        _ = d.exchange("s3 SEARCH SUBJECT a")
        XCTAssertEqual(d.requests.last, .searchData(uids: [1]))
    }

    func testChangesPushedOutsideACommandWaitForTheNextCommand() {
        let d = SessionDriver()
        d.store.add("Subject: a\r\n\r\nx\r\n", to: "INBOX")
        d.loginAndSelect()
        d.store.add("Subject: b\r\n\r\nx\r\n", to: "INBOX", isNew: true)
        d.pushChanges()
        XCTAssertEqual(d.take(), [], "nothing is sent while no command is in progress")
        XCTAssertEqual(
            d.exchange("n1 STATUS INBOX (MESSAGES)"),
            ["* STATUS INBOX (MESSAGES 2)", "* 2 EXISTS", "* 1 RECENT", "n1 OK STATUS completed"])
    }

    func testStoreFailureMapsToNoWithCode() {
        let d = SessionDriver()
        d.store.add("Subject: a\r\n\r\nx\r\n", to: "INBOX")
        d.loginAndSelect()
        var s = d.session
        _ = s.receive(Array("x1 COPY 1 Archive\r\n".utf8), now: 0)
        XCTAssertEqual(
            s.handle(.failed(.overQuota), now: 0),
            [.send(.tagged("x1", .no, .overQuota, "Mailbox is full; delete or archive old messages, then try again"))])
        _ = s.receive(Array("x2 NOOP\r\n".utf8), now: 0)
        XCTAssertEqual(
            s.handle(.fetched([]), now: 0).last,
            .send(
                .tagged(
                    "x2", .no, .serverBug, "Internal error; try again, and tell your mail administrator if it persists")
            ))
    }

    func testListPatternMatching() {
        XCTAssertTrue(IMAPSession.matches(name: "Archive.2025", pattern: "*"))
        XCTAssertFalse(IMAPSession.matches(name: "Archive.2025", pattern: "%"))
        XCTAssertTrue(IMAPSession.matches(name: "Archive.2025", pattern: "Archive.%"))
        XCTAssertTrue(IMAPSession.matches(name: "Archive.2025", pattern: "%.20*"))
        XCTAssertTrue(IMAPSession.matches(name: "INBOX", pattern: "inbox"))
        XCTAssertTrue(IMAPSession.matches(name: "INBOX.Sub", pattern: "Inbox.*"))
        XCTAssertFalse(IMAPSession.matches(name: "Inboxes", pattern: "INBOX"))
        XCTAssertTrue(IMAPSession.matches(name: "Văn bản", pattern: "V*n"))
    }
}

/// The same client bytes, however they are split into reads, give the same server output.
final class SessionChunkingTests: XCTestCase {
    func testOutputIndependentOfHowInputIsSplit() {
        let client =
            "a0 ID (\"name\" \"mutt\")\r\na1 LOGIN {5}\r\nalice \"secret\"\r\na2 SELECT INBOX\r\n"
            + "a3 APPEND INBOX (\\Seen) {17}\r\nSubject: z\r\n\r\nx\r\n\r\na4 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (Subject)])\r\n"
            + "a5 SEARCH CHARSET UTF-8 SUBJECT {5+}\r\nCông\r\na6 IDLE\r\nDONE\r\na7 UID STORE 1 +FLAGS (\\Deleted)\r\na8 EXPUNGE\r\na9 LOGOUT\r\n"
        let outputs = ChunkingVerifier.outcomes(of: Array(client.utf8)) { chunks -> String in
            let store = FakeMailStore()
            store.users["alice"] = "secret"
            store.add("Subject: Công văn\r\n\r\nx\r\n", to: "INBOX")
            let d = SessionDriver(store: store)
            for chunk in chunks { d.send(chunk) }
            return d.take().joined(separator: "\n")
        }
        XCTAssertTrue(outputs[0].contains("a9 OK LOGOUT completed"), outputs[0])
        XCTAssertTrue(outputs[0].contains("* SEARCH 1\n"), outputs[0])
        XCTAssertEqual(
            outputs[0].components(separatedBy: "+ Ready for literal data").count, 3,
            "two synchronizing literals, one + each")
        for o in outputs.dropFirst() { XCTAssertEqual(o, outputs[0]) }
    }

    func testPipelinedFloodWhileWaitingIsCut() {
        var config = IMAPSessionConfiguration(tlsActive: true)
        config.limits.appendLimit = 100
        config.limits.lineLength = 50
        var s = IMAPSession(configuration: config, now: 0)
        _ = s.receive(Array("a1 LOGIN a b\r\n".utf8), now: 0)
        XCTAssertEqual(s.receive(Array(repeating: UInt8(ascii: "x"), count: 200), now: 0), [])
        XCTAssertEqual(s.receive(Array(repeating: UInt8(ascii: "x"), count: 200), now: 0).last, .close)
    }
}

/// Two sessions on one mailbox, as a desktop client and a phone: one in IDLE sees the other's
/// changes as they happen, with consistent sequence numbers, and \Recent goes to only one of them.
final class TwoSessionTests: XCTestCase {
    func testIdleSessionSeesDeliveriesExpungesAndFlagsFromAnother() {
        let account = FakeMailStore.Account()
        account.users["alice"] = "secret"
        let desktop = SessionDriver(store: FakeMailStore(account: account))
        let phone = SessionDriver(store: FakeMailStore(account: account))
        for n in 1...3 { desktop.store.add("Subject: m\(n)\r\n\r\nx\r\n", to: "INBOX") }
        desktop.loginAndSelect()
        phone.loginAndSelect()
        XCTAssertEqual(desktop.exchange("i1 IDLE"), ["+ idling"])

        // A delivery: both are told; only the session that looked first gets \Recent.
        phone.store.add("Subject: new\r\n\r\nx\r\n", to: "INBOX", isNew: true)
        desktop.pushChanges()
        phone.pushChanges()
        XCTAssertEqual(desktop.take(), ["* 4 EXISTS", "* 1 RECENT"])
        XCTAssertEqual(phone.exchange("p1 NOOP"), ["* 4 EXISTS", "p1 OK NOOP completed"])

        // The phone deletes message 2 and expunges; the idling desktop is told at once.
        XCTAssertEqual(phone.exchange("p2 STORE 2 +FLAGS.SILENT (\\Deleted)"), ["p2 OK STORE completed"])
        desktop.pushChanges()
        XCTAssertEqual(desktop.take(), ["* 2 FETCH (FLAGS (\\Deleted))"])
        XCTAssertEqual(phone.exchange("p3 EXPUNGE"), ["* 2 EXPUNGE", "p3 OK EXPUNGE completed"])
        desktop.pushChanges()
        XCTAssertEqual(desktop.take(), ["* 2 EXPUNGE"])

        // The phone flags the last message; numbers agree in both sessions.
        XCTAssertEqual(
            phone.exchange("p4 STORE 3 +FLAGS (\\Flagged)"), ["* 3 FETCH (FLAGS (\\Flagged))", "p4 OK STORE completed"])
        desktop.pushChanges()
        XCTAssertEqual(desktop.take(), ["* 3 FETCH (FLAGS (\\Flagged \\Recent))"])
        XCTAssertEqual(desktop.exchange("DONE"), ["i1 OK IDLE terminated"])
        XCTAssertEqual(
            desktop.exchange("f1 FETCH 1:* (UID)"),
            ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "f1 OK FETCH completed"])
        XCTAssertEqual(
            phone.exchange("f1 FETCH 1:* (UID)"),
            ["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)", "f1 OK FETCH completed"])
    }

    func testExpungeByAnotherIsHeldDuringSequenceFetchInThisSession() {
        let account = FakeMailStore.Account()
        account.users["alice"] = "secret"
        let a = SessionDriver(store: FakeMailStore(account: account))
        let b = SessionDriver(store: FakeMailStore(account: account))
        for n in 1...3 { a.store.add("Subject: m\(n)\r\n\r\nx\r\n", to: "INBOX", flags: [.deleted]) }
        a.loginAndSelect()
        b.loginAndSelect()
        XCTAssertEqual(
            b.exchange("b1 EXPUNGE"), ["* 3 EXPUNGE", "* 2 EXPUNGE", "* 1 EXPUNGE", "b1 OK EXPUNGE completed"])
        a.pushChanges()
        XCTAssertEqual(a.exchange("a1 FETCH 3 FLAGS"), ["* 3 FETCH (FLAGS (\\Deleted))", "a1 OK FETCH completed"])
        XCTAssertEqual(a.exchange("a2 STORE 1 +FLAGS (\\Seen)"), ["a2 OK STORE completed"])
        XCTAssertEqual(a.exchange("a3 SEARCH ALL"), ["* SEARCH 1 2 3", "a3 OK SEARCH completed"])
        XCTAssertEqual(
            a.exchange("a4 UID SEARCH ALL"),
            ["* 3 EXPUNGE", "* 2 EXPUNGE", "* 1 EXPUNGE", "* SEARCH", "a4 OK SEARCH completed"])
        XCTAssertEqual(a.session.selectedView?.count, 0)
    }
}

/// Every command gets exactly one tagged response, whatever garbage it contains.
final class SessionInvariantTests: XCTestCase {
    /// A small deterministic generator (no randomness between runs).
    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    func testEachCommandGetsExactlyOneTaggedResponse() {
        let verbs = [
            "NOOP", "CAPABILITY", "SELECT", "EXAMINE", "FETCH", "UID FETCH", "STORE", "UID STORE", "SEARCH",
            "UID SEARCH", "COPY", "MOVE", "UID MOVE", "EXPUNGE", "UID EXPUNGE", "STATUS", "LIST", "LSUB", "CREATE",
            "DELETE", "RENAME", "CHECK", "UNSELECT", "CLOSE", "NAMESPACE", "ENABLE", "ID", "APPEND", "LOGIN", "FROB",
        ]
        let tokens = [
            "1", "1:*", "*", "2,4:7", "0", "INBOX", "Archive", "\"Văn bản\"", "(FLAGS)", "FLAGS", "+FLAGS", "(\\Seen)",
            "\\Deleted", "BODY[]", "BODY.PEEK[HEADER.FIELDS (Subject)]", "ALL", "OR", "NOT", "(", ")", "\"", "\"x\"",
            "UID", "SUBJECT", "Công", "<0.5>", "[", "]", "NIL", "%", "CHARSET", "UTF-8", "ISO-8859-1", "RFC822",
            "(MESSAGES UNSEEN)", "\\", "~", "{x}",
        ]
        var g = Generator(state: 42)
        for round in 0..<20 {
            let store = FakeMailStore()
            for n in 1...4 {
                store.add("Subject: m\(n)\r\n\r\nx\r\n", to: "INBOX", flags: n % 2 == 0 ? [.deleted] : [])
            }
            store.add("Subject: a\r\n\r\nx\r\n", to: "Archive")
            let d = SessionDriver(store: store)
            d.loginAndSelect()
            var tags: [String] = []
            var input = ""
            for i in 0..<60 {
                let tag = "r\(round)x\(i)"
                tags.append(tag)
                var line = tag + " " + verbs[g.next(verbs.count)]
                for _ in 0..<g.next(5) { line += " " + tokens[g.next(tokens.count)] }
                input += line + "\r\n"
            }
            d.send(Array(input.utf8))
            let lines = d.take()
            XCTAssertFalse(d.closed)
            for tag in tags {
                let tagged = lines.filter {
                    $0.hasPrefix(tag + " OK") || $0.hasPrefix(tag + " NO") || $0.hasPrefix(tag + " BAD")
                }
                XCTAssertEqual(tagged.count, 1, "\(tag): \(lines.filter { $0.hasPrefix(tag + " ") })")
            }
            // The client's count, replayed from EXISTS/EXPUNGE, matches the session's view.
            var count = 4
            for l in lines where l.hasPrefix("* ") {
                if l.hasSuffix(" EXPUNGE"), let n = Int(l.dropFirst(2).dropLast(8)) {
                    XCTAssertLessThanOrEqual(n, count, l)
                    count -= 1
                } else if l.hasSuffix(" EXISTS"), let n = Int(l.dropFirst(2).dropLast(7)) {
                    count = n
                }
            }
            if d.session.selectedMailbox?.isInbox == true { XCTAssertEqual(d.session.selectedView?.count, count) }
        }
    }

    func testIDAfterLoginIsReportedToTheOwner() {
        let d = SessionDriver()
        d.loginAndSelect()
        _ = d.exchange("i1 ID (\"name\" \"Outlook\")")
        XCTAssertEqual(d.idleNotices, [.clientIdentified("Outlook")])
        XCTAssertEqual(d.session.clientName, "Outlook")
    }
}

final class LogDescriptionTests: XCTestCase {
    func testNoSecretsOrBodiesInLogDescriptions() throws {
        let login = try IMAPCommandParser().parse(Array("a1 LOGIN alice hunter2\r\n".utf8))
        XCTAssertEqual(login.logDescription, "a1 LOGIN")
        let append = IMAPRequest.append(.inbox, flags: [], internalDate: nil, message: Array("Secret body".utf8))
        XCTAssertEqual(append.logDescription, "append INBOX 11 bytes")
        let auth = IMAPRequest.authenticate(
            username: "alice", password: Secret("hunter2"), authorizationIdentity: "", clientName: nil)
        XCTAssertFalse(auth.logDescription.contains("hunter2"))
        let fetch = IMAPResponse.fetch(3, [.rfc822(Array("Secret body".utf8)), .flags([.seen])])
        XCTAssertEqual(fetch.logDescription, "* 3 FETCH (2 items)")
        XCTAssertEqual(IMAPResponse.exists(4).logDescription, "* 4 EXISTS")
    }
}
