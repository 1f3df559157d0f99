/// Connection counts overall and per client address, as a value; the server keeps it under a lock.
///
/// A connection on a listener that requires login counts as pre-authentication until
/// `authenticated(_:)`. Pre-authentication connections have their own, smaller cap per address,
/// so idle unauthenticated connections from one address (an office behind NAT, or an attacker
/// in it) can hold at most `maxPreAuthPerAddress` slots and never the rest of `maxPerAddress`,
/// which stays available to that address's logged-in sessions.
public struct ConnectionLimiter: Sendable, Equatable {
    public var maxTotal: Int
    public var maxPerAddress: Int
    public var maxPreAuthPerAddress: Int
    public private(set) var total = 0
    private var perAddress: [String: Int] = [:]
    private var preAuthPerAddress: [String: Int] = [:]

    public init(maxTotal: Int, maxPerAddress: Int, maxPreAuthPerAddress: Int? = nil) {
        self.maxTotal = maxTotal
        self.maxPerAddress = maxPerAddress
        self.maxPreAuthPerAddress = maxPreAuthPerAddress ?? maxPerAddress
    }

    /// Counts the connection in, or says why it must be refused (then nothing is counted).
    /// `preAuth`: the listener requires login, so the connection starts unauthenticated.
    public mutating func admit(_ address: String, preAuth: Bool = false) -> RefusalReason? {
        if total >= maxTotal { return .tooManyConnections }
        let n = perAddress[address, default: 0]
        if n >= maxPerAddress { return .tooManyFromAddress }
        if preAuth {
            let p = preAuthPerAddress[address, default: 0]
            if p >= maxPreAuthPerAddress { return .tooManyFromAddress }
            preAuthPerAddress[address] = p + 1
        }
        total += 1
        perAddress[address] = n + 1
        return nil
    }

    /// A pre-authentication connection logged in: it leaves the pre-authentication count.
    public mutating func authenticated(_ address: String) {
        guard let p = preAuthPerAddress[address] else { return }
        preAuthPerAddress[address] = p > 1 ? p - 1 : nil
    }

    /// Counts an admitted connection out; `preAuth` when it never authenticated.
    public mutating func release(_ address: String, preAuth: Bool = false) {
        guard let n = perAddress[address] else { return }
        total -= 1
        perAddress[address] = n > 1 ? n - 1 : nil
        if preAuth { authenticated(address) }
    }

    public func count(for address: String) -> Int { perAddress[address, default: 0] }
    public func preAuthCount(for address: String) -> Int { preAuthPerAddress[address, default: 0] }
}
