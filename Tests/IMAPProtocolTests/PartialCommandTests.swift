import XCTest
import MailCore
import GovMailTestSupport
@testable import IMAPProtocol

/// `IMAPSession.partialCommand`: what the connection needs to bound a client that trickles a command.
final class PartialCommandTests: XCTestCase {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testALineTrickledInKeepsTheTimeOfItsFirstByte() {
        let clock = ManualClock()
        let t0 = clock.now()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: t0)
        _ = s.start()
        XCTAssertNil(s.partialCommand, "nothing is pending between commands")
        _ = s.receive(bytes("a1 NO"), now: clock.now())
        XCTAssertEqual(s.partialCommand, IMAPSession.PartialCommand(since: t0, lastInput: t0, hasLiteral: false))
        clock.advance(50)
        _ = s.receive(bytes("OP"), now: clock.now())
        XCTAssertEqual(s.partialCommand, IMAPSession.PartialCommand(since: t0, lastInput: t0 + 50, hasLiteral: false))
        clock.advance(1)
        let done = s.receive(bytes("\r\n"), now: clock.now())
        XCTAssertEqual(done, [.send(.tagged("a1", .ok, nil, "NOOP completed"))])
        XCTAssertNil(s.partialCommand, "a complete command leaves nothing partial")
    }

    func testTheNextCommandStartsItsOwnClock() {
        let clock = ManualClock()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: clock.now())
        _ = s.receive(bytes("a1 NO"), now: clock.now())
        clock.advance(30)
        _ = s.receive(bytes("OP\r\na2 CAPA"), now: clock.now())
        XCTAssertEqual(s.partialCommand?.since, clock.now(), "the bytes after a1 began a2 now")
    }

    func testALiteralIsReportedSoItsUploadMayTakeLongWhileItProgresses() {
        let clock = ManualClock()
        let t0 = clock.now()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: t0)
        _ = s.receive(bytes("a1 LOGIN alice secret\r\n"), now: t0)
        _ = s.handle(.authenticated(.success(account: "alice")), now: t0)
        let ready = s.receive(bytes("a2 APPEND INBOX {10}\r\n"), now: t0)
        XCTAssertEqual(ready, [.send(.continuation("Ready for literal data"))])
        XCTAssertEqual(s.partialCommand, IMAPSession.PartialCommand(since: t0, lastInput: t0, hasLiteral: true))
        clock.advance(400)
        _ = s.receive(bytes("Subj"), now: clock.now())
        XCTAssertEqual(s.partialCommand, IMAPSession.PartialCommand(since: t0, lastInput: t0 + 400, hasLiteral: true))
        let request = s.receive(bytes("ect:\r\n\r\n\r\n"), now: clock.now())
        guard case .request(.append) = request.first else { return XCTFail("APPEND expected, got \(request)") }
        XCTAssertNil(s.partialCommand)
    }

    func testNothingIsPartialWhileARequestRunsUntilItIsAnswered() {
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: 0)
        _ = s.receive(bytes("a1 LOGIN alice secret\r\na2 NO"), now: 1)
        XCTAssertNil(s.partialCommand, "the client waits for a1; its pipelined bytes are not trickling")
        _ = s.handle(.authenticated(.success(account: "alice")), now: 9)
        XCTAssertEqual(s.partialCommand, IMAPSession.PartialCommand(since: 9, lastInput: 1, hasLiteral: false))
    }

    func testIdleIsNotACommandInProgress() {
        let d = SessionDriver()
        d.loginAndSelect()
        _ = d.exchange("a3 IDLE")
        XCTAssertTrue(d.session.isIdling)
        d.send(bytes("DON"))
        XCTAssertNil(d.session.partialCommand, "IDLE is bounded by autologout, not by the command timeout")
        d.send(bytes("E\r\na4 NO"))
        XCTAssertFalse(d.session.isIdling)
        XCTAssertEqual(d.session.partialCommand?.since, d.clock.now())
    }
}
