import Foundation
import GovMailConfig
import Logging
import MailCore
import NetServer
import SMTPProtocol

/// The bounded worker pools blocking work runs on (RFC-free plumbing: disk, SQLite, hashing).
public struct WorkerPools: Sendable {
    /// Maildir writes and fsyncs, SQLite writes.
    public let storage: WorkerPool
    /// Directory reads on the way into a session (the first login step, MAIL FROM and RCPT TO
    /// checks): indexed SQLite reads kept apart from `storage`, so they never queue behind fsyncs.
    public let directory: WorkerPool
    /// Password hashing (CPU-heavy; narrower than the machine and at utility QoS, so a login
    /// storm cannot starve open sessions or delivery).
    public let auth: WorkerPool
    /// Logins waiting for `auth` beyond which new ones are refused for now.
    public let maxPendingVerifications: Int

    public init(storageWidth: Int = 8, authWidth: Int = 0, maxPendingVerifications: Int = 128) {
        storage = WorkerPool(name: "storage", width: storageWidth)
        directory = WorkerPool(name: "directory", width: 4)
        let width = authWidth > 0 ? authWidth : max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
        auth = WorkerPool(name: "auth", width: width, qos: .utility)
        self.maxPendingVerifications = maxPendingVerifications
    }

    /// The pools `config` asks for.
    public init(config: Config) {
        self.init(authWidth: config.auth.hashWorkers, maxPendingVerifications: config.auth.maxPendingVerifications)
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
        case .managesieve: return ManageSieveDriver.factory(env)
        case .http: return HTTPDriver.factory(env)
        }
    }
}
