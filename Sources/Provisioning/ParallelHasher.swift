import Credentials
import Dispatch
import MailCore

/// Hashes many passwords on a bounded number of threads (scrypt is memory-hard: each thread holds
/// its own 32 MiB block, so the bound also bounds memory).
public struct ParallelHasher: Sendable {
    public let hasher: PasswordHasher
    public let threads: Int

    public init(hasher: PasswordHasher, threads: Int = 2) {
        self.hasher = hasher
        self.threads = max(1, threads)
    }

    /// Hashes of `passwords`, in order. `progress(done)` is called from worker threads, one call at
    /// a time and with `done` increasing, so progress output never goes backwards.
    public func hashAll(_ passwords: [Secret], progress: @escaping @Sendable (Int) -> Void = { _ in }) throws
        -> [Secret]
    {
        let n = passwords.count
        let results = Locked<[Secret?]>(Array(repeating: nil, count: n))
        let failure = Locked<(any Error)?>(nil)
        let done = Locked<Int>(0)
        let workers = min(threads, max(n, 1))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: n, by: workers) {
                if failure.withLock({ $0 != nil }) { return }
                do {
                    let h = Secret(try hasher.hash(passwords[i]))
                    results.withLock { $0[i] = h }
                    done.withLock { count in
                        count += 1
                        progress(count)
                    }
                } catch {
                    failure.withLock { $0 = error }
                    return
                }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return results.withLock { $0.map { $0! } }
    }
}
