import Credentials
import MailCore
import NetServer

/// Remembers logins that passed a full password verification, so the next login of the same
/// account with the same password and credential generation skips the password hash.
///
/// Kept per account: one HMAC-SHA256 digest of (account id, credential generation, password) under
/// a key made at server start that is never written anywhere (`KeyedDigest`), so nothing here lets
/// anyone test password guesses offline, and nothing of it is on disk. An entry expires `ttl`
/// seconds after the verification that made it (hits do not extend it). At most `capacity`
/// accounts are remembered; the oldest verification is forgotten first, so memory stays below
/// `capacity × bytesPerEntry`. The credential generation is read from SQLite on every login and
/// changes with every password change, disable, delete or move made by any process, so such a
/// change stops cached logins at once. Failed logins never enter the cache.
public final class VerifiedCredentialCache: Sendable {
    /// Upper bound of the bytes one entry costs: dictionary slot, digest, expiry, eviction slot.
    public static let bytesPerEntry = 128

    public let ttl: Double
    public let capacity: Int

    private struct Entry {
        var digest: [UInt8]
        var expires: Double
        var serial: UInt64
    }
    private struct State {
        var entries: [Int64: Entry] = [:]
        /// Verification order, for forgetting the oldest first; slots of replaced entries are skipped.
        var order: [(account: Int64, serial: UInt64)] = []
        var head = 0
        var serial: UInt64 = 0
    }
    private let state = Locked(State())
    private let keyed: KeyedDigest

    /// `capacity` 0 or `ttl` ≤ 0 turns the cache off (every login pays a full verification).
    public init(ttl: Double, capacity: Int) throws {
        self.ttl = ttl
        self.capacity = max(0, capacity)
        keyed = try KeyedDigest()
    }

    public var isEnabled: Bool { capacity > 0 && ttl > 0 }

    /// Accounts currently remembered.
    public var count: Int { state.withLock { $0.entries.count } }

    /// True when this password was verified for this account and generation less than `ttl` ago.
    public func matches(accountID: Int64, generation: Int64, password: Secret, now: Double) -> Bool {
        guard isEnabled else { return false }
        let digest = digest(accountID, generation, password)
        guard let stored = state.withLock({ s in s.entries[accountID].flatMap { $0.expires > now ? $0.digest : nil } })
        else { return false }
        return ConstantTime.equal(stored, digest)
    }

    /// Records a successful full verification.
    public func remember(accountID: Int64, generation: Int64, password: Secret, now: Double) {
        guard isEnabled else { return }
        let digest = digest(accountID, generation, password)
        let capacity = self.capacity, ttl = self.ttl
        state.withLock { s in
            if s.entries[accountID] == nil { Self.makeRoom(&s, capacity: capacity, now: now) }
            s.serial += 1
            s.entries[accountID] = Entry(digest: digest, expires: now + ttl, serial: s.serial)
            s.order.append((accountID, s.serial))
            Self.compact(&s, capacity: capacity)
        }
    }

    /// Forgets an account.
    public func forget(accountID: Int64) {
        _ = state.withLock { $0.entries.removeValue(forKey: accountID) }
    }

    private static func makeRoom(_ s: inout State, capacity: Int, now: Double) {
        // Expired entries at the head go first, then the oldest while the cache is full.
        while s.head < s.order.count {
            let (account, serial) = s.order[s.head]
            guard let e = s.entries[account], e.serial == serial else { s.head += 1; continue }
            guard e.expires <= now || s.entries.count >= capacity else { break }
            s.entries.removeValue(forKey: account)
            s.head += 1
        }
    }

    private static func compact(_ s: inout State, capacity: Int) {
        let live = s.order.count - s.head
        if s.head > 1024 && s.head * 2 > s.order.count || live > 2 * max(capacity, 512) {
            let entries = s.entries
            s.order = s.order[s.head...].filter { entries[$0.account]?.serial == $0.serial }
            s.head = 0
        }
    }

    private func digest(_ account: Int64, _ generation: Int64, _ password: Secret) -> [UInt8] {
        var header = [UInt8]()
        withUnsafeBytes(of: account.bigEndian) { header.append(contentsOf: $0) }
        withUnsafeBytes(of: generation.bigEndian) { header.append(contentsOf: $0) }
        return keyed.digest(header, password)
    }
}
