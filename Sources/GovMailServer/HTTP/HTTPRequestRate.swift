import MailCore
import NetServer

/// Requests per client address, as a token bucket per address shared by every http connection:
/// `perMinute` requests in a burst, refilled evenly over a minute. Bounded memory: when the table
/// grows past `maxAddresses`, addresses whose bucket is full again are forgotten.
final class HTTPRequestRate: Sendable {
    private struct Bucket { var tokens: Double; var updated: Double }
    private let perMinute: Double
    private let maxAddresses: Int
    private let buckets = Locked([String: Bucket]())

    init(perMinute: Int, maxAddresses: Int = 10_000) {
        self.perMinute = Double(perMinute)
        self.maxAddresses = maxAddresses
    }

    /// Nil when the request may go ahead; otherwise the seconds until one more is allowed.
    func admit(_ address: String, now: Double) -> Int? {
        let rate = perMinute / 60
        return buckets.withLock { table -> Int? in
            var b = table[address] ?? Bucket(tokens: perMinute, updated: now)
            b.tokens = min(perMinute, b.tokens + max(0, now - b.updated) * rate)
            b.updated = now
            defer {
                table[address] = b
                if table.count > maxAddresses {
                    table = table.filter { $0.value.tokens + (now - $0.value.updated) * rate < perMinute }
                }
            }
            if b.tokens >= 1 { b.tokens -= 1; return nil }
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }
}
