import AccountStore
import GovMailTestSupport
import MailCore
import XCTest

final class ActivityTests: AccountStoreTestCase {
    func testIncrementsAddUpPerAccountAndDay() throws {
        let a = try add("a@tinh.gov.vn"), b = try add("b@tinh.gov.vn")
        try store.recordActivity([
            ActivityIncrement(
                accountID: a.id, day: "2026-11-02",
                counters: ActivityCounters(
                    imapLogins: 2, messagesSent: 1,
                    sentInternalRecipients: 3, bytesSent: 1000), clientLogins: ["Thunderbird": 2]),
            ActivityIncrement(accountID: b.id, day: "2026-11-02", counters: ActivityCounters(messagesReceived: 4)),
        ])
        try store.recordActivity([
            ActivityIncrement(
                accountID: a.id, day: "2026-11-02",
                counters: ActivityCounters(
                    imapLogins: 1, smtpAuths: 1,
                    messagesSigned: 1), clientLogins: ["Thunderbird": 1, "Outlook\u{0}16": 1]),
            ActivityIncrement(
                accountID: a.id, day: "2026-11-03", counters: ActivityCounters(sentExternalRecipients: 5)),
        ])
        let rows = try store.activity(from: "2026-11-01", through: "2026-11-30")
        XCTAssertEqual(rows.count, 3)
        XCTAssertEqual(
            rows[0].counters,
            ActivityCounters(
                imapLogins: 3, smtpAuths: 1, messagesSent: 1, sentInternalRecipients: 3,
                messagesSigned: 1, bytesSent: 1000))
        XCTAssertEqual(rows[1].counters.sentExternalRecipients, 5)
        XCTAssertEqual(rows[2].counters.messagesReceived, 4)
        XCTAssertEqual(try store.activity(from: "2026-11-03", through: "2026-11-03").count, 1)
        let clients = try store.clientLogins(from: "2026-11-01", through: "2026-11-30")
        XCTAssertEqual(clients.map(\.clientName), ["Outlook16", "Thunderbird"])
        XCTAssertEqual(clients.map(\.logins), [1, 3])
    }

    func testCountersOfDeletedAccountsStay() throws {
        let a = try add("a@tinh.gov.vn")
        try store.recordActivity([
            ActivityIncrement(accountID: a.id, day: "2026-10-01", counters: ActivityCounters(imapLogins: 1))
        ])
        try store.deleteAccount(a.address)
        XCTAssertEqual(try store.activity(from: "2026-10-01", through: "2026-10-31").map(\.accountID), [a.id])
    }

    func testABadBatchChangesNothing() throws {
        let a = try add("a@tinh.gov.vn")
        XCTAssertThrowsError(
            try store.recordActivity([
                ActivityIncrement(accountID: a.id, day: "2026-11-02", counters: ActivityCounters(imapLogins: 1)),
                ActivityIncrement(accountID: a.id, day: "02/11/2026", counters: ActivityCounters(imapLogins: 1)),
            ]))
        XCTAssertThrowsError(
            try store.recordActivity([
                ActivityIncrement(accountID: a.id, day: "2026-11-02", counters: ActivityCounters(imapLogins: 1)),
                ActivityIncrement(accountID: 999, day: "2026-11-02", counters: ActivityCounters(imapLogins: 1)),
            ]))
        XCTAssertEqual(try store.activity(from: "2026-01-01", through: "2026-12-31"), [])
    }
}
