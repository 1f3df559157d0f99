import MailCore
import Synchronization

/// A clock tests advance by hand, so timeouts are tested without sleeping.
public final class ManualClock: MailClock, @unchecked Sendable {
    private let value: Mutex<Double>
    public init(_ start: Double = 1_790_000_000) { value = Mutex(start) }
    public func now() -> Double { value.withLock { $0 } }
    public func advance(_ seconds: Double) { value.withLock { $0 += seconds } }
}
