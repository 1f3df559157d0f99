import Logging
import MailCore

/// How a listener uses TLS.
public enum TLSMode: String, Sendable {
    /// TLS from the first byte (465, 993).
    case implicit
    /// Plaintext until the driver answers `.startTLS` (587, 143, 25; RFC 3207, RFC 3501 §6.2.1).
    case starttls
    /// Never TLS (loopback tests only; the configuration refuses it elsewhere).
    case none
}

/// A peer or local socket address as text.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    /// The IP address ("192.0.2.1", "2001:db8::1"); IPv4-mapped IPv6 addresses are shown as IPv4.
    public let host: String
    public let port: Int
    public init(host: String, port: Int) { self.host = host; self.port = port }
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The negotiated TLS parameters (e.g. for an SMTP Received header, RFC 8314 §4.3).
public struct TLSInfo: Sendable, Equatable {
    /// "TLSv1.3", "TLSv1.2".
    public let version: String
    public let cipher: String
    public let resumed: Bool
    public init(version: String, cipher: String, resumed: Bool) {
        self.version = version; self.cipher = cipher; self.resumed = resumed
    }
}

/// What a driver knows about its connection; passed with every call.
public struct ConnectionContext: Sendable {
    public let id: UInt64
    public let listenerName: String
    public let peer: SocketAddress
    public let local: SocketAddress
    public let tlsMode: TLSMode
    /// Set once TLS is established (implicit or after STARTTLS).
    public internal(set) var tls: TLSInfo?
    /// Seconds since the epoch, from the server's injected clock.
    public internal(set) var now: Double
    /// Logger with the connection id and peer as metadata. Never log payload through it.
    public let logger: Logger
    /// Wakes the driver on the connection's queue from any thread (see `ConnectionHandle.notify`).
    public let handle: ConnectionHandle

    /// True when STARTTLS may be offered: a `starttls` listener whose TLS is not active yet.
    public var canStartTLS: Bool { tlsMode == .starttls && tls == nil }
    public var isTLSActive: Bool { tls != nil }
}

/// Why a connection ended (logged, and told to the driver).
public enum CloseReason: String, Sendable, Equatable {
    case driverClosed = "closed by server"
    case peerClosed = "closed by peer"
    case tlsFailed = "TLS failure"
    case handshakeTimeout = "TLS handshake timeout"
    case idleTimeout = "idle timeout"
    case slowInput = "input too slow"
    case deadline = "deadline exceeded"
    case writeFailed = "write failed"
    case readFailed = "read failed"
    case closeTimeout = "close flush timeout"
    case serverShutdown = "server shutdown"
    case refused = "connection limit"
    case preAuthTimeout = "not authenticated in time"
}

/// A time bound that expired; the driver answers with its protocol's goodbye.
public enum TimeoutKind: Sendable, Equatable, Hashable {
    /// No input for the idle time of the current protocol state (`.setIdleTimeout`).
    case idle
    /// Part of a frame has been buffered for longer than the slow-sender bound.
    case slowInput
    /// The driver's own deadline (`.setDeadline`, e.g. a whole DATA transfer).
    case deadline
    /// The client did not authenticate (`.authenticated`) within the pre-authentication time.
    case preAuthentication
}

/// What a driver asks the network layer to do, carried out in order on the connection's queue.
public enum ConnectionAction {
    /// Send bytes (through TLS when it is active).
    case send([UInt8])
    /// Start TLS after what is already queued (the reply to STARTTLS). Input buffered so far is
    /// discarded, never interpreted (RFC 3207 §4.2). Must be the last action of its list.
    case startTLS
    /// Flush what is queued, send TLS close_notify, close. Later actions are ignored.
    case close
    /// Stop handing input to the driver (and stop reading the socket) until `.resumeReading`.
    case pauseReading
    case resumeReading
    /// Run blocking work on a bounded worker pool; its completion runs on the connection's queue.
    /// Input is not delivered while work is in flight, so commands stay in order.
    case run(BlockingWork)
    /// Idle seconds allowed in the current protocol state (nil: no idle limit). Reset by any input.
    case setIdleTimeout(Double?)
    /// An absolute bound, `seconds` from now, for the current operation (nil clears it).
    case setDeadline(Double?)
    /// A named one-shot timer; `timerFired(name:)` is called when it expires. Replaces a timer of the same name.
    case setTimer(String, seconds: Double)
    case cancelTimer(String)
    /// The client proved who it is: the connection stops counting against the per-address
    /// pre-authentication cap and its pre-authentication timeout no longer applies.
    case authenticated
}

/// Blocking work (disk, SQLite, password hashing) and what to do with its result on the connection's queue.
public struct BlockingWork {
    let pool: WorkerPool
    let job: @Sendable () -> CompletionThunk

    /// `body` runs on `pool`; `completion` runs later on the connection's queue with its result.
    public init<R: Sendable>(
        on pool: WorkerPool, _ body: @escaping @Sendable () -> R,
        then completion: @escaping (R) -> [ConnectionAction]
    ) {
        self.pool = pool
        let box = UncheckedBox(completion)
        job = {
            let result = body()
            return CompletionThunk { box.value(result) }
        }
    }
}

/// Carries a closure created on a connection's queue back to that same queue.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

final class CompletionThunk: @unchecked Sendable {
    let run: () -> [ConnectionAction]
    init(_ run: @escaping () -> [ConnectionAction]) { self.run = run }
}

/// A protocol session plugged into the network layer (SMTP, IMAP, the test echo protocol).
///
/// Every method is called on the connection's serial queue, never concurrently; the driver keeps
/// its state without locks. It sees plaintext only and knows nothing about sockets.
public protocol ProtocolDriver: AnyObject {
    /// The connection is ready for the greeting (after the TLS handshake on implicit-TLS listeners).
    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction]
    /// New input: consume whole frames from the front of `input`, leave partial ones.
    /// Called again after new bytes arrive, after `.resumeReading`, and after work completes.
    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction]
    /// TLS started by `.startTLS` is established: reset the protocol state (RFC 3207 §4.2).
    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction]
    /// A time bound expired; answer with a goodbye and `.close` (the default just closes).
    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction]
    /// A timer set with `.setTimer` expired.
    func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction]
    /// Someone called `context.handle.notify(name)` (e.g. a mailbox changed); runs on the
    /// connection's queue, also while blocking work is in flight.
    func notified(_ name: String, _ context: ConnectionContext) -> [ConnectionAction]
    /// The server is stopping. First call (`final == false`): finish politely when convenient
    /// (e.g. close an idle session). Second call, when the grace period is over: say goodbye and close.
    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction]
    /// The connection is gone; release resources. No more calls follow.
    func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext)
}

extension ProtocolDriver {
    public func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] { [] }
    public func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] { [.close] }
    public func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] { [] }
    public func notified(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] { [] }
    public func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        final ? [.close] : []
    }
    public func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext) {}
}

/// Why a connection was refused before a session started.
public enum RefusalReason: Sendable, Equatable {
    case tooManyConnections
    case tooManyFromAddress
    case shuttingDown
}

/// Makes drivers for one listener's protocol, and its polite refusal (`421 4.7.0 …`, `* BYE …`).
public struct DriverFactory: Sendable {
    public let makeDriver: @Sendable (ConnectionContext) -> any ProtocolDriver
    public let refusal: @Sendable (RefusalReason) -> [UInt8]
    public init(
        makeDriver: @escaping @Sendable (ConnectionContext) -> any ProtocolDriver,
        refusal: @escaping @Sendable (RefusalReason) -> [UInt8]
    ) {
        self.makeDriver = makeDriver; self.refusal = refusal
    }
}

/// Sends the protocol's refusal and closes: used for connections over a limit.
final class RefusalDriver: ProtocolDriver {
    let message: [UInt8]
    init(message: [UInt8]) { self.message = message }
    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] { [.send(message), .close] }
    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        input.removeAll()
        return []
    }
}
