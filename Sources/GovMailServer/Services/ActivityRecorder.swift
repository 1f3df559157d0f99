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
public final class ActivityRecorder: Sendable {
    private struct Key: Hashable { let accountID: Int64; let day: String }
    private let pending = Locked<[Key: ActivityIncrement]>([:])
    private let directory: any DirectoryService
    private let calendar: DayCalendar
    private let clock: any MailClock
    private let logger: Logger
    private let queue = DispatchQueue(label: "govmail.activity-flush")
    private let timer: Locked<(any DispatchSourceTimer)?> = Locked(nil)

    public init(directory: any DirectoryService, calendar: DayCalendar, clock: any MailClock, logger: Logger) {
        self.directory = directory
        self.calendar = calendar
        self.clock = clock
        self.logger = logger
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

    /// Starts the periodic flush.
    public func start(every seconds: Int) {
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds), leeway: .seconds(1))
        t.setEventHandler { [weak self] in self?.flushNow() }
        t.resume()
        timer.withLock { $0 = t }
    }

    /// Stops the timer and writes whatever is buffered (called at shutdown).
    public func stop() {
        timer.withLock { t in t?.cancel(); t = nil }
        queue.sync { flushNow() }
    }

    /// Writes the buffered counters in one transaction; on failure they are kept for the next try.
    public func flush() { queue.sync { flushNow() } }

    private func flushNow() {
        let batch = pending.withLock { p -> [ActivityIncrement] in
            defer { p.removeAll() }
            return Array(p.values)
        }
        guard !batch.isEmpty else { return }
        do {
            try directory.recordActivity(batch)
        } catch {
            logger.warning("usage counters not saved yet; will retry", metadata: ["error": "\(error)", "rows": "\(batch.count)"])
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
        }
    }
}
