import Foundation
import AccountStore
import GRDB
import GovMailTestSupport
import XCTest

/// `activity_monthly`: kept by triggers on every daily write, summed from existing rows on
/// migration, and left alone by `pruneActivity`.
final class ActivityMonthlyTests: AccountStoreTestCase {
    /// month, use_days, imap_logins, smtp_auths, messages_sent, messages_received per row.
    func monthly() throws -> [[String]] {
        try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT month, use_days, imap_logins, smtp_auths, messages_sent, messages_received
                    FROM activity_monthly ORDER BY account_id, month
                    """
            ).map { row in (0..<6).map { String(describing: row[$0] as DatabaseValue) } }
        }
    }

    func record(_ accountID: Int64) throws {
        try store.recordActivity([
            ActivityIncrement(
                accountID: accountID, day: "2026-10-01", counters: ActivityCounters(imapLogins: 2),
                clientLogins: ["Thunderbird": 1, "K-9 Mail": 1]),
            ActivityIncrement(accountID: accountID, day: "2026-10-02", clientLogins: ["Thunderbird": 2]),
            ActivityIncrement(accountID: accountID, day: "2026-10-31", counters: ActivityCounters(messagesReceived: 3)),
            ActivityIncrement(accountID: accountID, day: "2026-11-02", counters: ActivityCounters(messagesReceived: 1)),
        ])
        // Same day again: the upsert's update path (a day that only received mail becomes a day of use).
        try store.recordActivity([
            ActivityIncrement(
                accountID: accountID, day: "2026-10-31", counters: ActivityCounters(smtpAuths: 1, messagesSent: 2)),
            ActivityIncrement(accountID: accountID, day: "2026-10-02", clientLogins: ["Thunderbird": 4]),
        ])
    }

    func clientMonthly() throws -> [String] {
        try store.read { db in
            try Row.fetchAll(
                db, sql: "SELECT month, client_name, logins FROM activity_client_monthly ORDER BY month, client_name"
            )
            .map { "\($0[0] as String) \($0[1] as String) \($0[2] as Int)" }
        }
    }

    let expectedClients = ["2026-10 K-9 Mail 1", "2026-10 Thunderbird 7"]

    let expected = [["\"2026-10\"", "\(1 | 1 << 30)", "2", "1", "2", "3"], ["\"2026-11\"", "0", "0", "0", "0", "1"]]

    func testTriggersKeepMonthlySumsAndDaysOfUseAndPruningKeepsThem() throws {
        let a = try add("a@tinh.gov.vn")
        try record(a.id)
        XCTAssertEqual(try monthly(), expected)
        XCTAssertEqual(try clientMonthly(), expectedClients)
        XCTAssertEqual(try store.pruneActivity(before: "2026-12-01"), PrunedActivity(dailyRows: 3, clientRows: 3))
        XCTAssertEqual(try store.activity(from: "2026-01-01", through: "2026-12-31"), [])
        XCTAssertEqual(try monthly(), expected)
        XCTAssertEqual(try clientMonthly(), expectedClients)
    }

    func testFirstKeptActivityDayCountsWholeMonthsInTheConfiguredZone() throws {
        let hanoi = TimeZone(identifier: "Asia/Ho_Chi_Minh")!, utc = TimeZone(identifier: "UTC")!
        let halloweenEvening = 1_793_471_400.0  // 2026-10-31T18:30Z, already 1 November in Hanoi
        let mid2026 = 1_768_478_400.0  // 2026-01-15T12:00Z
        let cases: [(Double, TimeZone, Int, String)] = [
            (halloweenEvening, hanoi, 1, "2026-10-01"),
            (halloweenEvening, utc, 1, "2026-09-01"),
            (halloweenEvening, hanoi, 24, "2024-11-01"),
            (mid2026, utc, 1, "2025-12-01"),
            (mid2026, utc, 12, "2025-01-01"),
            (mid2026, utc, 13, "2024-12-01"),
            (mid2026, utc, 0, "2025-12-01"),  // never less than the last complete month
        ]
        for (now, zone, months, expected) in cases {
            XCTAssertEqual(
                AccountStore.firstKeptActivityDay(now: now, timeZone: zone, retentionMonths: months), expected,
                "\(now) \(zone.identifier) \(months)")
        }
    }

    func testMigrationSumsDailyRowsWrittenBeforeIt() throws {
        let a = try add("a@tinh.gov.vn")
        // Go back to a database of migration 003 that already holds daily rows.
        try store.unsafeWrite { db in
            try db.execute(
                sql: """
                    DROP TRIGGER activity_daily_adds_to_month; DROP TRIGGER activity_daily_update_adds_to_month;
                    DROP TRIGGER activity_client_adds_to_month; DROP TRIGGER activity_client_update_adds_to_month;
                    DROP TABLE activity_monthly; DROP TABLE activity_client_monthly; DELETE FROM grdb_migrations WHERE identifier = '004-activity-monthly';
                    """)
            // Triggers of later migrations that write to activity_monthly go too (this test checks 004 alone).
            try db.execute(
                sql: """
                    DROP TRIGGER activity_daily_verified_adds_to_month;
                    DROP TRIGGER activity_daily_verified_update_adds_to_month;
                    """)
        }
        try record(a.id)
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        XCTAssertTrue(try store.appliedMigrations().contains("004-activity-monthly"))
        XCTAssertEqual(try monthly(), expected)
        XCTAssertEqual(try clientMonthly(), expectedClients)
    }
}
