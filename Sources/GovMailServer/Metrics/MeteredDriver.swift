import MailCore
import NetServer

/// Wraps any protocol driver to count connections and TLS handshakes per listener, so neither
/// NetServer nor the SMTP and IMAP drivers need metric code for them. Forwards every call unchanged.
final class MeteredDriver: ProtocolDriver {
    private let inner: any ProtocolDriver
    private let listener: String
    private let metrics: ServerMetrics
    private var handshakePending: Bool

    private init(_ inner: any ProtocolDriver, context: ConnectionContext, metrics: ServerMetrics) {
        self.inner = inner
        listener = context.listenerName
        self.metrics = metrics
        handshakePending = context.tlsMode == .implicit
    }

    static func wrap(_ factory: DriverFactory, listener: String, metrics: ServerMetrics) -> DriverFactory {
        DriverFactory(
            makeDriver: { context in
                metrics.connectionOpened(listener: listener)
                return MeteredDriver(factory.makeDriver(context), context: context, metrics: metrics)
            },
            refusal: factory.refusal)
    }

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
        if handshakePending {
            handshakePending = false
            metrics.tlsHandshake(listener: listener, succeeded: true)
        }
        return inner.connectionStarted(context)
    }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        let actions = inner.received(&input, context)
        if actions.contains(where: { if case .startTLS = $0 { true } else { false } }) { handshakePending = true }
        return actions
    }

    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] {
        handshakePending = false
        metrics.tlsHandshake(listener: listener, succeeded: true)
        return inner.tlsEstablished(context)
    }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] {
        inner.timedOut(kind, context)
    }
    func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        inner.timerFired(name, context)
    }
    func notified(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        inner.notified(name, context)
    }
    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        inner.serverStopping(final: final, context)
    }

    func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext) {
        if handshakePending && (reason == .tlsFailed || reason == .handshakeTimeout) {
            metrics.tlsHandshake(listener: listener, succeeded: false)
        }
        inner.connectionClosed(reason, context)
    }
}
