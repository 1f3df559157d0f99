import Dispatch
import Logging
import MailCore
import TLSEngine
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One listening endpoint: a name for logs and the ports file, where it listens, its TLS mode and its drivers.
public struct ListenerSpec: Sendable {
    public var name: String
    /// IPv4 or IPv6 literal; "::" accepts IPv4 too.
    public var address: String
    /// 0 lets the system pick; the bound port is reported by `NetServer.bind()`.
    public var port: Int
    public var tlsMode: TLSMode
    public var drivers: DriverFactory
    /// Clients must log in (IMAP, submission): until the driver says `.authenticated`, a
    /// connection counts against `maxPreAuthConnectionsPerAddress` and `preAuthTimeout` bounds it.
    public var requiresAuthentication: Bool
    public init(
        name: String, address: String, port: Int, tlsMode: TLSMode, drivers: DriverFactory,
        requiresAuthentication: Bool = false
    ) {
        self.name = name; self.address = address; self.port = port; self.tlsMode = tlsMode; self.drivers = drivers
        self.requiresAuthentication = requiresAuthentication
    }
}

/// Limits and time bounds applied to every connection (from the configuration's `limits`).
public struct ConnectionSettings: Sendable {
    public var maxConnections = 10_000
    public var maxConnectionsPerAddress = 100
    /// Connections not yet authenticated per client address, on listeners that require login;
    /// smaller than `maxConnectionsPerAddress`, so idle unauthenticated connections from one
    /// address (an office behind NAT) never take the slots of its logged-in users.
    public var maxPreAuthConnectionsPerAddress = 20
    /// Seconds a connection on a listener that requires login may stay unauthenticated.
    public var preAuthTimeout: Double = 60
    /// Seconds allowed for a TLS handshake.
    public var handshakeTimeout: Double = 30
    /// Idle seconds before a driver that set no idle timeout of its own is timed out.
    public var defaultIdleTimeout: Double? = 300
    /// Seconds a partial frame may take to arrive (slowloris).
    public var slowInputTimeout: Double = 600
    /// Queued output above which a connection stops reading.
    public var writeBufferLimit = 1 << 20
    /// Seconds queued output may take to drain once the connection is closing.
    public var closeFlushTimeout: Double = 10
    /// Bytes read per read event.
    public var readChunk = 16_384
    /// Refused connections being told politely at the same time; beyond this they are just closed.
    public var maxRefusalsInFlight = 64
    public init() {}
}

/// The network server: binds listeners, accepts connections, enforces limits, runs drivers.
///
/// Thread-safety: listener sources run on one accept queue; each connection runs on its own
/// serial queue; shared tables (connections, limiter, TLS context) sit behind one mutex.
public final class NetServer: Sendable {
    private struct BoundListener: @unchecked Sendable {
        let spec: ListenerSpec
        let fd: Int32
        let port: Int
        let source: any DispatchSourceRead
    }
    private struct State {
        var listeners: [BoundListener] = []
        var connections: [UInt64: Connection] = [:]
        var limiter: ConnectionLimiter
        var refusalsInFlight = 0
        var nextID: UInt64 = 1
        var tlsContext: TLSContext?
        var stopping = false
        var onDrained: (@Sendable () -> Void)?
    }

    private let settings: ConnectionSettings
    private let clock: any MailClock
    private let logger: Logger
    private let acceptQueue = DispatchQueue(label: "govmail.accept")
    private let state: Locked<State>

    public init(settings: ConnectionSettings, tlsContext: TLSContext?, clock: any MailClock, logger: Logger) {
        self.settings = settings
        self.clock = clock
        self.logger = logger
        state = Locked(
            State(
                limiter: ConnectionLimiter(
                    maxTotal: settings.maxConnections,
                    maxPerAddress: settings.maxConnectionsPerAddress,
                    maxPreAuthPerAddress: settings.maxPreAuthConnectionsPerAddress),
                tlsContext: tlsContext))
    }

    /// Binds every listener and returns the bound port per listener name. Nothing is accepted until `start()`.
    /// On failure no listener stays bound.
    public func bind(_ specs: [ListenerSpec]) throws(SystemCallError) -> [String: Int] {
        var bound: [(ListenerSpec, Int32, Int)] = []
        for spec in specs {
            do {
                let (fd, port) = try Socket.listen(address: spec.address, port: spec.port)
                bound.append((spec, fd, port))
            } catch {
                for b in bound { close(b.1) }
                throw SystemCallError(call: "listener \"\(spec.name)\": \(error.call)", errno: error.errno)
            }
        }
        var ports: [String: Int] = [:]
        let listeners = bound.map { spec, fd, port -> BoundListener in
            ports[spec.name] = port
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
            return BoundListener(spec: spec, fd: fd, port: port, source: source)
        }
        for l in listeners {
            l.source.setEventHandler { [weak self] in self?.acceptReady(l) }
            l.source.setCancelHandler { close(l.fd) }
        }
        state.withLock { $0.listeners += listeners }
        return ports
    }

    /// Starts accepting on every bound listener.
    public func start() {
        let listeners = state.withLock { $0.listeners }
        for l in listeners {
            logger.info(
                "listening",
                metadata: [
                    "listener": "\(l.spec.name)", "address": "\(l.spec.address)",
                    "port": "\(l.port)", "tls": "\(l.spec.tlsMode.rawValue)",
                ])
            l.source.resume()
        }
    }

    /// Replaces the certificate and key for new connections (SIGHUP); open connections keep theirs.
    public func replaceTLSContext(_ context: TLSContext) {
        state.withLock { $0.tlsContext = context }
    }

    /// Connections currently open (admitted and refused ones still being told).
    public var connectionCount: Int { state.withLock { $0.connections.count } }

    /// Stops accepting, asks sessions to finish, and after `grace` seconds closes the rest.
    /// `completion` runs once every connection is gone.
    public func shutdown(grace: Double, completion: @escaping @Sendable () -> Void) {
        let (listeners, connections) = state.withLock { s -> ([BoundListener], [Connection]) in
            s.stopping = true
            let l = s.listeners
            s.listeners = []
            return (l, Array(s.connections.values))
        }
        for l in listeners { l.source.cancel() }
        logger.info(
            "stopping: no longer accepting",
            metadata: [
                "open_connections": "\(connections.count)",
                "grace_seconds": "\(grace)",
            ])
        let done = state.withLock { s -> Bool in
            if s.connections.isEmpty { return true }
            s.onDrained = completion
            return false
        }
        if done { completion(); return }
        for c in connections { c.serverStopping(final: false) }
        acceptQueue.asyncAfter(deadline: .now() + .milliseconds(Int(grace * 1000))) { [self] in
            let remaining = state.withLock { Array($0.connections.values) }
            if !remaining.isEmpty {
                logger.info(
                    "grace period over: closing remaining sessions",
                    metadata: ["open_connections": "\(remaining.count)"])
            }
            for c in remaining { c.serverStopping(final: true) }
        }
    }

    // MARK: - accepting

    private func acceptReady(_ listener: BoundListener) {
        for _ in 0..<64 {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Socket.accept(listener.fd)
            } catch {
                if error.errno == EMFILE || error.errno == ENFILE {
                    // Out of descriptors: pause this listener briefly instead of spinning.
                    logger.warning(
                        "cannot accept: out of file descriptors; raise the open-files limit",
                        metadata: ["listener": "\(listener.spec.name)"])
                    listener.source.suspend()
                    acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { listener.source.resume() }
                } else if error.errno != ECONNABORTED {
                    logger.warning(
                        "accept failed", metadata: ["listener": "\(listener.spec.name)", "error": "\(error)"])
                }
                return
            }
            guard let accepted else { return }
            admit(fd: accepted.fd, peer: accepted.peer, listener: listener.spec)
        }
    }

    private func admit(fd: Int32, peer: SocketAddress, listener: ListenerSpec) {
        enum Decision { case admitted(UInt64), refused(UInt64, RefusalReason), dropped }
        let maxRefusals = settings.maxRefusalsInFlight
        let decision = state.withLock { s -> Decision in
            let id = s.nextID
            s.nextID += 1
            let reason: RefusalReason? =
                s.stopping ? .shuttingDown : s.limiter.admit(peer.host, preAuth: listener.requiresAuthentication)
            guard let reason else { return .admitted(id) }
            if s.refusalsInFlight >= maxRefusals { return .dropped }
            s.refusalsInFlight += 1
            return .refused(id, reason)
        }
        let local = Socket.localAddress(fd) ?? SocketAddress(host: listener.address, port: 0)
        let tlsProvider: @Sendable () -> TLSContext? = { [weak self] in self?.state.withLock { $0.tlsContext } }
        let connection: Connection
        switch decision {
        case .dropped:
            close(fd)
            return
        case .admitted(let id):
            connection = Connection(
                id: id, fd: fd, peer: peer, local: local, listener: listener, settings: settings,
                clock: clock, logger: logger, countedAddress: peer.host, tlsContext: tlsProvider,
                makeDriver: { listener.drivers.makeDriver($0) },
                onAuthenticated: { [weak self] in self?.authenticated($0) },
                onClosed: { [weak self] in self?.closed($0) })
        case .refused(let id, let reason):
            let message = listener.drivers.refusal(reason)
            logger.notice(
                "connection refused",
                metadata: [
                    "peer": "\(peer)", "listener": "\(listener.name)",
                    "reason": "\(reason)",
                ])
            var refusalSettings = settings
            refusalSettings.handshakeTimeout = min(settings.handshakeTimeout, 10)
            connection = Connection(
                id: id, fd: fd, peer: peer, local: local, listener: listener, settings: refusalSettings,
                clock: clock, logger: logger, countedAddress: nil, tlsContext: tlsProvider,
                makeDriver: { _ in RefusalDriver(message: message) },
                onAuthenticated: { _ in },
                onClosed: { [weak self] in self?.closed($0) })
        }
        state.withLock { $0.connections[connection.id] = connection }
        connection.start()
    }

    /// Called on the connection's queue; `countsAsPreAuth` already turned false there.
    private func authenticated(_ connection: Connection) {
        guard let address = connection.countedAddress else { return }
        state.withLock { $0.limiter.authenticated(address) }
    }

    private func closed(_ connection: Connection) {
        let drained = state.withLock { s -> (@Sendable () -> Void)? in
            s.connections[connection.id] = nil
            if let address = connection.countedAddress {
                s.limiter.release(address, preAuth: connection.countsAsPreAuth)
            } else {
                s.refusalsInFlight -= 1
            }
            if s.stopping && s.connections.isEmpty, let d = s.onDrained { s.onDrained = nil; return d }
            return nil
        }
        drained?()
    }
}
