import AccountStore
import GRDB
import XCTest

/// `messages_signed_verified` (migration 007-smime-activity-signed-verified, issue 17): counted beside
/// `messages_signed` per day and kept in the monthly aggregates by its own triggers.
final class ActivitySignedVerifiedTests: AccountStoreTestCase {
    func monthly() throws -> [String] {
        try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT month, messages_sent, messages_signed, messages_signed_verified, use_days
                    FROM activity_monthly ORDER BY account_id, month
                    """
            ).map { r in "\(r[0] as String) \(r[1] as Int) \(r[2] as Int) \(r[3] as Int) \(r[4] as Int)" }
        }
    }

    func testVerifiedCountsAddUpPerDayAndPerMonth() throws {
        let a = try add("a@tinh.gov.vn")
        func sent(_ day: String, signed: Int64, verified: Int64) -> ActivityIncrement {
            ActivityIncrement(
                accountID: a.id, day: day,
                counters: ActivityCounters(messagesSent: 1, messagesSigned: signed, messagesSignedVerified: verified))
        }
        // Insert path, then the upsert's update path of the same day, then a verified-only change.
        try store.recordActivity([
            sent("2026-10-01", signed: 1, verified: 1), sent("2026-10-02", signed: 1, verified: 0),
        ])
        try store.recordActivity([
            sent("2026-10-01", signed: 1, verified: 1), sent("2026-11-03", signed: 0, verified: 0),
        ])
        try store.recordActivity([sent("2026-10-02", signed: 1, verified: 1)])

        let days = try store.activity(from: "2026-10-01", through: "2026-11-30")
        XCTAssertEqual(days.map(\.day), ["2026-10-01", "2026-10-02", "2026-11-03"])
        XCTAssertEqual(days.map(\.counters.messagesSigned), [2, 2, 0])
        XCTAssertEqual(days.map(\.counters.messagesSignedVerified), [2, 1, 0])
        XCTAssertEqual(try monthly(), ["2026-10 4 4 3 3", "2026-11 1 0 0 4"])

        // Pruning daily rows leaves the months as they were.
        _ = try store.pruneActivity(before: "2026-12-01")
        XCTAssertEqual(try monthly(), ["2026-10 4 4 3 3", "2026-11 1 0 0 4"])
    }

    func testCountersMergeInMemory() {
        var c = ActivityCounters(messagesSigned: 1, messagesSignedVerified: 1)
        c += ActivityCounters(messagesSigned: 2)
        XCTAssertEqual(c, ActivityCounters(messagesSigned: 3, messagesSignedVerified: 1))
        XCTAssertFalse(ActivityCounters(messagesSignedVerified: 1).isZero)
    }
}
