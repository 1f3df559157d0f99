import GovMailConfig
import NetServer

/// Slows and limits password guessing, shared by SMTP AUTH and IMAP LOGIN/AUTHENTICATE.
///
/// Each failure is remembered per client address and per account name for `window` seconds.
/// Every reply waits `replyDelay` plus `failureDelayStep` per recent failure (capped at
/// `maxDelay`), whatever the outcome, so timing tells nothing; `maxFailures` failures within the
/// window block the address or account for `blockDuration`. The delay is a timer on the
/// connection, never a sleep on a shared queue.
public final class AuthThrottle: Sendable {
    private struct Record { var failures: [Double] = []; var blockedUntil: Double = 0 }
    private struct State { var byAddress: [String: Record] = [:]; var byAccount: [String: Record] = [:]; var calls = 0 }
    private let state = Locked(State())
    private let settings: Config.Auth
    /// Bound on remembered keys, so a flood of random names cannot grow memory without limit.
    private let maxKeys = 200_000

    public init(settings: Config.Auth) { self.settings = settings }

    /// Whether attempts from this address or for this account are currently refused.
    public func isBlocked(address: String, account: String, now: Double) -> Bool {
        state.withLock { s in
            (s.byAddress[address]?.blockedUntil ?? 0) > now
                || (s.byAccount[account.lowercased()]?.blockedUntil ?? 0) > now
        }
    }

    /// Seconds the reply to an attempt must wait, from the failures seen so far.
    public func replyDelay(address: String, account: String, now: Double) -> Double {
        let recent = state.withLock { s in
            max(
                Self.recent(s.byAddress[address], now, settings.window),
                Self.recent(s.byAccount[account.lowercased()], now, settings.window))
        }
        return min(settings.maxDelay, settings.replyDelay + settings.failureDelayStep * Double(recent))
    }

    public func recordFailure(address: String, account: String, now: Double) {
        state.withLock { s in
            s.calls += 1
            if s.calls % 1024 == 0 { prune(&s, now) }
            for (key, isAccount) in [(address, false), (account.lowercased(), true)] {
                var r = (isAccount ? s.byAccount[key] : s.byAddress[key]) ?? Record()
                r.failures = r.failures.filter { now - $0 < Double(settings.window) } + [now]
                if r.failures.count >= settings.maxFailures { r.blockedUntil = now + Double(settings.blockDuration) }
                if isAccount { s.byAccount[key] = r } else { s.byAddress[key] = r }
            }
        }
    }

    /// A successful login clears the account's failures (the address keeps its own record).
    public func recordSuccess(account: String) {
        _ = state.withLock { s in s.byAccount.removeValue(forKey: account.lowercased()) }
    }

    private static func recent(_ r: Record?, _ now: Double, _ window: Int) -> Int {
        r?.failures.filter { now - $0 < Double(window) }.count ?? 0
    }

    private func prune(_ s: inout State, _ now: Double) {
        let w = Double(settings.window)
        s.byAddress = s.byAddress.filter {
            $0.value.blockedUntil > now || ($0.value.failures.last.map { now - $0 < w } ?? false)
        }
        s.byAccount = s.byAccount.filter {
            $0.value.blockedUntil > now || ($0.value.failures.last.map { now - $0 < w } ?? false)
        }
        if s.byAddress.count > maxKeys { s.byAddress.removeAll() }
        if s.byAccount.count > maxKeys { s.byAccount.removeAll() }
    }
}
