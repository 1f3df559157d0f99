import GovMailTestSupport
import MailCore
@testable import Relay
import SMTPProtocol
import XCTest
@testable import GovMailServer

final class RelayRetryPolicyTests: XCTestCase {
    private let t0 = 1_790_000_000.0
    private let ok = SMTPReply(250, "2.0.0", "Ok: queued")
    private let busy = SMTPReply(451, "4.3.0", "Try again later")
    private let unknown = SMTPReply(550, "5.1.1", "No such user")

    private func item(_ recipients: [String], createdAt: Double? = nil) -> RelayQueueItem {
        RelayQueueItem(
            id: "0000000001-aa", sender: "an@so.gov.vn", accountID: 1,
            recipients: recipients.map { .init(address: $0) }, createdAt: createdAt ?? t0, attempts: 0,
            nextAttemptAt: createdAt ?? t0, size: 10)
    }

    private func a(_ s: String) -> EmailAddress { try! EmailAddress(s) }

    func testDelayFollowsScheduleAndRepeatsLastStep() {
        let p = RelayRetryPolicy(retrySchedule: [60, 300, 1800], maxAge: 432_000)
        XCTAssertEqual((1...5).map { p.delay(afterAttempt: $0) }, [60, 300, 1800, 1800, 1800])
    }

    func testMixedOutcomesMarkEachRecipient() {
        let p = RelayRetryPolicy(retrySchedule: [60, 300], maxAge: 3600)
        let d = p.apply(
            [
                (a("x@example.com"), .delivered(ok)), (a("y@example.com"), .transientFailure(busy)),
                (a("z@example.com"), .permanentFailure(unknown)),
            ],
            to: item(["x@example.com", "y@example.com", "z@example.com"]), now: t0 + 5)
        XCTAssertEqual(d.item.recipients.map(\.state), [.delivered, .pending, .failed])
        XCTAssertEqual(
            d.item.recipients.map(\.lastResult),
            [
                "250 2.0.0 Ok: queued", "451 4.3.0 Try again later",
                "550 5.1.1 No such user",
            ])
        XCTAssertEqual(d.item.attempts, 1)
        XCTAssertEqual(d.item.nextAttemptAt, t0 + 65)
        XCTAssertEqual(
            d.bounced,
            [DSNRecipient(address: a("z@example.com"), status: "5.1.1", diagnostic: "550 5.1.1 No such user")])
        XCTAssertFalse(d.isComplete)
    }

    func testRecipientsMatchIgnoringCase() {
        let p = RelayRetryPolicy(retrySchedule: [60], maxAge: 3600)
        let d = p.apply([(a("Bich@Example.com"), .delivered(ok))], to: item(["bich@example.com"]), now: t0)
        XCTAssertTrue(d.isComplete)
    }

    func testLastRetryIsPlacedAtMaxAgeThenBounces() {
        let p = RelayRetryPolicy(retrySchedule: [600], maxAge: 1000)
        var d = p.apply([(a("y@example.com"), .transientFailure(busy))], to: item(["y@example.com"]), now: t0 + 700)
        XCTAssertEqual(d.item.nextAttemptAt, t0 + 1000, "not later than created + max_age")
        XCTAssertTrue(d.bounced.isEmpty)
        d = p.apply([(a("y@example.com"), .transientFailure(busy))], to: d.item, now: t0 + 1000)
        XCTAssertEqual(d.item.recipients[0].state, .failed)
        XCTAssertEqual(d.bounced.map(\.status), ["4.4.7"])
        XCTAssertEqual(d.bounced.first?.diagnostic, "451 4.3.0 Try again later (gave up after 2 attempts)")
        XCTAssertTrue(d.isComplete)
    }

    func testDeliveredRecipientsAreNotTouchedAgain() {
        let p = RelayRetryPolicy(retrySchedule: [60], maxAge: 3600)
        var i = item(["x@example.com", "y@example.com"])
        i.recipients[0].state = .delivered
        i.recipients[0].lastResult = "250 first"
        let d = p.apply(
            [(a("x@example.com"), .permanentFailure(unknown)), (a("y@example.com"), .delivered(ok))], to: i, now: t0)
        XCTAssertEqual(d.item.recipients.map(\.state), [.delivered, .delivered])
        XCTAssertEqual(d.item.recipients[0].lastResult, "250 first")
        XCTAssertTrue(d.bounced.isEmpty)
    }

    func testSummaryWithoutEnhancedCode() {
        XCTAssertEqual(RelayRetryPolicy.summary(SMTPReply(421, nil, ["Service", "closing"])), "421 Service closing")
    }
}
