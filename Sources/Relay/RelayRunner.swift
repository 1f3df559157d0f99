import AccountStore
import Dispatch
import GovMailConfig
import Logging
import MailCore
import MaildirStore
import NetServer
import SMTPProtocol

/// The relay queue runner: picks due items from the spool, hands them to the smarthost, records
/// each recipient's result durably, retries with backoff, bounces what failed for good, and
/// removes an item once no recipient is pending.
///
/// Invariants:
/// - The spool is the truth. Nothing about an item lives only in memory, so a restart (or a
///   crash) picks up every item; at worst an attempt in flight is repeated (at-least-once).
/// - One attempt per item at a time (`inFlight`), at most `concurrency` attempts at once, on the
///   relay's own `WorkerPool`: blocking socket calls never reach a connection queue.
/// - A bounce is durable in the sender's INBOX before the failed recipients are marked; if it
///   cannot be written, those recipients stay pending and are tried again.
/// - An item removed behind the runner's back (`govmail queue delete`) is never written again.
/// - A held item (its submission not yet answered 250) is never sent. `start()` removes the held
///   items a previous process left behind; it runs before the listeners accept (`ServerRuntime`),
///   so no session of this process can hold one yet.
/// - Logs carry ids, addresses and smarthost replies; never message text or the relay password.
public final class RelayRunner: Sendable {
    private let spool: RelayQueue
    private let transport: any RelayTransport
    private let bouncer: RelayBouncer
    private let policy: RelayRetryPolicy
    private let clock: any MailClock
    private let logger: Logger
    private let enabled: Bool
    private let concurrency: Int
    /// Seconds between scans of the spool; a `poke()` scans at once.
    public let tickInterval: Double
    private let pool: WorkerPool
    private let control = DispatchQueue(label: "govmail.relay.control")
    private let attempts = DispatchGroup()
    private struct State {
        var running = false
        var inFlight: Set<String> = []
        /// A scan found more due items than free slots: scan again when a slot frees up.
        var backlog = false
    }
    private let state = Locked(State())
    private let timer: Locked<(any DispatchSourceTimer)?> = Locked(nil)

    /// The runner for the configured smarthost (`smtp.relay`), as `ServerServices` builds it.
    public convenience init(
        config: Config, queue: RelayQueue, directory: any DirectoryService, layout: MaildirLayout,
        delivery: MaildirDelivery, notifier: any FolderChangePosting, clock: any MailClock, logger: Logger
    ) {
        self.init(
            queue: queue, transport: SmarthostClient(config: config, logger: logger),
            bouncer: RelayBouncer(
                reportingHost: config.hostname, directory: directory, layout: layout,
                delivery: delivery, notifier: notifier, logger: logger),
            policy: RelayRetryPolicy(
                retrySchedule: config.smtp.relay.retrySchedule,
                maxAge: Double(config.smtp.relay.maxAge)),
            clock: clock, logger: logger, enabled: config.smtp.relay.isEnabled)
    }

    public init(
        queue: RelayQueue, transport: any RelayTransport, bouncer: RelayBouncer, policy: RelayRetryPolicy,
        clock: any MailClock, logger: Logger, enabled: Bool = true, concurrency: Int = 4
    ) {
        spool = queue
        self.transport = transport
        self.bouncer = bouncer
        self.policy = policy
        self.clock = clock
        self.logger = logger
        self.enabled = enabled
        self.concurrency = max(1, concurrency)
        // Short schedules (tests) are honoured to the second; production scans every 15 s.
        tickInterval = Double(min(15, max(1, policy.retrySchedule.min() ?? 15)))
        pool = WorkerPool(name: "relay", width: self.concurrency)
    }

    /// Starts the periodic scan (and scans once at once, so items left by a restart go out).
    /// Without a smarthost nothing is sent; queued items wait and a warning says what to do.
    /// Call it before the listeners accept connections: it removes every held item.
    public func start() {
        removeAbandonedHeldItems()
        guard enabled else {
            let waiting = (try? spool.list().count) ?? 0
            if waiting > 0 {
                logger.warning(
                    "relay queue not running: smtp.relay.host is empty",
                    metadata: [
                        "queued": "\(waiting)",
                        "action": "set smtp.relay.host to deliver them, or remove them with `govmail queue delete ID`",
                    ])
            }
            return
        }
        state.withLock { $0.running = true }
        let t = DispatchSource.makeTimerSource(queue: control)
        t.schedule(deadline: .now() + tickInterval, repeating: tickInterval, leeway: .milliseconds(200))
        t.setEventHandler { [weak self] in self?.scan() }
        t.resume()
        timer.withLock { $0 = t }
        let waiting = (try? spool.list().count) ?? 0
        logger.info("relay queue runner started", metadata: ["queued": "\(waiting)", "every": "\(Int(tickInterval))s"])
        poke()
    }

    /// Held items at startup belong to sessions of a previous process that never answered 250: the
    /// client will send again, so sending them too would duplicate the message.
    private func removeAbandonedHeldItems() {
        do {
            for item in try spool.removeHeldItems() {
                logger.warning(
                    "relay item removed at startup: its submission was never confirmed (no 250), the client will send it again",
                    metadata: [
                        "item": "\(item.id)", "from": "<\(item.sender)>",
                        "to": "\(item.recipients.map(\.address).joined(separator: ","))",
                    ])
            }
        } catch {
            logger.error(
                "cannot remove unconfirmed relay items at startup; they stay held and are never sent",
                metadata: ["dir": "\(spool.directory)", "error": "\(error)"])
        }
    }

    /// Stops scanning and waits (up to `grace` seconds) for attempts in flight; an attempt cut
    /// short is repeated after the next start.
    public func stop(grace: Double = 10) {
        timer.withLock { t in
            t?.cancel(); t = nil
        }
        let wasRunning = state.withLock { s -> Bool in
            defer { s.running = false }; return s.running
        }
        guard wasRunning else { return }
        if attempts.wait(timeout: .now() + grace) == .timedOut {
            logger.warning("relay attempts still running at shutdown; they will be repeated after the next start")
        }
    }

    /// Scans the spool now (call after an enqueue so new mail does not wait for the next tick).
    public func poke() {
        control.async { [weak self] in self?.scan() }
    }

    /// Attempts every due item on the calling thread and returns when all are done (tests and tools).
    public func runDueItems() {
        for id in dueItemIDs(now: clock.now()) where claim(id) {
            attempt(id)
            release(id)
        }
    }

    private func scan() {
        guard state.withLock({ $0.running }) else { return }
        for id in dueItemIDs(now: clock.now()) {
            guard claim(id) else { continue }
            attempts.enter()
            pool.submit { [self] in
                attempt(id)
                release(id)
                attempts.leave()
            }
        }
    }

    private func dueItemIDs(now: Double) -> [String] {
        do {
            return try spool.list().filter { !$0.isHeld && $0.nextAttemptAt <= now }.map(\.id)
        } catch {
            logger.error("cannot read the relay queue", metadata: ["dir": "\(spool.directory)", "error": "\(error)"])
            return []
        }
    }

    private func claim(_ id: String) -> Bool {
        state.withLock { s in
            guard !s.inFlight.contains(id) else { return false }
            guard s.inFlight.count < concurrency else { s.backlog = true; return false }
            s.inFlight.insert(id)
            return true
        }
    }

    private func release(_ id: String) {
        let rescan = state.withLock { s -> Bool in
            s.inFlight.remove(id)
            defer { s.backlog = false }
            return s.backlog && s.running
        }
        if rescan { poke() }
    }

    /// One delivery attempt for one item, from the spool back to the spool.
    private func attempt(_ id: String) {
        guard var item = try? spool.load(id) else { return }  // deleted meanwhile
        guard !item.isHeld else { return }
        if item.pendingRecipients.isEmpty { return finish(item) }
        var outcomes: [(EmailAddress, RelayRecipientOutcome)] = []
        let sender: EmailAddress? = item.sender.isEmpty ? nil : try? EmailAddress(item.sender)
        if !item.sender.isEmpty && sender == nil {
            logger.error("relay item has an invalid sender; it cannot be sent or bounced", metadata: ["item": "\(id)"])
            markUnusable(
                &item,
                "553 5.1.7 The queued sender address is not valid; remove the message with `govmail queue delete`")
            return finish(item)
        }
        var recipients: [EmailAddress] = []
        for index in item.recipients.indices where item.recipients[index].state == .pending {
            if let address = try? EmailAddress(item.recipients[index].address) {
                recipients.append(address)
            } else {
                item.recipients[index].state = .failed
                item.recipients[index].lastResult = "553 5.1.3 The queued recipient address is not valid"
                logger.error("relay item has an invalid recipient; skipped", metadata: ["item": "\(id)"])
            }
        }
        let message: [UInt8]
        var hadMessage = true
        do {
            message = try spool.message(id)
            let envelope = RelayEnvelope(
                sender: sender, recipients: recipients, message: message,
                smtpUTF8: !item.sender.allSatisfy(\.isASCII) || recipients.contains { !$0.isASCII })
            if !recipients.isEmpty { outcomes = transport.deliver(envelope, itemID: id) }
        } catch {
            message = []
            hadMessage = false
            logger.error(
                "relay item's message file is missing or unreadable; it stays queued until max_age, then bounces",
                metadata: ["item": "\(id)", "file": "\(spool.directory)/messages/\(id).eml"])
            let reply = SMTPReply(
                451, "4.3.0", "The queued message file cannot be read; check \(spool.directory)/messages")
            outcomes = recipients.map { ($0, .transientFailure(reply)) }
        }
        let now = clock.now()
        var decision = policy.apply(outcomes, to: item, now: now)
        for (address, outcome) in outcomes { log(id, address, outcome, attempt: decision.item.attempts) }
        if !decision.bounced.isEmpty {
            do {
                _ = try bouncer.bounce(decision.item, message: message, failed: decision.bounced, now: now)
            } catch {
                logger.error(
                    "relay bounce could not be written; the recipients stay queued and it is tried again",
                    metadata: ["item": "\(id)", "error": "\(error)"])
                let keys = Set(decision.bounced.map(\.address.key))
                for index in decision.item.recipients.indices
                where (try? EmailAddress(decision.item.recipients[index].address)).map({ keys.contains($0.key) })
                    == true
                {
                    decision.item.recipients[index].state = .pending
                }
            }
        }
        finish(decision.item, hadMessage: hadMessage)
    }

    /// Writes the item back (or removes it when nobody is pending), unless it was deleted meanwhile.
    private func finish(_ item: RelayQueueItem, hadMessage: Bool = true) {
        guard (try? spool.load(item.id)) != nil else {
            logger.notice(
                "relay item was removed during its attempt; not written back", metadata: ["item": "\(item.id)"])
            return
        }
        do {
            if item.pendingRecipients.isEmpty {
                try spool.remove(item.id)
                logger.info("relay item done", metadata: ["item": "\(item.id)", "attempts": "\(item.attempts)"])
            } else {
                try spool.update(item)
                // `queue delete` may have removed the item between the check above and the write:
                // an envelope without its message must not stay behind.
                if hadMessage && !spool.hasMessage(item.id) { try spool.remove(item.id) }
            }
        } catch {
            logger.error(
                "cannot update the relay queue; the attempt will be repeated",
                metadata: ["item": "\(item.id)", "error": "\(error)"])
        }
    }

    private func markUnusable(_ item: inout RelayQueueItem, _ result: String) {
        item.attempts += 1
        for index in item.recipients.indices where item.recipients[index].state == .pending {
            item.recipients[index].state = .failed
            item.recipients[index].lastResult = result
        }
    }

    private func log(_ id: String, _ address: EmailAddress, _ outcome: RelayRecipientOutcome, attempt: Int) {
        let (what, reply): (String, SMTPReply) =
            switch outcome {
            case .delivered(let r): ("delivered", r)
            case .transientFailure(let r): ("deferred", r)
            case .permanentFailure(let r): ("refused", r)
            }
        logger.info(
            "relay \(what)",
            metadata: [
                "item": "\(id)", "to": "\(address)", "attempt": "\(attempt)",
                "reply": "\(RelayRetryPolicy.summary(reply))",
            ])
    }
}
