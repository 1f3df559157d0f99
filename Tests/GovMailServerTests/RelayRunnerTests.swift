import AccountStore
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import MaildirStore
import NetServer
@testable import Relay
import SMTPProtocol
import XCTest
@testable import GovMailServer

/// A next hop that answers from a script and remembers what it was given.
final class ScriptedTransport: RelayTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var script: [@Sendable (RelayEnvelope) -> [(EmailAddress, RelayRecipientOutcome)]]
    private(set) var envelopes: [RelayEnvelope] = []

    init(_ script: [@Sendable (RelayEnvelope) -> [(EmailAddress, RelayRecipientOutcome)]]) { self.script = script }

    func deliver(_ envelope: RelayEnvelope, itemID: String) -> [(EmailAddress, RelayRecipientOutcome)] {
        lock.lock(); defer { lock.unlock() }
        envelopes.append(envelope)
        let step =
            script.isEmpty
            ? { e in e.recipients.map { ($0, .transientFailure(SMTPReply(451, "4.4.1", "script ended"))) } }
            : script.removeFirst()
        return step(envelope)
    }

    static func all(_ outcome: @escaping @Sendable (EmailAddress) -> RelayRecipientOutcome)
        -> @Sendable (RelayEnvelope) -> [(EmailAddress, RelayRecipientOutcome)]
    {
        { e in e.recipients.map { ($0, outcome($0)) } }
    }
}

struct RelayTestVerifier: PasswordVerifying {
    func check(_ password: Secret, against storedHash: String) -> PasswordCheck { .mismatch }
    func checkDummy(_ password: Secret) {}
}

final class RelayRunnerTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var clock: ManualClock!
    private var spool: RelayQueue!
    private var layout: MaildirLayout!
    private var notifier: MailboxNotifier!
    private var directory: SQLiteDirectory!
    private let message = Array(
        "From: an@so.gov.vn\r\nTo: b@example.com\r\nSubject: Công văn số 12\r\n\r\nNỘI DUNG MẬT\r\n".utf8)

    override func setUpWithError() throws {
        dir = TemporaryDirectory(prefix: "govmail-relay")
        clock = ManualClock()
        spool = RelayQueue(stateDir: dir.path)
        layout = MaildirLayout(stateDir: dir.path)
        notifier = MailboxNotifier()
        let store = try AccountStore.open(stateDir: dir.path, clock: clock)
        _ = try store.addDomain(try Domain("so.gov.vn"))
        let unit = try store.addUnit(code: "SNV", name: "Sở Nội vụ", level: .province)
        _ = try store.createAccount(
            NewAccount(
                address: try EmailAddress("an@so.gov.vn"), displayName: "Nguyễn An",
                unitID: unit.id, quota: 0))
        _ = try layout.createAccount(try EmailAddress("an@so.gov.vn"))
        directory = SQLiteDirectory(store: store, verifier: RelayTestVerifier())
    }

    private func runner(
        _ transport: ScriptedTransport, schedule: [Int] = [60, 300], maxAge: Double = 3600,
        queue: RelayQueue? = nil, enabled: Bool = true
    ) -> RelayRunner {
        let logger = Logger(label: "test.relay")
        let bouncer = RelayBouncer(
            reportingHost: "mail.so.gov.vn", directory: directory, layout: layout,
            delivery: MaildirDelivery(), notifier: notifier, logger: logger)
        return RelayRunner(
            queue: queue ?? spool, transport: transport, bouncer: bouncer,
            policy: RelayRetryPolicy(retrySchedule: schedule, maxAge: maxAge), clock: clock, logger: logger,
            enabled: enabled)
    }

    private func enqueue(from sender: String? = "an@so.gov.vn", to recipients: [String]) throws -> RelayQueueItem {
        try spool.enqueue(
            sender: try sender.map(EmailAddress.init), recipients: try recipients.map(EmailAddress.init),
            message: message, accountID: 1, now: clock.now())
    }

    private func inbox() throws -> [String] {
        let new = try layout.accountRoot(try EmailAddress("an@so.gov.vn")) + "/new"
        return try FileManager.default.contentsOfDirectory(atPath: new).map { new + "/" + $0 }
    }

    /// A submission to a local and a remote recipient; `duringLocalDelivery` runs while the local copy is written.
    private func submit(duringLocalDelivery: @escaping @Sendable () -> Void) throws -> DeliveryOutcome {
        let an = try EmailAddress("an@so.gov.vn")
        let root = try layout.accountRoot(an)
        let delivery = MaildirDelivery(
            writer: DurableWriter(ops: HookedLinksInto(directory: root, hook: duringLocalDelivery)))
        let pipeline = SMTPDeliveryPipeline(relayQueue: spool, delivery: delivery, logger: Logger(label: "test.smtp"))
        let d = Delivery(
            sender: an,
            recipients: [
                .init(address: an, route: .local(mailbox: an)),
                .init(address: try EmailAddress("b@example.com"), route: .relay),
            ],
            account: an, message: message, smtpUTF8: false, transactionID: "s1.1")
        let box = LocalMailbox(accountID: 1, address: an, root: root, quota: 0)
        return pipeline.deliver(d, mailboxes: [box], accountID: 1, now: clock.now())
    }

    func testRunnerSendsNothingBeforeTheSubmissionIsConfirmed() throws {
        let t = ScriptedTransport([ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) }])
        let r = runner(t)
        let sentDuringLocalDelivery = Locked<Int?>(nil)
        let outcome = try submit {
            r.runDueItems()  // a scan (poke or tick) while the local copy is being written
            sentDuringLocalDelivery.withLock { $0 = t.envelopes.count }
        }
        guard case .stored(let report) = outcome else { return XCTFail("expected stored, got \(outcome)") }
        XCTAssertEqual(sentDuringLocalDelivery.withLock { $0 }, 0, "the remote copy must wait for the 250")
        XCTAssertFalse(try spool.load(try XCTUnwrap(report.relayItemID)).isHeld, "released before the 250")
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 1)
        XCTAssertEqual(try spool.list(), [])
    }

    func testItemOfASubmissionCutOffByACrashIsRemovedAtStartAndNeverSent() throws {
        // What a crash during the local delivery leaves on disk: a copy of the state folder at that moment.
        let crashed = TemporaryDirectory(prefix: "govmail-crashed")
        let source = spool.directory, target = crashed.path + "/queue"
        _ = try submit { try? FileManager.default.copyItem(atPath: source, toPath: target) }
        let left = RelayQueue(stateDir: crashed.path)
        XCTAssertEqual(try left.list().count, 1)
        let id = try XCTUnwrap(try left.list().first).id
        XCTAssertEqual(try left.load(id).isHeld, true)

        // The restarted server: its client never got 250 and will send again, so the item must not go out.
        let t = ScriptedTransport([ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) }])
        let r = runner(t, queue: left, enabled: false)
        r.start()
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 0)
        XCTAssertEqual(try left.list(), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(target)/messages/\(id).eml"))
    }

    func testDeliveredItemLeavesTheQueueWithEnvelopeIntact() throws {
        let item = try enqueue(to: ["b@example.com", "c@example.com"])
        let t = ScriptedTransport([ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) }])
        runner(t).runDueItems()
        XCTAssertEqual(t.envelopes.count, 1)
        XCTAssertEqual(t.envelopes[0].sender, try EmailAddress("an@so.gov.vn"))
        XCTAssertEqual(
            t.envelopes[0].recipients, [try EmailAddress("b@example.com"), try EmailAddress("c@example.com")])
        XCTAssertEqual(t.envelopes[0].message, message)
        XCTAssertEqual(try spool.list(), [])
        XCTAssertThrowsError(try spool.load(item.id))
        XCTAssertEqual(try inbox(), [], "no bounce")
    }

    func testTransientFailureRetriesOnScheduleOnlyWhenDue() throws {
        let item = try enqueue(to: ["b@example.com"])
        let t = ScriptedTransport([
            ScriptedTransport.all { _ in .transientFailure(SMTPReply(451, "4.3.0", "Busy")) },
            ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) },
        ])
        let r = runner(t)
        r.runDueItems()
        let stored = try spool.load(item.id)
        XCTAssertEqual(stored.attempts, 1)
        XCTAssertEqual(stored.nextAttemptAt, clock.now() + 60)
        XCTAssertEqual(stored.recipients[0].lastResult, "451 4.3.0 Busy")
        clock.advance(59)
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 1, "not due yet")
        clock.advance(1)
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 2)
        XCTAssertEqual(try spool.list(), [])
    }

    func testOnlyPendingRecipientsAreRetried() throws {
        _ = try enqueue(to: ["b@example.com", "c@example.com"])
        let t = ScriptedTransport([
            { e in
                [
                    (e.recipients[0], .delivered(SMTPReply(250, "2.1.5", "Ok"))),
                    (e.recipients[1], .transientFailure(SMTPReply(452, "4.2.2", "Mailbox full"))),
                ]
            },
            ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) },
        ])
        let r = runner(t)
        r.runDueItems()
        clock.advance(60)
        r.runDueItems()
        XCTAssertEqual(
            t.envelopes.map(\.recipients),
            [
                [try EmailAddress("b@example.com"), try EmailAddress("c@example.com")],
                [try EmailAddress("c@example.com")],
            ])
        XCTAssertEqual(try spool.list(), [])
    }

    func testPermanentFailureBouncesToSenderInboxAndNotifies() throws {
        let item = try enqueue(to: ["nobody@example.com", "b@example.com"])
        let t = ScriptedTransport([
            { e in
                [
                    (e.recipients[0], .permanentFailure(SMTPReply(550, "5.1.1", "No such user"))),
                    (e.recipients[1], .delivered(SMTPReply(250, "2.0.0", "Ok"))),
                ]
            }
        ])
        let root = try layout.accountRoot(try EmailAddress("an@so.gov.vn"))
        let posted = Locked<[String]>([])
        _ = notifier.observe(folderPath: root) { path in posted.withLock { $0.append(path) } }
        runner(t).runDueItems()
        XCTAssertEqual(try spool.list(), [], "nothing pending: the item is removed")
        let files = try inbox()
        XCTAssertEqual(files.count, 1)
        let bounce = String(decoding: try Data(contentsOf: URL(fileURLWithPath: files[0])), as: UTF8.self)
        XCTAssertTrue(bounce.contains("Content-Type: multipart/report; report-type=delivery-status"))
        XCTAssertTrue(bounce.contains("Final-Recipient: rfc822; nobody@example.com"))
        XCTAssertTrue(bounce.contains("Status: 5.1.1"))
        XCTAssertTrue(bounce.contains("Diagnostic-Code: smtp; 550 5.1.1 No such user"))
        XCTAssertFalse(bounce.contains("Final-Recipient: rfc822; b@example.com"))
        XCTAssertTrue(bounce.contains("Subject: Công văn số 12"), "original headers quoted")
        XCTAssertFalse(bounce.contains("NỘI DUNG MẬT"), "never the body")
        XCTAssertEqual(posted.withLock { $0 }, [root])
        XCTAssertThrowsError(try spool.load(item.id))
    }

    func testMaxAgeBouncesAfterLastTry() throws {
        _ = try enqueue(to: ["b@example.com"])
        let t = ScriptedTransport(
            Array(
                repeating: ScriptedTransport.all { _ in .transientFailure(SMTPReply(421, "4.4.2", "Down")) }, count: 5))
        let r = runner(t, schedule: [100], maxAge: 250)
        for _ in 0..<3 {
            r.runDueItems()
            XCTAssertEqual(try inbox(), [])
            clock.advance(100)
        }
        XCTAssertEqual(t.envelopes.count, 3, "tried at 0, 100, 200")
        clock.advance(-50)
        r.runDueItems()  // t = 250 = max_age: the last try fails and bounces
        XCTAssertEqual(t.envelopes.count, 4)
        XCTAssertEqual(try spool.list(), [])
        let bounce = String(decoding: try Data(contentsOf: URL(fileURLWithPath: try inbox()[0])), as: UTF8.self)
        XCTAssertTrue(bounce.contains("Status: 4.4.7"))
        XCTAssertTrue(bounce.contains("421 4.4.2 Down (gave up after 4 attempts)"))
    }

    func testBounceOfNullSenderIsDropped() throws {
        _ = try enqueue(from: nil, to: ["x@example.com"])
        let t = ScriptedTransport([ScriptedTransport.all { _ in .permanentFailure(SMTPReply(550, "5.1.1", "No")) }])
        runner(t).runDueItems()
        XCTAssertNil(t.envelopes[0].sender, "sent with <>")
        XCTAssertEqual(try spool.list(), [])
        XCTAssertEqual(try inbox(), [])
    }

    func testBounceForNonLocalSenderIsDropped() throws {
        _ = try enqueue(from: "someone@elsewhere.vn", to: ["x@example.com"])
        let t = ScriptedTransport([ScriptedTransport.all { _ in .permanentFailure(SMTPReply(550, "5.1.1", "No")) }])
        runner(t).runDueItems()
        XCTAssertEqual(try spool.list(), [])
        XCTAssertEqual(try inbox(), [])
    }

    func testBounceThatCannotBeWrittenKeepsRecipientQueued() throws {
        let item = try enqueue(to: ["x@example.com"])
        let root = try layout.accountRoot(try EmailAddress("an@so.gov.vn"))
        try FileManager.default.removeItem(atPath: root)  // the INBOX is gone: delivery fails
        let t = ScriptedTransport([ScriptedTransport.all { _ in .permanentFailure(SMTPReply(550, "5.1.1", "No")) }])
        runner(t).runDueItems()
        let stored = try spool.load(item.id)
        XCTAssertEqual(stored.recipients[0].state, .pending)
        XCTAssertEqual(stored.recipients[0].lastResult, "550 5.1.1 No")
        XCTAssertEqual(stored.attempts, 1)
    }

    func testItemsSurviveANewRunner() throws {
        let item = try enqueue(to: ["b@example.com"])
        runner(ScriptedTransport([ScriptedTransport.all { _ in .transientFailure(SMTPReply(451, "4.3.0", "Busy")) }]))
            .runDueItems()
        clock.advance(60)
        let t = ScriptedTransport([ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) }])
        runner(t).runDueItems()  // a fresh runner, as after a restart, reads the spool
        XCTAssertEqual(t.envelopes.count, 1)
        XCTAssertThrowsError(try spool.load(item.id))
    }

    func testMissingMessageFileIsATransientFailure() throws {
        let item = try enqueue(to: ["b@example.com"])
        try FileManager.default.removeItem(atPath: "\(spool.directory)/messages/\(item.id).eml")
        let t = ScriptedTransport([])
        runner(t).runDueItems()
        XCTAssertEqual(t.envelopes.count, 0)
        let stored = try spool.load(item.id)
        XCTAssertEqual(stored.recipients[0].state, .pending)
        XCTAssertTrue(
            stored.recipients[0].lastResult?.hasPrefix("451 4.3.0 The queued message file cannot be read") == true)
    }

    func testRetryNowMakesAnItemDue() throws {
        let item = try enqueue(to: ["b@example.com"])
        let t = ScriptedTransport([
            ScriptedTransport.all { _ in .transientFailure(SMTPReply(451, "4.3.0", "Busy")) },
            ScriptedTransport.all { _ in .delivered(SMTPReply(250, "2.0.0", "Ok")) },
        ])
        let r = runner(t)
        r.runDueItems()
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 1)
        XCTAssertEqual(try spool.retryNow(item.id, now: clock.now()).nextAttemptAt, clock.now())
        r.runDueItems()
        XCTAssertEqual(t.envelopes.count, 2)
        XCTAssertEqual(try spool.retryAllNow(now: clock.now()), [])
    }
}

/// The runner's own scheduling: `start()` and `poke()` on its pool, with real threads.
final class RelayRunnerConcurrencyTests: XCTestCase {
    /// Counts concurrent deliveries and how often each item was handed over.
    final class CountingTransport: RelayTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var active = 0
        private(set) var maxActive = 0
        private(set) var deliveries: [String: Int] = [:]
        let allDone: XCTestExpectation
        private let expected: Int

        init(expected: Int, allDone: XCTestExpectation) { self.expected = expected; self.allDone = allDone }

        func deliver(_ envelope: RelayEnvelope, itemID: String) -> [(EmailAddress, RelayRecipientOutcome)] {
            lock.lock()
            active += 1
            maxActive = max(maxActive, active)
            lock.unlock()
            lock.lock()
            active -= 1
            deliveries[itemID, default: 0] += 1
            let total = deliveries.values.reduce(0, +)
            lock.unlock()
            if total == expected { allDone.fulfill() }
            return envelope.recipients.map { ($0, .delivered(SMTPReply(250, "2.0.0", "Ok"))) }
        }
    }

    func testStartedRunnerDeliversEveryDueItemOnceWithBoundedConcurrency() throws {
        let dir = TemporaryDirectory(prefix: "govmail-relay-run")
        let clock = ManualClock()
        let spool = RelayQueue(stateDir: dir.path)
        var ids: [String] = []
        for i in 0..<12 {
            ids.append(
                try spool.enqueue(
                    sender: try EmailAddress("an@so.gov.vn"), recipients: [try EmailAddress("r\(i)@example.com")],
                    message: Array("Subject: \(i)\r\n\r\nx\r\n".utf8), accountID: nil, now: clock.now()
                ).id)
        }
        let done = expectation(description: "all delivered")
        let transport = CountingTransport(expected: 12, allDone: done)
        let logger = Logger(label: "test.relay")
        let store = try AccountStore.open(stateDir: dir.path, clock: clock)
        let bouncer = RelayBouncer(
            reportingHost: "mail.test", directory: SQLiteDirectory(store: store, verifier: RelayTestVerifier()),
            layout: MaildirLayout(stateDir: dir.path), delivery: MaildirDelivery(),
            notifier: MailboxNotifier(), logger: logger)
        let runner = RelayRunner(
            queue: spool, transport: transport, bouncer: bouncer,
            policy: RelayRetryPolicy(retrySchedule: [3600], maxAge: 86_400), clock: clock, logger: logger,
            concurrency: 3)
        runner.start()
        runner.poke()
        runner.poke()
        wait(for: [done], timeout: 60)
        runner.stop()
        XCTAssertEqual(transport.deliveries.keys.sorted(), ids.sorted())
        XCTAssertEqual(Set(transport.deliveries.values), [1], "each item exactly once despite overlapping scans")
        XCTAssertLessThanOrEqual(transport.maxActive, 3)
        XCTAssertEqual(try spool.list(), [])
    }
}

/// The real file system, running `hook` before each link into `directory` (a moment inside local delivery).
struct HookedLinksInto: FileOperations {
    let real = POSIXFileOperations()
    let directory: String
    let hook: @Sendable () -> Void
    func createExclusive(_ path: String) throws -> Int32 { try real.createExclusive(path) }
    func openAppend(_ path: String) throws -> Int32 { try real.openAppend(path) }
    func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws { try real.write(fd, bytes, path: path) }
    func fsync(_ fd: Int32, path: String) throws { try real.fsync(fd, path: path) }
    func setModificationTime(_ fd: Int32, seconds: Int, path: String) throws {
        try real.setModificationTime(fd, seconds: seconds, path: path)
    }
    func close(_ fd: Int32) { real.close(fd) }
    func link(_ from: String, _ to: String) throws {
        if to.hasPrefix(directory) { hook() }
        try real.link(from, to)
    }
    func rename(_ from: String, _ to: String) throws { try real.rename(from, to) }
    func unlink(_ path: String) throws { try real.unlink(path) }
    func fsyncDirectory(_ path: String) throws { try real.fsyncDirectory(path) }
}
