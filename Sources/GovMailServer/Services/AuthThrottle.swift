import GovMailConfig
import MailCore
import NetServer

/// Slows and limits password guessing, shared by SMTP AUTH, IMAP LOGIN/AUTHENTICATE and every
/// other login path.
///
/// Failures are remembered per client address for `window` seconds. A failed attempt is answered
/// after `replyDelay` plus `failureDelayStep` per recent failure of that address (capped at
/// `maxDelay`); `maxFailures` failures within the window block the address for `blockDuration`.
/// A correct password is never delayed.
///
/// Accounts are never blocked: an attacker who knows an official's address could otherwise keep
/// the official out of mail all day with ten packets a quarter hour. Only the addresses that
/// failed are slowed and blocked, so the owner logging in from an address with no recent failures
/// gets in at once. Failures for one account are still counted across addresses so that an account
/// under attack is reported (`recordFailure` says when it crosses the threshold). The delay is a
/// timer on the connection, never a sleep on a shared queue. See docs/SECURITY.md.
public final class AuthThrottle: Sendable {
    private struct Record { var failures: [Double] = []; var blockedUntil: Double = 0; var warnedUntil: Double = 0 }
    private struct State { var byAddress: [String: Record] = [:]; var byAccount: [String: Record] = [:]; var calls = 0 }
    private let state = Locked(State())
    private let settings: Config.Auth
    /// Bound on remembered keys, so a flood of random names cannot grow memory without limit.
    private let maxKeys = 200_000

    public init(settings: Config.Auth) { self.settings = settings }

    /// Whether attempts from this address are currently refused (whatever the account).
    public func isBlocked(address: String, now: Double) -> Bool {
        state.withLock { s in (s.byAddress[address]?.blockedUntil ?? 0) > now }
    }

    /// Seconds the reply to a failed or refused attempt from this address must wait.
    public func failureDelay(address: String, now: Double) -> Double {
        let recent = state.withLock { s in Self.recent(s.byAddress[address], now, settings.window) }
        return min(settings.maxDelay, settings.replyDelay + settings.failureDelayStep * Double(recent))
    }

    /// What a failure changed that the caller should log.
    public struct FailureEffect: Sendable, Equatable {
        /// This failure blocked the address.
        public var addressBlocked = false
        /// The account has now had `maxFailures` failures within the window, from any addresses
        /// (reported once per window).
        public var accountUnderAttack = false
        /// Failures recorded for the account within the window.
        public var accountFailures = 0
    }

    @discardableResult
    public func recordFailure(address: String, account: String, now: Double) -> FailureEffect {
        state.withLock { s in
            s.calls += 1
            if s.calls % 1024 == 0 { prune(&s, now) }
            var effect = FailureEffect()
            var a = s.byAddress[address] ?? Record()
            a.failures = a.failures.filter { now - $0 < Double(settings.window) } + [now]
            if a.failures.count >= settings.maxFailures && a.blockedUntil <= now {
                a.blockedUntil = now + Double(settings.blockDuration)
                effect.addressBlocked = true
            }
            s.byAddress[address] = a
            let key = account.lowercased()
            var r = s.byAccount[key] ?? Record()
            r.failures = r.failures.filter { now - $0 < Double(settings.window) } + [now]
            effect.accountFailures = r.failures.count
            if r.failures.count >= settings.maxFailures && r.warnedUntil <= now {
                r.warnedUntil = now + Double(settings.window)
                effect.accountUnderAttack = true
            }
            s.byAccount[key] = r
            return effect
        }
    }

    private static func recent(_ r: Record?, _ now: Double, _ window: Int) -> Int {
        r?.failures.filter { now - $0 < Double(window) }.count ?? 0
    }

    private func prune(_ s: inout State, _ now: Double) {
        let w = Double(settings.window)
        func keep(_ r: Record) -> Bool {
            r.blockedUntil > now || r.warnedUntil > now || (r.failures.last.map { now - $0 < w } ?? false)
        }
        s.byAddress = s.byAddress.filter { keep($0.value) }
        s.byAccount = s.byAccount.filter { keep($0.value) }
        if s.byAddress.count > maxKeys { s.byAddress.removeAll() }
        if s.byAccount.count > maxKeys { s.byAccount.removeAll() }
    }
}
