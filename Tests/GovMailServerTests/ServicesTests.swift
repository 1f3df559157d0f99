import AccountStore
import Foundation
import GovMailConfig
import GovMailTestSupport
import Logging
import MailCore
import Relay
import XCTest
@testable import GovMailServer

final class AuthThrottleTests: XCTestCase {
    private func settings() -> Config.Auth {
        var a = Config.Auth()
        a.replyDelay = 0.2; a.failureDelayStep = 1; a.maxDelay = 3; a.maxFailures = 4; a.window = 60;
        a.blockDuration = 300
        return a
    }

    func testFailureDelayGrowsPerAddressAndIsCapped() {
        let t = AuthThrottle(settings: settings())
        XCTAssertEqual(t.failureDelay(address: "192.0.2.1", now: 0), 0.2, accuracy: 1e-9)
        t.recordFailure(address: "192.0.2.1", account: "an@x.vn", now: 1)
        XCTAssertEqual(t.failureDelay(address: "192.0.2.1", now: 2), 1.2, accuracy: 1e-9)
        XCTAssertEqual(
            t.failureDelay(address: "192.0.2.9", now: 2), 0.2, accuracy: 1e-9, "other addresses are not slowed")
        t.recordFailure(address: "192.0.2.1", account: "an@x.vn", now: 3)
        t.recordFailure(address: "192.0.2.1", account: "an@x.vn", now: 4)
        XCTAssertEqual(t.failureDelay(address: "192.0.2.1", now: 5), 3, accuracy: 1e-9)
        // Failures leave the window.
        XCTAssertEqual(t.failureDelay(address: "192.0.2.1", now: 100), 0.2, accuracy: 1e-9)
    }

    func testBlocksTheAddressAfterMaxFailuresForBlockDuration() {
        let t = AuthThrottle(settings: settings())
        for i in 0..<3 { t.recordFailure(address: "198.51.100.7", account: "b\(i)@x.vn", now: Double(i)) }
        XCTAssertFalse(t.isBlocked(address: "198.51.100.7", now: 3))
        let effect = t.recordFailure(address: "198.51.100.7", account: "b9@x.vn", now: 4)
        XCTAssertTrue(effect.addressBlocked)
        XCTAssertTrue(t.isBlocked(address: "198.51.100.7", now: 5))
        XCTAssertFalse(t.isBlocked(address: "198.51.100.8", now: 5))
        XCTAssertFalse(t.isBlocked(address: "198.51.100.7", now: 305))
    }

    func testAnAccountUnderAttackIsReportedOnceButNeverBlocked() {
        let t = AuthThrottle(settings: settings())
        var reports = 0
        for i in 0..<10 {
            let effect = t.recordFailure(address: "10.0.0.\(i % 5)", account: "Victim@x.vn", now: Double(i))
            if effect.accountUnderAttack { reports += 1; XCTAssertEqual(effect.accountFailures, 4) }
        }
        XCTAssertEqual(reports, 1, "one warning per window")
        // The owner, from an address that has not failed, is neither blocked nor slowed.
        XCTAssertFalse(t.isBlocked(address: "10.9.9.9", now: 10))
        XCTAssertEqual(t.failureDelay(address: "10.9.9.9", now: 10), 0.2, accuracy: 1e-9)
        // A new window reports again.
        XCTAssertTrue(
            (61..<65).map { t.recordFailure(address: "10.1.1.1", account: "victim@x.vn", now: Double($0)) }
                .contains { $0.accountUnderAttack })
    }
}

final class DayCalendarTests: XCTestCase {
    func testDaysFollowTheConfiguredZone() throws {
        let hanoi = try DayCalendar(timeZone: "Asia/Ho_Chi_Minh")
        let utc = try DayCalendar(timeZone: "UTC")
        // 2026-10-31T18:30:00Z is 01:30 on 1 November in Hanoi (UTC+7).
        let t = 1_793_471_400.0
        XCTAssertEqual(utc.day(t), "2026-10-31")
        XCTAssertEqual(hanoi.day(t), "2026-11-01")
        XCTAssertThrowsError(try DayCalendar(timeZone: "Nowhere/City"))
    }
}

final class RelayQueueTests: XCTestCase {
    func testEnqueueListUpdateRemove() throws {
        let dir = TemporaryDirectory()
        let q = RelayQueue(stateDir: dir.path)
        let msg = Array("Subject: Công văn\r\n\r\nNội dung\r\n".utf8)
        let item = try q.enqueue(
            sender: try EmailAddress("an@so.gov.vn"), recipients: [try EmailAddress("b@example.com")],
            message: msg, accountID: 7, now: 1_790_000_000)
        XCTAssertEqual(try q.message(item.id), msg)
        var listed = try q.list()
        XCTAssertEqual(listed, [item])
        listed[0].attempts = 1
        listed[0].recipients[0].lastResult = "451 4.3.0 try later"
        try q.update(listed[0])
        XCTAssertEqual(try q.load(item.id).attempts, 1)
        XCTAssertEqual(try q.load(item.id).recipients[0].lastResult, "451 4.3.0 try later")
        try q.remove(item.id)
        XCTAssertEqual(try q.list(), [])
        XCTAssertThrowsError(try q.remove(item.id))
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(q.directory)/messages/\(item.id).eml"))
    }

    func testHeldItemIsReleasedDurablyAndOlderEnvelopesAreNotHeld() throws {
        let dir = TemporaryDirectory()
        let q = RelayQueue(stateDir: dir.path)
        let held = try q.enqueue(
            sender: nil, recipients: [try EmailAddress("b@example.com")], message: Array("x\r\n".utf8),
            accountID: nil, now: 1_790_000_000, held: true)
        XCTAssertTrue(try q.load(held.id).isHeld)
        XCTAssertFalse(try q.release(held.id).isHeld)
        XCTAssertFalse(try q.load(held.id).isHeld, "the release is on disk")
        let json = String(
            decoding: try XCTUnwrap(FileManager.default.contents(atPath: "\(q.directory)/envelopes/\(held.id).json")),
            as: UTF8.self)
        XCTAssertFalse(json.contains("held"), "a released envelope looks like one written before holding existed")
        // An envelope written by an older version has no `held` field: it is not held.
        let old =
            "{\"attempts\":0,\"createdAt\":1,\"id\":\"0000000001-aa\",\"nextAttemptAt\":1,"
            + "\"recipients\":[{\"address\":\"c@example.com\",\"state\":\"pending\"}],\"sender\":\"\",\"size\":3}"
        try Data(old.utf8).write(to: URL(fileURLWithPath: "\(q.directory)/envelopes/0000000001-aa.json"))
        XCTAssertFalse(try q.load("0000000001-aa").isHeld)
        // Only held items are removed at startup.
        let another = try q.enqueue(
            sender: nil, recipients: [try EmailAddress("d@example.com")], message: Array("y\r\n".utf8),
            accountID: nil, now: 1_790_000_001, held: true)
        XCTAssertEqual(try q.removeHeldItems().map(\.id), [another.id])
        XCTAssertEqual(try q.list().map(\.id).sorted(), ["0000000001-aa", held.id].sorted())
    }

    func testIdsCannotEscapeTheSpool() throws {
        let q = RelayQueue(stateDir: TemporaryDirectory().path)
        for bad in ["../../etc/passwd", "a/b", "", "x.json"] {
            XCTAssertThrowsError(try q.load(bad), bad)
            XCTAssertThrowsError(try q.message(bad), bad)
            XCTAssertThrowsError(try q.remove(bad), bad)
        }
    }
}

final class ActivityRecorderTests: XCTestCase {
    func testBuffersAndFlushesOneRowPerAccountAndDayIntoSQLite() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(1_793_500_000)  // 2026-11-01 in Hanoi
        let store = try AccountStore.open(stateDir: dir.path, clock: clock)
        _ = try store.addDomain(try Domain("so.gov.vn"))
        let unit = try store.addUnit(code: "SNV", name: "Sở Nội vụ", level: .province)
        let a = try store.createAccount(
            NewAccount(address: try EmailAddress("an@so.gov.vn"), displayName: "Nguyễn An", unitID: unit.id, quota: 0))
        let b = try store.createAccount(
            NewAccount(address: try EmailAddress("binh@so.gov.vn"), displayName: "Trần Bình", unitID: unit.id, quota: 0)
        )
        let directory = SQLiteDirectory(store: store, verifier: NoPasswords())
        let recorder = ActivityRecorder(
            directory: directory, calendar: try DayCalendar(timeZone: "Asia/Ho_Chi_Minh"),
            clock: clock, logger: Logger(label: "test"))
        recorder.record(accountID: a.id, ActivityCounters(imapLogins: 1), client: "Thunderbird")
        recorder.record(accountID: a.id, ActivityCounters(imapLogins: 1), client: "Thunderbird")
        recorder.record(accountID: a.id, ActivityCounters(messagesSent: 1, sentInternalRecipients: 3))
        recorder.record(accountID: b.id, ActivityCounters(smtpAuths: 1))
        clock.advance(86_400)
        recorder.record(accountID: a.id, ActivityCounters(imapLogins: 1))
        XCTAssertTrue(
            try store.activity(from: "2026-11-01", through: "2026-11-30").isEmpty, "nothing is written before a flush")
        recorder.flush()
        let rows = try store.activity(from: "2026-11-01", through: "2026-11-30")
            .sorted { ($0.accountID, $0.day) < ($1.accountID, $1.day) }
        XCTAssertEqual(
            rows.map { "\($0.accountID) \($0.day)" },
            ["\(a.id) 2026-11-01", "\(a.id) 2026-11-02", "\(b.id) 2026-11-01"])
        XCTAssertEqual(rows[0].counters, ActivityCounters(imapLogins: 2, messagesSent: 1, sentInternalRecipients: 3))
        recorder.flush()
        XCTAssertEqual(
            try store.activity(from: "2026-11-01", through: "2026-11-30").count, 3, "an empty buffer writes nothing")
    }

    func testPrunesDailyRowsBeyondTheRetentionAtStartThenOnceADay() throws {
        let dir = TemporaryDirectory()
        let clock = ManualClock(1_793_500_000)  // 2026-11-01 in Hanoi: with 2 months, September is the first kept
        let store = try AccountStore.open(stateDir: dir.path, clock: clock)
        _ = try store.addDomain(try Domain("so.gov.vn"))
        let unit = try store.addUnit(code: "SNV", name: "Sở Nội vụ", level: .province)
        let a = try store.createAccount(
            NewAccount(
                address: try EmailAddress("an@so.gov.vn"), displayName: "Nguyễn An",
                unitID: unit.id, quota: 0))
        func record(_ day: String) throws {
            try store.recordActivity([
                ActivityIncrement(accountID: a.id, day: day, counters: ActivityCounters(imapLogins: 1))
            ])
        }
        func days() throws -> [String] { try store.activity(from: "2000-01-01", through: "2099-12-31").map(\.day) }
        let recorder = ActivityRecorder(
            directory: SQLiteDirectory(store: store, verifier: NoPasswords()),
            calendar: try DayCalendar(timeZone: "Asia/Ho_Chi_Minh"), clock: clock,
            logger: Logger(label: "test"),
            pruning: ActivityPruning(store: store, retentionMonths: 2))
        try record("2026-08-31")
        try record("2026-09-01")
        recorder.start(every: 3_600)
        recorder.stop()  // runs after the pruning `start` queued
        XCTAssertEqual(try days(), ["2026-09-01"], "pruned at start")

        try record("2026-08-30")
        recorder.pruneIfDue()
        clock.advance(86_399)
        recorder.pruneIfDue()
        XCTAssertEqual(try days(), ["2026-08-30", "2026-09-01"], "not again within a day")
        clock.advance(1)
        recorder.pruneIfDue()
        XCTAssertEqual(try days(), ["2026-09-01"], "a day later")

        clock.advance(30 * 86_400)  // December: September leaves the two kept months
        recorder.pruneIfDue()
        XCTAssertEqual(try days(), [])
    }

    func testFailedFlushKeepsCountersForTheNextOne() throws {
        let clock = ManualClock(1_793_500_000)
        let directory = RecordingDirectory()
        directory.failNext = true
        let recorder = ActivityRecorder(
            directory: directory, calendar: try DayCalendar(timeZone: "UTC"),
            clock: clock, logger: Logger(label: "test"))
        recorder.record(accountID: 5, ActivityCounters(imapLogins: 1))
        recorder.flush()
        XCTAssertTrue(directory.batches.isEmpty)
        recorder.record(accountID: 5, ActivityCounters(imapLogins: 1))
        recorder.flush()
        XCTAssertEqual(directory.batches.flatMap { $0 }.first?.counters.imapLogins, 2)
    }

    func testStopSaysWhenTheCountersCouldNotBeSaved() throws {
        let clock = ManualClock(1_793_500_000)
        let directory = RecordingDirectory()
        let recorder = ActivityRecorder(
            directory: directory, calendar: try DayCalendar(timeZone: "UTC"),
            clock: clock, logger: Logger(label: "test"))
        recorder.record(accountID: 5, ActivityCounters(imapLogins: 1))
        directory.failNext = true
        XCTAssertNotNil(recorder.stop(), "a failed final save is reported, never called saved")
        XCTAssertNil(recorder.stop(), "the retry succeeds and says so")
        XCTAssertEqual(directory.batches.flatMap { $0 }.first?.counters.imapLogins, 1)
        XCTAssertNil(recorder.stop(), "nothing buffered: nothing to fail")
    }
}

/// A verifier for tests that never log in.
struct NoPasswords: PasswordVerifying {
    func check(_ password: Secret, against storedHash: String) -> PasswordCheck { .mismatch }
    func checkDummy(_ password: Secret) {}
}

/// A DirectoryService whose writes can be made to fail, to test the recorder's retry.
final class RecordingDirectory: DirectoryService, @unchecked Sendable {
    private let lock = NSLock()
    private var _batches: [[ActivityIncrement]] = []
    var failNext = false
    var batches: [[ActivityIncrement]] { lock.withLock { _batches } }
    func lookup(_ address: EmailAddress) throws -> DirectoryEntry? { nil }
    func authenticate(_ address: EmailAddress, password: Secret) throws -> AuthenticationResult {
        .failure(.unknownAddress)
    }
    func aliases(ofAccount accountID: Int64) throws -> [EmailAddress] { [] }
    func recordActivity(_ increments: [ActivityIncrement]) throws {
        try lock.withLock {
            if failNext { failNext = false; throw NSError(domain: "test", code: 1) }
            _batches.append(increments)
        }
    }
}

/// A directory whose every read fails (a locked or damaged database).
struct UnreadableDirectory: DirectoryService {
    struct Failure: Error {}
    func lookup(_ address: EmailAddress) throws -> DirectoryEntry? { throw Failure() }
    func authenticate(_ address: EmailAddress, password: Secret) throws -> AuthenticationResult {
        throw Failure()
    }
    func aliases(ofAccount accountID: Int64) throws -> [EmailAddress] { throw Failure() }
    func recordActivity(_ increments: [ActivityIncrement]) throws { throw Failure() }
}
