import NetServer
import SMTPProtocol

extension SMTPDriver {
    /// The factory for a `submission` listener (587 STARTTLS, 465 implicit TLS; RFC 6409, RFC 8314)
    /// or an inbound `smtp` listener (25: no AUTH, local recipients only).
    static func factory(_ env: DriverEnvironment, mode: SMTPSessionMode) -> DriverFactory {
        DriverFactory(
            makeDriver: { context in
                SMTPDriver(
                    env: env, mode: mode, tlsAvailable: context.tlsMode != .none,
                    backend: ServerSMTPBackend(env: env))
            },
            refusal: { reason in Array(refusal(reason).encoded) })
    }

    /// The polite refusal for a connection the server will not serve (RFC 5321 §3.8: 421).
    static func refusal(_ reason: RefusalReason) -> SMTPReply {
        switch reason {
        case .tooManyFromAddress:
            return SMTPReply(421, "4.7.0", "Too many connections from your address; close some and try again later")
        case .tooManyConnections:
            return SMTPReply(421, "4.7.0", "Server busy (too many connections); try again in a few minutes")
        case .shuttingDown:
            return SMTPReply(421, "4.3.2", "Server is shutting down; try again in a few minutes")
        }
    }
}
