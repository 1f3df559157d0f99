import GovMailTestSupport
import NetServer
import XCTest

/// Timeouts are decisions of a state machine given `now`; the manual clock replaces sleeping.
final class ConnectionTimeoutsTests: XCTestCase {
    func testIdleTimeoutFiresAfterTheLimitWithoutInput() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: 300, slowInputLimit: 600)
        clock.advance(299)
        XCTAssertEqual(t.expired(now: clock.now()), [])
        clock.advance(1)
        XCTAssertEqual(t.expired(now: clock.now()), [.idle])
        XCTAssertEqual(t.expired(now: clock.now()), [], "reported once")
    }

    func testInputRestartsTheIdleClock() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: 60, slowInputLimit: 600)
        clock.advance(50)
        t.inputArrived(now: clock.now())
        clock.advance(50)
        XCTAssertEqual(t.expired(now: clock.now()), [])
        XCTAssertEqual(t.nextCheck, clock.now() + 10)
        clock.advance(10)
        XCTAssertEqual(t.expired(now: clock.now()), [.idle])
    }

    func testIdleLimitPerProtocolState() {
        // e.g. IMAP IDLE: the driver raises the limit while idling and lowers it afterwards.
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: 1800, slowInputLimit: 600)
        t.setIdleLimit(31 * 60, now: clock.now())
        clock.advance(1800)
        XCTAssertEqual(t.expired(now: clock.now()), [])
        t.setIdleLimit(nil, now: clock.now())
        clock.advance(100_000)
        XCTAssertEqual(t.expired(now: clock.now()), [])
        XCTAssertNil(t.nextCheck)
    }

    func testHandshakeTimeoutUntilFinished() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        t.startHandshake(now: clock.now(), limit: 30)
        clock.advance(29)
        XCTAssertEqual(t.expired(now: clock.now()), [])
        t.handshakeFinished()
        clock.advance(10)
        XCTAssertEqual(t.expired(now: clock.now()), [])

        var slow = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        slow.startHandshake(now: clock.now(), limit: 30)
        clock.advance(30)
        XCTAssertEqual(slow.expired(now: clock.now()), [.handshake])
    }

    func testSlowlorisBoundsAPartialFrameEvenWhileBytesTrickleIn() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: 300, slowInputLimit: 600)
        t.partialInput(true, now: clock.now())  // the first bytes of a line
        for _ in 0..<59 {  // one byte every 10 s keeps the idle clock happy...
            clock.advance(10)
            t.inputArrived(now: clock.now())
            t.partialInput(true, now: clock.now())
            XCTAssertEqual(t.expired(now: clock.now()), [])
        }
        clock.advance(10)  // ...but the partial line is 600 s old now
        t.inputArrived(now: clock.now())
        XCTAssertEqual(t.expired(now: clock.now()), [.slowInput])
    }

    func testCompleteFramesResetTheSlowInputClock() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 60)
        t.partialInput(true, now: clock.now())
        clock.advance(50)
        t.partialInput(false, now: clock.now())
        t.partialInput(true, now: clock.now())
        clock.advance(50)
        XCTAssertEqual(t.expired(now: clock.now()), [])
    }

    func testDriverDeadlineAndNamedTimers() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        t.setDeadline(600, now: clock.now())
        t.setTimer("auth-delay", seconds: 0.2, now: clock.now())
        t.setTimer("poll", seconds: 5, now: clock.now())
        XCTAssertEqual(t.nextCheck, clock.now() + 0.2)
        clock.advance(0.2)
        XCTAssertEqual(t.expired(now: clock.now()), [.timer("auth-delay")])
        t.cancelTimer("poll")
        clock.advance(600)
        XCTAssertEqual(t.expired(now: clock.now()), [.deadline])
        XCTAssertNil(t.nextCheck)
    }

    func testPreAuthenticationBoundHoldsWhateverTheInputUntilLogin() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        t.startPreAuthentication(now: clock.now(), limit: 60)
        clock.advance(59)
        t.inputArrived(now: clock.now())
        XCTAssertEqual(t.expired(now: clock.now()), [], "input does not extend it")
        clock.advance(1)
        XCTAssertEqual(t.expired(now: clock.now()), [.preAuthentication])

        var u = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        u.startPreAuthentication(now: clock.now(), limit: 60)
        clock.advance(30)
        u.authenticated()
        XCTAssertNil(u.nextCheck)
        clock.advance(3600)
        XCTAssertEqual(u.expired(now: clock.now()), [], "a logged-in session is not bounded by it")
    }

    func testClosingFlushIsBounded() {
        let clock = ManualClock()
        var t = ConnectionTimeouts(now: clock.now(), idleLimit: nil, slowInputLimit: 600)
        t.startClosing(now: clock.now(), limit: 10)
        clock.advance(10)
        XCTAssertEqual(t.expired(now: clock.now()), [.closing])
    }
}
