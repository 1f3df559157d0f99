import GovMailConfig
import Logging
import MailCore
import NetServer

/// The bounded worker pools blocking work runs on (RFC-free plumbing: disk, SQLite, hashing).
public struct WorkerPools: Sendable {
    /// Maildir writes and fsyncs, SQLite.
    public let storage: WorkerPool
    /// Password hashing and verification (CPU-heavy; kept apart so logins cannot starve delivery).
    public let auth: WorkerPool

    public init(storageWidth: Int = 8, authWidth: Int = 2) {
        storage = WorkerPool(name: "storage", width: storageWidth)
        auth = WorkerPool(name: "auth", width: authWidth)
    }
}

/// Everything a protocol's driver factory may need; built once by the server runtime.
public struct DriverEnvironment: Sendable {
    public let config: Config
    public let workers: WorkerPools
    public let clock: any MailClock
    public let logger: Logger
    public let services: ServerServices
    /// The ports the listeners really bound (filled in after binding; autoconfig advertises them).
    public let boundPorts: BoundPorts
    public init(
        config: Config, workers: WorkerPools, clock: any MailClock, logger: Logger, services: ServerServices,
        boundPorts: BoundPorts = BoundPorts()
    ) {
        self.config = config; self.workers = workers; self.clock = clock; self.logger = logger; self.services = services
        self.boundPorts = boundPorts
    }
}

/// Which driver serves which listener protocol. A new protocol costs one line in `factory(for:)`.
public enum ProtocolDrivers {
    /// The driver factory for `proto`, or nil when this build has no driver for it.
    public static func factory(for proto: Config.ListenerProtocol, _ env: DriverEnvironment) -> DriverFactory? {
        switch proto {
        case .testEcho: return EchoDriver.factory(env)
        case .submission: return SMTPDriver.factory(env, mode: .submission)
        case .smtp: return SMTPDriver.factory(env, mode: .inbound)
        case .imap: return IMAPDriver.factory(env)
        case .http: return HTTPDriver.factory(env)
        }
    }
}
