import Dispatch
import Foundation
import GovMailConfig
import Logging
import MailCore
import NetServer
import TLSEngine

/// A startup problem with a message that says what to fix (the CLI prints it and exits non-zero).
public struct ServerStartupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}

/// `govmail serve`: reads `Config.listeners`, binds them, runs a driver per protocol, handles signals.
///
/// SIGTERM/SIGINT: stop accepting, let sessions finish for `gracePeriod`, close the rest, exit 0.
/// SIGHUP: reload the certificate and key (and the S/MIME trust files) for new connections; open ones are kept.
/// Started as root it binds, then runs as `server.user` (`Privileges`); it refuses to serve as
/// root unless allowed, and to start when the TLS key or the database is readable by everyone.
public final class ServerRuntime: Sendable {
    public let config: Config
    private let logger: Logger
    private let gracePeriod: Double
    private let server: NetServer
    private let listeners: [ListenerSpec]
    private let signalQueue = DispatchQueue(label: "govmail.signals")
    private let signalSources = SignalSources()
    /// Directory, Maildir, relay spool, throttling and usage counters shared by the drivers.
    public let services: ServerServices
    private let boundPorts = BoundPorts()
    /// The user to switch to after binding (nil: stay).
    private let runAs: Privileges.Target?

    /// Validates everything that can fail before binding: drivers exist, the certificate and key load and match.
    /// `allowRoot`: `serve --allow-root` (serving as root without `server.user`).
    public init(
        config: Config, gracePeriod: Double = 30, allowRoot: Bool = false, clock: any MailClock = SystemClock(),
        logger: Logger
    ) throws {
        self.config = config
        self.logger = logger
        self.gracePeriod = gracePeriod
        guard !config.listeners.isEmpty else {
            throw ServerStartupError("the configuration has no listeners; add at least one under `listeners:`")
        }
        runAs = try Privileges.plan(config: config, allowRoot: allowRoot)
        // Everything the server creates from here on (Maildirs, spool, WAL) is private to it.
        umask(0o077)
        try StatePermissions.check(config: config, logger: logger)
        services = try ServerServices(config: config, clock: clock, logger: logger)
        let env = DriverEnvironment(
            config: config, workers: WorkerPools(config: config), clock: clock, logger: logger,
            services: services, boundPorts: boundPorts)
        var specs: [ListenerSpec] = []
        for l in config.listeners {
            guard let factory = ProtocolDrivers.factory(for: l.protocol, env) else {
                throw ServerStartupError(
                    "listener \"\(l.name)\": protocol \(l.protocol.rawValue) is not available in this build yet; remove the listener or use a build that includes it"
                )
            }
            let mode: TLSMode =
                switch l.tls {
                case .implicit: .implicit;
                case .starttls: .starttls;
                case .none: .none
                }
            // Port 25 peers and HTTP clients never log in; IMAP, submission and ManageSieve clients must.
            let needsLogin = l.protocol == .imap || l.protocol == .submission || l.protocol == .managesieve
            specs.append(
                ListenerSpec(
                    name: l.name, address: l.address, port: l.port, tlsMode: mode,
                    drivers: MeteredDriver.wrap(factory, listener: l.name, metrics: .shared),
                    requiresAuthentication: needsLogin))
        }
        listeners = specs
        if config.http.signsProfiles {
            do {
                _ = try ProfileSigner(
                    certificatePath: config.resolve(config.http.profileSigningCertificate),
                    keyPath: config.resolve(config.http.profileSigningKey))
            } catch let e as TLSError {
                throw ServerStartupError("http.profile_signing_certificate: \(e.message)")
            }
        }
        let needsTLS = config.listeners.contains { $0.tls != .none }
        let tls = needsTLS ? try Self.loadTLS(config) : nil
        var settings = ConnectionSettings()
        settings.maxConnections = config.limits.maxConnections
        settings.maxConnectionsPerAddress = config.limits.maxConnectionsPerAddress
        settings.maxPreAuthConnectionsPerAddress = config.limits.maxPreAuthConnectionsPerAddress
        settings.preAuthTimeout = Double(config.limits.preAuthTimeout)
        settings.handshakeTimeout = Double(config.limits.handshakeTimeout)
        settings.defaultIdleTimeout = Double(config.limits.smtpIdleTimeout)
        settings.slowInputTimeout = Double(config.limits.commandTimeout)
        settings.writeBufferLimit = config.limits.writeBufferLimit
        server = NetServer(settings: settings, tlsContext: tls, clock: clock, logger: logger)
    }

    /// Loads the configured certificate chain and key into a server context.
    public static func loadTLS(_ config: Config) throws -> TLSContext {
        TicketKeyRing.shared.configure(lifetime: Double(config.tls.ticketKeyLifetime))
        do {
            return try TLSContext.server(
                certificateChainPath: config.resolve(config.tls.certificate),
                privateKeyPath: config.resolve(config.tls.key),
                minimumVersion: config.tls.minVersion == .v1_3 ? .v1_3 : .v1_2)
        } catch let e as TLSError {
            throw ServerStartupError(e.message)
        }
    }

    /// Binds every listener, writes the ports file, installs signal handlers and starts accepting.
    /// Returns the bound ports; the caller then parks the main thread (`dispatchMain()`).
    public func start(portsFile: String?, onExit: @escaping @Sendable (Int32) -> Void) throws -> [String: Int] {
        signal(SIGPIPE, SIG_IGN)
        raiseOpenFilesLimit()
        let ports: [String: Int]
        do { ports = try server.bind(listeners) } catch {
            throw ServerStartupError(
                "\(error.description); is another server using the port, or does the address belong to this machine?")
        }
        boundPorts.set(ports)
        if let portsFile { try writePortsFile(ports, to: portsFile) }
        if let runAs {
            try Privileges.handOver(
                ["govmail.sqlite", "govmail.sqlite-wal", "govmail.sqlite-shm"].map(config.resolve), to: runAs)
            try Privileges.drop(to: runAs)
            logger.info(
                "running as server.user after binding", metadata: ["user": "\(runAs.name)", "uid": "\(runAs.uid)"])
        } else if geteuid() == 0 {
            logger.warning(
                "serving as root (allowed by --allow-root or server.allow_root); set server.user in production")
        }
        installSignalHandlers(onExit: onExit)
        services.start()
        server.start()
        logger.info(
            "govmail serving",
            metadata: [
                "ports": "\(ports.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
            ])
        return ports
    }

    private func writePortsFile(_ ports: [String: Int], to path: String) throws {
        let body =
            "{" + ports.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)): \($0.value)" }.joined(separator: ", ")
            + "}\n"
        let tmp = path + ".tmp"
        do {
            try Data(body.utf8).write(to: URL(fileURLWithPath: tmp))
            if rename(tmp, path) != 0 { throw ServerStartupError("rename failed: \(String(cString: strerror(errno)))") }
        } catch {
            throw ServerStartupError(
                "cannot write the ports file \(path) (\(error)); check that its folder exists and is writable")
        }
    }

    private func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    private func raiseOpenFilesLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        let needed = UInt64(config.limits.maxConnections) + 64
        if UInt64(limit.rlim_cur) < needed {
            logger.warning(
                "open-files limit is below limits.max_connections; raise it (e.g. LimitNOFILE in systemd)",
                metadata: ["nofile": "\(limit.rlim_cur)", "max_connections": "\(config.limits.maxConnections)"])
        } else {
            logger.debug("open-files limit", metadata: ["nofile": "\(limit.rlim_cur)"])
        }
    }

    private func installSignalHandlers(onExit: @escaping @Sendable (Int32) -> Void) {
        for sig in [SIGTERM, SIGINT, SIGHUP] { signal(sig, SIG_IGN) }
        let stop: @Sendable () -> Void = { [self] in
            guard signalSources.markStopping() else { return }
            logger.info("signal received: stopping", metadata: ["grace_seconds": "\(gracePeriod)"])
            server.shutdown(grace: gracePeriod) { [self] in
                // Never claim what did not happen: unsaved counters are an error and a non-zero exit.
                if let failure = services.stop() {
                    logger.error(
                        "all sessions closed; usage counters NOT saved (the last minutes of usage are lost); free disk space or check govmail.sqlite, exiting with status 1",
                        metadata: ["error": "\(failure)"])
                    onExit(1)
                } else {
                    logger.info("all sessions closed; usage counters saved; exiting")
                    onExit(0)
                }
            }
        }
        let hup: @Sendable () -> Void = { [self] in
            reloadTLS()
            services.smime.reload(logger: logger)
        }
        signalSources.install(SIGTERM, queue: signalQueue, stop)
        signalSources.install(SIGINT, queue: signalQueue, stop)
        signalSources.install(SIGHUP, queue: signalQueue, hup)
    }

    /// SIGHUP: new connections use the reloaded certificate; on error the old one stays in use.
    public func reloadTLS() {
        guard config.listeners.contains(where: { $0.tls != .none }) else { return }
        do {
            server.replaceTLSContext(try Self.loadTLS(config))
            logger.info("TLS certificate and key reloaded")
        } catch {
            logger.error("TLS reload failed; still using the previous certificate", metadata: ["error": "\(error)"])
        }
    }
}

/// Keeps the DispatchSource signal sources alive.
private final class SignalSources: @unchecked Sendable {
    private let lock = Locked(())
    private var sources: [any DispatchSourceSignal] = []
    private var stopping = false

    func install(_ sig: Int32, queue: DispatchQueue, _ handler: @escaping @Sendable () -> Void) {
        let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
        lock.withLock { _ in sources.append(source) }
    }

    /// True the first time only (a second SIGTERM while stopping changes nothing).
    func markStopping() -> Bool {
        lock.withLock { _ in
            if stopping { return false }
            stopping = true
            return true
        }
    }
}
