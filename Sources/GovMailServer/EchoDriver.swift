import Dispatch
#if canImport(Glibc)
    import Glibc
#endif
import GovMailConfig
import MailCore
import NetServer

/// `test-echo`: a tiny line protocol that exercises the network layer in tests (loopback only).
///
/// Invariants: one reply per command line, in order; after `STARTTLS` nothing already buffered is
/// interpreted (the network layer discards it); an over-long line gets one `500` and the dialog
/// stays in sync. Commands: `STARTTLS`, `TLSINFO`, `WORK ms` (sleeps on the storage pool),
/// `IDLE seconds` (sets the idle timeout), `QUIT`; any other line is echoed back.
final class EchoDriver: ProtocolDriver {
    private var framer: LineFramer
    private let hostname: String
    private let idleTimeout: Double
    private let pool: WorkerPool

    init(hostname: String, maxLineLength: Int, idleTimeout: Double, pool: WorkerPool) {
        framer = LineFramer(maxLength: maxLineLength)
        self.hostname = hostname
        self.idleTimeout = idleTimeout
        self.pool = pool
    }

    static func factory(_ env: DriverEnvironment) -> DriverFactory {
        let host = env.config.hostname, limits = env.config.limits, pool = env.workers.storage
        return DriverFactory(
            makeDriver: { _ in
                EchoDriver(
                    hostname: host, maxLineLength: limits.maxLineLength,
                    idleTimeout: Double(limits.smtpIdleTimeout), pool: pool)
            },
            refusal: { reason in
                switch reason {
                case .tooManyFromAddress:
                    return Array("421 4.7.0 Too many connections from your address; close some and try again\r\n".utf8)
                case .tooManyConnections:
                    return Array("421 4.7.0 Server busy (too many connections); try again later\r\n".utf8)
                case .shuttingDown: return Array("421 4.3.2 Server shutting down; try again later\r\n".utf8)
                }
            })
    }

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
        [.setIdleTimeout(idleTimeout), reply("220 \(hostname) test-echo ready")]
    }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        var actions: [ConnectionAction] = []
        while let frame = framer.next(from: &input) {
            guard case .line(let line) = frame else { actions.append(reply("500 5.5.2 Line too long")); continue }
            let text = String(decoding: line.bytes, as: UTF8.self)
            let upper = text.uppercased()
            if upper == "STARTTLS" {
                if context.canStartTLS {
                    // Stop here: whatever follows in `input` is discarded by the network layer.
                    actions += [reply("220 2.0.0 Ready to start TLS"), .startTLS]
                    framer = LineFramer(maxLength: framer.maxLength)
                    return actions
                }
                actions.append(
                    reply(
                        context.isTLSActive
                            ? "503 5.5.1 TLS already active" : "454 4.7.0 TLS not available on this listener"))
            } else if upper == "QUIT" {
                actions += [reply("221 2.0.0 Bye"), .close]
                return actions
            } else if upper == "TLSINFO" {
                actions.append(reply(context.tls.map { "250 \($0.version) \($0.cipher)" } ?? "250 none"))
            } else if upper.hasPrefix("WORK "), let ms = Int(text.dropFirst(5)), (0...5000).contains(ms) {
                // Blocking work: input waits (in order) until the completion runs on the connection's queue.
                actions.append(
                    .run(
                        BlockingWork(
                            on: pool,
                            {
                                usleep(UInt32(ms) * 1000); return ms
                            },
                            then: { [weak self] ms in [self?.reply("250 worked \(ms)")].compactMap { $0 } })))
                return actions
            } else if upper.hasPrefix("IDLE "), let s = Double(text.dropFirst(5)), s >= 1 {
                actions += [.setIdleTimeout(s), reply("250 idle timeout \(Int(s))s")]
            } else {
                actions.append(.send(line.bytes + [13, 10]))
            }
        }
        return actions
    }

    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] { [] }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] {
        switch kind {
        case .idle: return [reply("421 4.4.2 Idle too long; closing"), .close]
        case .slowInput, .deadline: return [reply("421 4.4.2 Command took too long; closing"), .close]
        case .preAuthentication: return [reply("421 4.7.0 Not authenticated in time; closing"), .close]
        }
    }

    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        final ? [reply("421 4.3.2 Server shutting down"), .close] : []
    }

    private func reply(_ text: String) -> ConnectionAction { .send(Array((text + "\r\n").utf8)) }
}
