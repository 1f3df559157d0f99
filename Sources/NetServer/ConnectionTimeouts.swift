/// Every time bound of one connection as a pure state machine: given `now`, it says which bounds
/// expired and when to look again. The connection owns the timer; tests drive this with a manual clock.
public struct ConnectionTimeouts: Sendable, Equatable {
    /// A bound that expired.
    public enum Expiry: Sendable, Equatable, Hashable {
        case handshake, idle, slowInput, deadline, closing, preAuthentication
        case timer(String)
    }

    public var slowInputLimit: Double
    private var handshakeDeadline: Double?
    private var idleLimit: Double?
    private var lastInput: Double
    private var partialSince: Double?
    private var deadline: Double?
    private var closingDeadline: Double?
    private var preAuthDeadline: Double?
    private var timers: [String: Double] = [:]

    /// `now` starts the idle clock; `slowInputLimit` bounds how long a partial frame may trickle in (slowloris).
    public init(now: Double, idleLimit: Double?, slowInputLimit: Double) {
        lastInput = now
        self.idleLimit = idleLimit
        self.slowInputLimit = slowInputLimit
    }

    public mutating func startHandshake(now: Double, limit: Double) { handshakeDeadline = now + limit }
    public mutating func handshakeFinished() { handshakeDeadline = nil }
    /// The client must authenticate within `limit` seconds of `now` (pre-authentication bound).
    public mutating func startPreAuthentication(now: Double, limit: Double) { preAuthDeadline = now + limit }
    public mutating func authenticated() { preAuthDeadline = nil }

    /// Input arrived: the idle clock restarts.
    public mutating func inputArrived(now: Double) { lastInput = now }

    /// After the driver ran: whether part of a frame is still buffered (starts or stops the slow-input clock).
    public mutating func partialInput(_ pending: Bool, now: Double) {
        if !pending { partialSince = nil } else if partialSince == nil { partialSince = now }
    }

    /// The idle limit for the current protocol state; the idle clock restarts too.
    public mutating func setIdleLimit(_ seconds: Double?, now: Double) { idleLimit = seconds; lastInput = now }
    public mutating func setDeadline(_ seconds: Double?, now: Double) { deadline = seconds.map { now + $0 } }
    public mutating func setTimer(_ name: String, seconds: Double, now: Double) { timers[name] = now + seconds }
    public mutating func cancelTimer(_ name: String) { timers[name] = nil }
    /// Closing: queued output must drain within `limit`.
    public mutating func startClosing(now: Double, limit: Double) { closingDeadline = now + limit }

    /// The earliest moment something may expire, or nil.
    public var nextCheck: Double? {
        var candidates: [Double] = []
        if let handshakeDeadline { candidates.append(handshakeDeadline) }
        if let idleLimit { candidates.append(lastInput + idleLimit) }
        if let partialSince { candidates.append(partialSince + slowInputLimit) }
        if let deadline { candidates.append(deadline) }
        if let closingDeadline { candidates.append(closingDeadline) }
        if let preAuthDeadline { candidates.append(preAuthDeadline) }
        candidates.append(contentsOf: timers.values)
        return candidates.min()
    }

    /// The bounds expired at `now`, each reported once (its clock is cleared), in a fixed order.
    public mutating func expired(now: Double) -> [Expiry] {
        var out: [Expiry] = []
        if let c = closingDeadline, now >= c { closingDeadline = nil; out.append(.closing) }
        if let h = handshakeDeadline, now >= h { handshakeDeadline = nil; out.append(.handshake) }
        if let d = deadline, now >= d { deadline = nil; out.append(.deadline) }
        if let a = preAuthDeadline, now >= a { preAuthDeadline = nil; out.append(.preAuthentication) }
        if let p = partialSince, now >= p + slowInputLimit { partialSince = nil; out.append(.slowInput) }
        if let i = idleLimit, now >= lastInput + i { idleLimit = nil; out.append(.idle) }
        for (name, at) in timers.sorted(by: { $0.value < $1.value }) where now >= at {
            timers[name] = nil
            out.append(.timer(name))
        }
        return out
    }
}
