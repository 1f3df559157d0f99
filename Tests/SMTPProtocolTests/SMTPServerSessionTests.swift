import GovMailTestSupport
import MailCore
import SMTPProtocol
import XCTest

final class SMTPServerSessionTests: XCTestCase {
    private let alice = try! EmailAddress("alice@gov.vn")
    private let bob = try! EmailAddress("bob@gov.vn")
    private let carol = try! EmailAddress("carol@gov.vn")

    private func session(
        _ mode: SMTPSessionMode = .submission, limits: SMTPLimits = SMTPLimits(),
        hide: Bool = false, tls: String? = "TLSv1.3"
    ) -> SMTPServerSession {
        var s = SMTPServerSession(
            configuration: SMTPServerConfiguration(
                hostname: "mx.gov.vn", mode: mode, limits: limits, hideClientAddress: hide, clock: ManualClock(0)))
        _ = s.receive(.connected(SMTPPeer(address: "192.0.2.7", tlsVersion: tls, sessionID: "S9")))
        return s
    }

    private func send(_ s: inout SMTPServerSession, _ text: String) -> [SMTPServerAction] {
        s.receive(.received(Array(text.utf8)))
    }

    /// A submission session, authenticated as alice.
    private func loggedIn(limits: SMTPLimits = SMTPLimits(), hide: Bool = false) -> SMTPServerSession {
        var s = session(limits: limits, hide: hide)
        _ = send(&s, "EHLO pc\r\nAUTH PLAIN AGFsaWNlQGdvdi52bgBzM2NyZXQ=\r\n")
        _ = s.receive(.authenticationResult(.succeeded(account: alice)))
        return s
    }

    private func replies(_ actions: [SMTPServerAction]) -> [Int] {
        actions.compactMap { if case .send(let r) = $0 { return r.code } else { return nil } }
    }

    func testGreetingAndAuthenticateAction() {
        var s = SMTPServerSession(
            configuration: SMTPServerConfiguration(
                hostname: "mx.gov.vn", mode: .submission,
                clock: ManualClock()))
        XCTAssertEqual(
            s.receive(.connected(SMTPPeer(address: "192.0.2.7", tlsVersion: "TLSv1.3", sessionID: "S"))),
            [.send(.greeting("mx.gov.vn"))])
        _ = send(&s, "EHLO pc\r\n")
        XCTAssertEqual(
            send(&s, "AUTH PLAIN AGFsaWNlQGdvdi52bgBzM2NyZXQ=\r\n"),
            [
                .authenticate(
                    AuthenticationRequest(
                        mechanism: .plain, authorizationIdentity: "",
                        username: "alice@gov.vn", password: Secret("s3cret")))
            ])
        XCTAssertTrue(s.isAwaitingOutsideWork)
        XCTAssertEqual(s.receive(.authenticationResult(.succeeded(account: alice))), [.send(.authSucceeded)])
        XCTAssertEqual(s.authenticatedAccount, alice)
    }

    func testPipelinedCommandsWaitForEachPendingResultAndAreAnsweredInOrder() {
        var s = loggedIn()
        let all = send(
            &s, "MAIL FROM:<alice@gov.vn>\r\nRCPT TO:<bob@gov.vn>\r\nRCPT TO:<carol@gov.vn>\r\nDATA\r\nNOOP\r\n")
        XCTAssertEqual(
            all, [.checkSender(address: alice, account: alice)], "nothing past MAIL may run while its check is pending")
        XCTAssertEqual(send(&s, "NOOP\r\n"), [], "more input while pending only waits")
        XCTAssertEqual(
            s.receive(.senderCheckResult(.allowed(identities: [alice]))),
            [.send(.senderOK), .checkRecipient(RecipientCheck(address: bob, mode: .submission, declaredSize: nil))])
        XCTAssertEqual(
            s.receive(.recipientCheckResult(.local(mailbox: bob))),
            [
                .send(.recipientOK),
                .checkRecipient(RecipientCheck(address: carol, mode: .submission, declaredSize: nil)),
            ])
        // DATA runs only now; the NOOPs after it are message text.
        XCTAssertEqual(s.receive(.recipientCheckResult(.unknownLocal)), [.send(.unknownUser), .send(.startMailInput)])
        let end = send(&s, "From: alice@gov.vn\r\n\r\nx\r\n.\r\nQUIT\r\n")
        guard case .deliver(let delivery)? = end.first, end.count == 1 else { return XCTFail("\(end)") }
        XCTAssertEqual(delivery.recipients, [EnvelopeRecipient(address: bob, route: .local(mailbox: bob))])
        XCTAssertTrue(
            String(decoding: delivery.message, as: UTF8.self).hasSuffix(
                ">\r\nNOOP\r\nNOOP\r\nFrom: alice@gov.vn\r\n\r\nx\r\n"))
        XCTAssertEqual(s.receive(.deliveryResult(.queued(id: "Q7"))), [.send(.queued("Q7")), .send(.bye), .close])
    }

    func testResultsThatNobodyAskedForAreIgnored() {
        var s = loggedIn()
        XCTAssertEqual(s.receive(.deliveryResult(.queued(id: "X"))), [])
        XCTAssertEqual(s.receive(.recipientCheckResult(.local(mailbox: bob))), [])
        XCTAssertEqual(s.receive(.tlsStarted(version: "TLSv1.3")), [])
        XCTAssertEqual(send(&s, "NOOP\r\n"), [.send(.ok)])
    }

    func testTooMuchInputWhilePendingCloses() {
        var s = loggedIn(limits: SMTPLimits(maxBufferedInput: 100))
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        XCTAssertEqual(send(&s, String(repeating: "NOOP\r\n", count: 10)), [])
        XCTAssertEqual(send(&s, String(repeating: "NOOP\r\n", count: 10)), [.send(.inputFlood), .close])
        XCTAssertEqual(s.receive(.senderCheckResult(.refused)), [])
    }

    func testDeliveryCarriesEnvelopeAccountAndFixedMessage() {
        var s = loggedIn(hide: true)
        _ = send(&s, "MAIL FROM:<alice@gov.vn> SMTPUTF8\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        _ = send(&s, "RCPT TO:<partner@example.com>\r\n")
        _ = s.receive(.recipientCheckResult(.remoteAcceptedForRelay))
        _ = send(&s, "DATA\r\n")
        let actions = send(&s, "From: alice@gov.vn\r\nDate: Mon, 1 Jan 2026 00:00:00 +0000\r\n\r\nhi\r\n.\r\n")
        guard case .deliver(let d)? = actions.first else { return XCTFail("\(actions)") }
        XCTAssertEqual(d.sender, alice)
        XCTAssertEqual(d.account, alice)
        XCTAssertTrue(d.smtpUTF8)
        XCTAssertEqual(d.transactionID, "S9.1")
        XCTAssertEqual(d.recipients.map(\.route), [.relay])
        let text = String(decoding: d.message, as: UTF8.self)
        XCTAssertTrue(
            text.hasPrefix("Received: from pc\r\n\tby mx.gov.vn (GovMail) with ESMTPSA (TLSv1.3)\r\n\tid S9.1;"), text)
        XCTAssertFalse(text.contains("192.0.2.7"), "privacy: the client address must not appear")
        XCTAssertTrue(text.contains("Message-ID: <0.S9.1@mx.gov.vn>\r\n"), text)
        XCTAssertEqual(text.components(separatedBy: "Date:").count, 2, "an existing Date is kept, not doubled")
    }

    func testShutdownWaitsForAPendingDelivery() {
        var s = loggedIn()
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        _ = send(&s, "RCPT TO:<bob@gov.vn>\r\n")
        _ = s.receive(.recipientCheckResult(.local(mailbox: bob)))
        _ = send(&s, "DATA\r\nFrom: alice@gov.vn\r\n\r\n.\r\n")
        XCTAssertEqual(s.receive(.shutdown), [])
        XCTAssertEqual(
            s.receive(.deliveryResult(.queued(id: "Q1"))), [.send(.queued("Q1")), .send(.shuttingDown), .close])
        XCTAssertTrue(s.isClosed)
    }

    func testTimeoutDuringADeliveryWaitsForItsResult() {
        var s = loggedIn()
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        _ = send(&s, "RCPT TO:<bob@gov.vn>\r\n")
        _ = s.receive(.recipientCheckResult(.local(mailbox: bob)))
        _ = send(&s, "DATA\r\nFrom: alice@gov.vn\r\n\r\n.\r\n")
        XCTAssertEqual(s.receive(.timeout), [], "a delivery in progress is never cut short")
        XCTAssertEqual(
            s.receive(.deliveryResult(.transientFailure)), [.send(.localError), .send(.shuttingDown), .close])
    }

    func testBDATOverTheLimitIsReadAndRefusedWith552() {
        var s = loggedIn(limits: SMTPLimits(maxMessageSize: 10))
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        _ = send(&s, "RCPT TO:<bob@gov.vn>\r\n")
        _ = s.receive(.recipientCheckResult(.local(mailbox: bob)))
        XCTAssertEqual(send(&s, "BDAT 8\r\n12345678"), [.send(.bdatOK(8))])
        XCTAssertEqual(send(&s, "BDAT 8 LAST\r\n1234"), [])
        XCTAssertEqual(send(&s, "5678NOOP\r\n"), [.send(.messageTooLarge), .send(.ok)])
    }

    func testSTARTTLSWhenUnavailableOrAlreadyOn() {
        var s = SMTPServerSession(
            configuration: SMTPServerConfiguration(
                hostname: "h", mode: .inbound, tlsAvailable: false,
                clock: ManualClock()))
        _ = s.receive(.connected(SMTPPeer(address: "a", sessionID: "s")))
        let ehlo = send(&s, "EHLO x\r\n")
        guard case .send(let reply)? = ehlo.first else { return XCTFail() }
        XCTAssertFalse(reply.lines.contains("STARTTLS"))
        XCTAssertFalse(reply.lines.contains("AUTH PLAIN LOGIN"))
        XCTAssertEqual(send(&s, "STARTTLS\r\n"), [.send(.tlsNotAvailable)])
        var t = session()
        XCTAssertEqual(send(&t, "STARTTLS\r\n"), [.send(.alreadyTLS)])
    }

    func testLongLineIsRefusedAndTheSessionResynchronises() {
        var s = session(limits: SMTPLimits(lineLength: 32))
        XCTAssertEqual(send(&s, "NOOP " + String(repeating: "x", count: 40)), [.send(.lineTooLong)])
        XCTAssertEqual(send(&s, String(repeating: "y", count: 100)), [])
        XCTAssertEqual(send(&s, "zz\r\nNOOP\r\n"), [.send(.ok)])
    }

    func testBareLineFeedCommandIsRefused() {
        var s = session()
        XCTAssertEqual(send(&s, "NOOP\nNOOP\r\n"), [.send(.bareLineFeed), .send(.ok)])
    }

    func testDataWithoutRecipientsAndBDATAfterDATAAreRefused() {
        var s = loggedIn()
        XCTAssertEqual(send(&s, "DATA\r\n"), [.send(.needMail)])
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        XCTAssertEqual(send(&s, "DATA\r\n"), [.send(.noValidRecipients)])
        XCTAssertEqual(send(&s, "MAIL FROM:<alice@gov.vn>\r\n"), [.send(.nestedMail)])
    }

    func testRecipientTemporaryFailureAndSizeCarriedToTheCheck() {
        var s = loggedIn()
        _ = send(&s, "MAIL FROM:<alice@gov.vn> SIZE=1234\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        XCTAssertEqual(
            send(&s, "RCPT TO:<bob@gov.vn>\r\n"),
            [.checkRecipient(RecipientCheck(address: bob, mode: .submission, declaredSize: 1234))])
        XCTAssertEqual(s.receive(.recipientCheckResult(.temporaryFailure)), [.send(.localError)])
    }

    func testSenderCheckTemporaryFailureIs451AndMAILMayBeSentAgain() {
        var s = loggedIn()
        XCTAssertEqual(
            send(&s, "MAIL FROM:<alice@gov.vn>\r\nRCPT TO:<bob@gov.vn>\r\n"),
            [.checkSender(address: alice, account: alice)])
        XCTAssertEqual(
            s.receive(.senderCheckResult(.temporaryFailure)), [.send(.localError), .send(.needMail)],
            "no transaction was opened, so the pipelined RCPT needs MAIL first")
        XCTAssertEqual(SMTPReply.localError.code, 451)
        XCTAssertEqual(SMTPReply.localError.enhancedCode, "4.3.0")
        XCTAssertTrue(SMTPReply.localError.lines.joined().contains("try again"))
        XCTAssertEqual(send(&s, "MAIL FROM:<alice@gov.vn>\r\n"), [.checkSender(address: alice, account: alice)])
        XCTAssertEqual(s.receive(.senderCheckResult(.allowed(identities: [alice]))), [.send(.senderOK)])
    }

    func testDeliveryRefusalIsPassedThrough() {
        var s = session(.inbound, tls: nil)
        _ = send(&s, "HELO mta\r\nMAIL FROM:<>\r\nRCPT TO:<bob@gov.vn>\r\n")
        _ = s.receive(.recipientCheckResult(.local(mailbox: bob)))
        let actions = send(&s, "DATA\r\nSubject: x\r\n\r\n.\r\n")
        XCTAssertEqual(replies(actions), [354])
        guard case .deliver(let d)? = actions.last else { return XCTFail("\(actions)") }
        XCTAssertNil(d.sender)
        XCTAssertNil(d.account)
        XCTAssertFalse(HeaderSection(d.message).has("Message-ID"), "inbound mail is not changed beyond Received")
        XCTAssertEqual(s.receive(.deliveryResult(.refused(.overQuota))), [.send(.overQuota)])
    }

    func testEveryFailureReplyCarriesAnEnhancedCodeAndAdvice() {
        let failures: [SMTPReply] = [
            .tooManyErrors, .idleTimeout, .inputFlood, .shuttingDown, .localError, .overQuota, .tooManyRecipients,
            .authBlocked, .tlsNotAvailable, .unknownCommand, .lineTooLong, .bareLineFeed, .syntax("x"),
            .badAddress("x"),
            .authCancelled, .authNotBase64, .authNotOnThisPort, .sendHelloFirst, .alreadyAuthenticated,
            .authDuringTransaction, .nestedMail, .needMail, .alreadyTLS, .bdatAfterData,
            .mechanismNotSupported, .authRequired, .startTLSFirst, .authFailed, .unknownUser, .relayDenied,
            .bareLineEndingInData, .noFromHeader, .messageTooLarge, .tooLargeForAccount, .senderNotAllowed,
            .headerFromNotAllowed, .nullSenderNotAllowed, .needSMTPUTF8, .noValidRecipients, .unsupportedParameter("X"),
        ]
        for reply in failures {
            XCTAssertGreaterThanOrEqual(reply.code, 400)
            let enhanced = try? XCTUnwrap(reply.enhancedCode, "\(reply)")
            XCTAssertEqual(enhanced?.first, reply.code >= 500 ? "5" : "4", "\(reply)")
        }
        XCTAssertEqual(SMTPReply.startTLSFirst.wireLines, ["530 5.7.0 Must issue a STARTTLS command first"])
        XCTAssertEqual(SMTPReply.messageTooLarge.code, 552)
        XCTAssertEqual(SMTPReply.messageTooLarge.enhancedCode, "5.3.4")
    }

    func testSessionFedOneByteAtATimeActsLikeWholeInput() {
        let input = Array("EHLO pc\r\nNOOP\r\nFOO\r\nRSET\r\nVRFY x\r\nHELP\r\nMAIL FROM:<a@b.c>\r\nQUIT\r\n".utf8)
        let outcomes = ChunkingVerifier.outcomes(of: input) { chunks -> [SMTPServerAction] in
            var s = session()
            return chunks.flatMap { s.receive(.received($0)) }
        }
        XCTAssertEqual(outcomes[0].last, .close)
        for outcome in outcomes { XCTAssertEqual(outcome, outcomes[0]) }
    }
}

final class SMTPRedactionTests: XCTestCase {
    func testLogDescriptionsCarryNoSecretsOrMessageText() throws {
        let auth = SMTPCommand.auth(mechanism: .plain, initialResponse: "AGFsaWNlQGdvdi52bgBzM2NyZXQ=")
        XCTAssertEqual("\(auth)", "AUTH PLAIN <redacted>")
        let delivery = Delivery(
            sender: nil, recipients: [], account: nil, message: Array("TOP SECRET".utf8),
            smtpUTF8: false, transactionID: "S1.1")
        XCTAssertFalse("\(SMTPServerAction.deliver(delivery))".contains("SECRET"))
        XCTAssertFalse("\(SMTPServerEvent.received(Array("AUTH PLAIN AGFsaWNl".utf8)))".contains("AGFsaWNl"))
        let request = AuthenticationRequest(
            mechanism: .login, authorizationIdentity: "", username: "u", password: Secret("pw123"))
        XCTAssertFalse("\(SMTPServerAction.authenticate(request))".contains("pw123"))
        let envelope = RelayEnvelope(sender: nil, recipients: [], message: Array("TOP SECRET".utf8))
        XCTAssertFalse("\(envelope)".contains("SECRET"))
    }
}
