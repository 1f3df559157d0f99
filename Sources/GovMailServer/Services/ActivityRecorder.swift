import AccountStore
import Dispatch
import Logging
import MailCore
import NetServer

/// Buffers per-account, per-day usage counters in memory and flushes them to the directory every
/// `flushInterval` seconds and at shutdown, so recording never blocks a connection.
///
/// A crash loses at most one interval of counters (acceptable: they are statistics); mail is never
/// at stake here. A failed flush keeps the counters for the next one.
///
/// With `pruning`, the same queue also removes daily rows older than `analytics.retention_months`:
/// once at `start`, then at the first flush tick a day after the last pruning.
public final class ActivityRecorder: Sendable {
    private struct Key: Hashable { let accountID: Int64; let day: String }
    private let pending = Locked<[Key: ActivityIncrement]>([:])
    private let directory: any DirectoryService
    private let calendar: DayCalendar
    private let clock: any MailClock
    private let logger: Logger
    private let queue = DispatchQueue(label: "govmail.activity-flush")
    private let timer: Locked<(any DispatchSourceTimer)?> = Locked(nil)
    private let pruning: ActivityPruning?
    /// When the next pruning is due (clock seconds); 0 = at once.
    private let nextPruneAt = Locked<Double>(0)

    public init(
        directory: any DirectoryService, calendar: DayCalendar, clock: any MailClock, logger: Logger,
        pruning: ActivityPruning? = nil
    ) {
        self.directory = directory
        self.calendar = calendar
        self.clock = clock
        self.logger = logger
        self.pruning = pruning
    }

    /// Adds counters for an account on today's date (in the configured time zone).
    public func record(accountID: Int64, _ counters: ActivityCounters, client: String? = nil) {
        let key = Key(accountID: accountID, day: calendar.day(clock.now()))
        pending.withLock { p in
            var inc = p[key] ?? ActivityIncrement(accountID: key.accountID, day: key.day)
            inc.counters += counters
            if let client, !client.isEmpty { inc.clientLogins[client, default: 0] += 1 }
            p[key] = inc
        }
    }

    /// Starts the periodic flush (and prunes old daily rows now, then daily).
    public func start(every seconds: Int) {
        queue.async { [weak self] in self?.pruneIfDueNow() }
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds), leeway: .seconds(1))
        t.setEventHandler { [weak self] in
            _ = self?.flushNow()
            self?.pruneIfDueNow()
        }
        t.resume()
        timer.withLock { $0 = t }
    }

    /// Stops the timer and writes whatever is buffered (called at shutdown). Returns the error when
    /// the counters could not be written: they are lost with the process, and the caller must say so.
    @discardableResult
    public func stop() -> (any Error)? {
        timer.withLock { t in
            t?.cancel(); t = nil
        }
        return queue.sync { flushNow() }
    }

    /// Writes the buffered counters in one transaction; on failure they are kept for the next try.
    public func flush() { queue.sync { _ = flushNow() } }

    /// Prunes if a day has passed since the last pruning (what each timer tick does after its flush).
    func pruneIfDue() { queue.sync { pruneIfDueNow() } }

    private func pruneIfDueNow() {
        guard let pruning else { return }
        let now = clock.now()
        guard now >= nextPruneAt.withLock({ $0 }) else { return }
        do {
            let (day, pruned) = try pruning.prune(now: now, timeZone: calendar.timeZone)
            nextPruneAt.withLock { $0 = now + ActivityPruning.interval }
            if pruned.dailyRows + pruned.clientRows > 0 {
                logger.info(
                    "old usage counters removed (analytics.retention_months; monthly totals are kept)",
                    metadata: [
                        "before": "\(day)", "daily_rows": "\(pruned.dailyRows)",
                        "client_rows": "\(pruned.clientRows)",
                    ])
            }
        } catch {
            nextPruneAt.withLock { $0 = now + ActivityPruning.retryInterval }
            logger.warning(
                "old usage counters could not be removed; will retry in an hour",
                metadata: ["error": "\(error)"])
        }
    }

    /// Nil when everything buffered is saved; otherwise the error (the counters stay buffered).
    private func flushNow() -> (any Error)? {
        let batch = pending.withLock { p -> [ActivityIncrement] in
            defer { p.removeAll() }
            return Array(p.values)
        }
        guard !batch.isEmpty else { return nil }
        do {
            try directory.recordActivity(batch)
            return nil
        } catch {
            logger.warning(
                "usage counters not saved yet; will retry", metadata: ["error": "\(error)", "rows": "\(batch.count)"])
            pending.withLock { p in
                for inc in batch {
                    let key = Key(accountID: inc.accountID, day: inc.day)
                    if var existing = p[key] {
                        existing.counters += inc.counters
                        for (c, n) in inc.clientLogins { existing.clientLogins[c, default: 0] += n }
                        p[key] = existing
                    } else {
                        p[key] = inc
                    }
                }
            }
            return error
        }
    }
}
