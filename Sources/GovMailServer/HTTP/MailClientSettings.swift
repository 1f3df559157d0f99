import GovMailConfig
import MailCore
import NetServer

/// The listener ports actually bound (port 0 in tests becomes a real port); set once after binding.
public final class BoundPorts: Sendable {
    private let ports = Locked([String: Int]())
    public init() {}
    public func set(_ bound: [String: Int]) { ports.withLock { $0 = bound } }
    public subscript(listener: String) -> Int? { ports.withLock { $0[listener] } }
}

/// What a mail client needs to reach this server, derived from the configured listeners and host
/// name: the one home for autoconfig, autodiscover, the Apple profile and the set-up page.
public struct MailClientSettings: Sendable, Equatable {
    /// How a client secures a connection; the names are those of Thunderbird's config-v1.1 format.
    public enum Security: String, Sendable, Equatable {
        /// TLS from the first byte (993, 465; preferred, RFC 8314 §3).
        case implicitTLS = "SSL"
        case startTLS = "STARTTLS"
    }

    public struct Server: Sendable, Equatable {
        public let hostname: String
        public let port: Int
        public let security: Security
    }

    /// IMAP servers, the preferred (implicit TLS) first.
    public let imap: [Server]
    /// Submission servers, the preferred (implicit TLS) first.
    public let submission: [Server]

    /// Listeners without TLS (loopback test set-ups) are never advertised.
    public init(config: Config, ports: BoundPorts) {
        func servers(_ proto: Config.ListenerProtocol) -> [Server] {
            config.listeners.filter { $0.protocol == proto && $0.tls != .none }
                .map { l in
                    Server(
                        hostname: config.hostname, port: ports[l.name] ?? l.port,
                        security: l.tls == .implicit ? .implicitTLS : .startTLS)
                }
                .sorted { ($0.security == .implicitTLS ? 0 : 1) < ($1.security == .implicitTLS ? 0 : 1) }
        }
        imap = servers(.imap)
        submission = servers(.submission)
    }
}
