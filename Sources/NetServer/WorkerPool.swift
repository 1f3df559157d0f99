import Dispatch
import MailCore

/// A bounded pool for blocking work: at most `width` jobs run at once, the rest wait in FIFO order.
/// I/O queues never block; a busy pool delays only the connections waiting on it.
public final class WorkerPool: Sendable {
    public let name: String
    public let width: Int
    private let queue: DispatchQueue
    private struct State {
        var running = 0
        var waiting: [@Sendable () -> Void] = []
        var head = 0
    }
    private let state = Locked(State())

    /// `qos` below the I/O queues' lets CPU-heavy pools (password hashing) yield to open sessions.
    public init(name: String, width: Int, qos: DispatchQoS = .default) {
        precondition(width > 0)
        self.name = name
        self.width = width
        queue = DispatchQueue(label: "govmail.worker.\(name)", qos: qos, attributes: .concurrent)
    }

    /// Runs `job` when a slot is free.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        let startNow = state.withLock { s -> Bool in
            if s.running < width { s.running += 1; return true }
            s.waiting.append(job)
            return false
        }
        if startNow { launch(job) }
    }

    /// Jobs running and waiting (for logs and tests).
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.waiting.count - $0.head) }
    }

    private func launch(_ job: @escaping @Sendable () -> Void) {
        queue.async {
            job()
            self.finished()
        }
    }

    private func finished() {
        let next: (@Sendable () -> Void)? = state.withLock { s in
            guard s.head < s.waiting.count else {
                s.running -= 1
                s.waiting = []
                s.head = 0
                return nil
            }
            let job = s.waiting[s.head]
            s.head += 1
            if s.head > 64 && s.head * 2 > s.waiting.count { s.waiting.removeFirst(s.head); s.head = 0 }
            return job
        }
        if let next { launch(next) }
    }
}
