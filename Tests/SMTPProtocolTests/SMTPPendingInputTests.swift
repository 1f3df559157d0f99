import GovMailTestSupport
import MailCore
import SMTPProtocol
import XCTest

/// `SMTPServerSession.pendingInput`: what the connection needs to cut a client that trickles a
/// command line, an AUTH response, a DATA transfer or a BDAT chunk (issue 18 item 2).
final class SMTPPendingInputTests: XCTestCase {
    private let alice = try! EmailAddress("alice@gov.vn")
    private let bob = try! EmailAddress("bob@gov.vn")

    private func session(_ clock: ManualClock, tls: String? = "TLSv1.3") -> SMTPServerSession {
        var s = SMTPServerSession(
            configuration: SMTPServerConfiguration(hostname: "mx.gov.vn", mode: .submission, clock: clock))
        _ = s.receive(.connected(SMTPPeer(address: "192.0.2.7", tlsVersion: tls, sessionID: "S1")))
        return s
    }

    private func send(_ s: inout SMTPServerSession, _ text: String) -> [SMTPServerAction] {
        s.receive(.received(Array(text.utf8)))
    }

    /// Logged in as alice with bob accepted as a recipient.
    private func readyForMessage(_ clock: ManualClock) -> SMTPServerSession {
        var s = session(clock)
        _ = send(&s, "EHLO pc\r\nAUTH PLAIN AGFsaWNlQGdvdi52bgBzM2NyZXQ=\r\n")
        _ = s.receive(.authenticationResult(.succeeded(account: alice)))
        _ = send(&s, "MAIL FROM:<alice@gov.vn>\r\n")
        _ = s.receive(.senderCheckResult(.allowed(identities: [alice])))
        _ = send(&s, "RCPT TO:<bob@gov.vn>\r\n")
        _ = s.receive(.recipientCheckResult(.local(mailbox: bob)))
        return s
    }

    func testACommandLineIsBoundFromItsFirstByteHoweverSlowlyItTrickles() {
        let clock = ManualClock()
        var s = session(clock)
        XCTAssertNil(s.pendingInput, "nothing pending after the greeting")
        let t0 = clock.now()
        _ = send(&s, "E")
        for byte in "HLO p" {
            clock.advance(1)
            _ = send(&s, String(byte))
        }
        XCTAssertEqual(s.pendingInput, .init(kind: .command, since: t0), "trickled bytes never move the start")
        _ = send(&s, "c\r\n")
        XCTAssertNil(s.pendingInput, "a complete line ends it")
    }

    func testAPipelinedLineRestartsTheClockWhenThePreviousOneCompletes() {
        let clock = ManualClock()
        var s = session(clock)
        _ = send(&s, "NO")
        clock.advance(5)
        _ = send(&s, "OP\r\nNO")
        XCTAssertEqual(s.pendingInput, .init(kind: .command, since: clock.now()))
    }

    func testTheClockStopsWhileTheServerWorksAndRestartsWhenItAnswers() {
        let clock = ManualClock()
        var s = session(clock)
        _ = send(&s, "EHLO pc\r\nAUTH PLAIN AGFsaWNlQGdvdi52bgBzM2NyZXQ=\r\nNO")
        XCTAssertNil(s.pendingInput, "the password check is our wait, not the client's")
        clock.advance(30)
        _ = s.receive(.authenticationResult(.succeeded(account: alice)))
        XCTAssertEqual(s.pendingInput, .init(kind: .command, since: clock.now()), "the pipelined NO starts now")
    }

    func testAnAUTHResponseLineAndADiscardedLongLineAreBoundToo() {
        let clock = ManualClock()
        var s = session(clock)
        _ = send(&s, "EHLO pc\r\nAUTH LOGIN\r\n")
        XCTAssertNil(s.pendingInput)
        _ = send(&s, "YWxp")
        XCTAssertEqual(s.pendingInput?.kind, .command)

        var t = session(clock)
        let start = clock.now()
        _ = send(&t, String(repeating: "x", count: 9000))
        clock.advance(10)
        _ = send(&t, "xxxx")
        XCTAssertEqual(t.pendingInput, .init(kind: .command, since: start), "dropping an over-long line is no escape")
    }

    func testDATAIsOneTransferFromThe354ToTheFinalDot() {
        let clock = ManualClock()
        var s = readyForMessage(clock)
        clock.advance(1)
        let start = clock.now()
        XCTAssertEqual(send(&s, "DATA\r\n"), [.send(.startMailInput)])
        XCTAssertEqual(s.pendingInput, .init(kind: .transfer, since: start))
        clock.advance(100)
        _ = send(&s, "From: alice@gov.vn\r\n\r\nbody\r\n")
        XCTAssertEqual(
            s.pendingInput, .init(kind: .transfer, since: start, bytes: 28),
            "message lines do not restart it; they count as progress")
        let end = send(&s, ".\r\n")
        guard case .deliver? = end.first else { return XCTFail("\(end)") }
        XCTAssertNil(s.pendingInput, "the delivery is our wait")
    }

    func testEachBDATChunkIsItsOwnTransfer() {
        let clock = ManualClock()
        var s = readyForMessage(clock)
        let first = clock.now()
        _ = send(&s, "BDAT 22\r\nFrom: ali")
        XCTAssertEqual(s.pendingInput, .init(kind: .transfer, since: first, bytes: 9))
        clock.advance(7)
        _ = send(&s, "ce@gov")
        XCTAssertEqual(s.pendingInput, .init(kind: .transfer, since: first, bytes: 15))
        XCTAssertEqual(send(&s, ".vn\r\n\r\n"), [.send(.bdatOK(22))])
        XCTAssertNil(s.pendingInput)
        clock.advance(3)
        _ = send(&s, "BDAT 6 LAST\r\nb")
        XCTAssertEqual(
            s.pendingInput, .init(kind: .transfer, since: clock.now(), bytes: 1), "the next chunk starts afresh")
    }

    func testAnExpiredDeadlineClosesWith421ButNeverCutsADelivery() {
        let clock = ManualClock()
        var s = session(clock)
        _ = send(&s, "EHL")
        XCTAssertEqual(s.receive(.deadlineExpired), [.send(.transferTooSlow), .close])
        XCTAssertEqual(SMTPReply.transferTooSlow.code, 421)
        XCTAssertTrue(s.isClosed)
        XCTAssertNil(s.pendingInput)

        var d = readyForMessage(clock)
        _ = send(&d, "DATA\r\nFrom: alice@gov.vn\r\n\r\nx\r\n.\r\n")
        XCTAssertEqual(d.receive(.deadlineExpired), [], "a delivery in flight finishes first")
        XCTAssertEqual(
            d.receive(.deliveryResult(.queued(id: "Q1"))), [.send(.queued("Q1")), .send(.shuttingDown), .close])
    }

    func testNotLoggingInInTimeClosesWith421() {
        var s = session(ManualClock())
        _ = send(&s, "EHLO pc\r\n")
        XCTAssertEqual(s.receive(.preAuthenticationExpired), [.send(.notAuthenticatedInTime), .close])
    }
}
