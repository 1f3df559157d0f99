import AccountStore
import GovMailConfig
import Logging
import MailCore
import NetServer
import SieveProtocol

/// Binds one `ManageSieveSession` (pure) to one connection: logins through the shared
/// `Authenticator` via `LoginWork` (throttled; the reply held by a timer, never a sleep), script
/// requests through `ManageSieveBackend` on the storage pool.
///
/// Invariants: every call arrives on the connection's queue; while work is outside, the idle timer
/// is off and input waits in the session's buffer.
final class ManageSieveDriver: ProtocolDriver {
    static let authReplyTimer = "managesieve-auth-reply"

    private var session: ManageSieveSession
    private let env: DriverEnvironment
    private let backend: ManageSieveBackend
    private let idleTimeout: Double
    private var pendingAuth: ManageSieveEvent?

    init(env: DriverEnvironment, context: ConnectionContext) {
        self.env = env
        let limits = SieveLimits()
        var configuration = ManageSieveConfiguration(
            tlsAvailable: context.canStartTLS, tlsActive: context.isTLSActive,
            allowPlaintextAuth: context.tlsMode == .none)
        configuration.limits = limits
        configuration.maxLineLength = env.config.limits.maxLineLength
        configuration.maxScripts = SieveScriptStore.maxScripts
        session = ManageSieveSession(configuration: configuration)
        backend = ManageSieveBackend(layout: env.services.layout, limits: limits)
        idleTimeout = Double(env.config.limits.smtpIdleTimeout)
    }

    static func factory(_ env: DriverEnvironment) -> DriverFactory {
        DriverFactory(
            makeDriver: { context in ManageSieveDriver(env: env, context: context) },
            refusal: { reason in
                switch reason {
                case .tooManyFromAddress:
                    ManageSieveResponse.bye(code: "TRYLATER", "Too many connections from your address").encoded
                case .tooManyConnections:
                    ManageSieveResponse.bye(code: "TRYLATER", "Server busy; try again later").encoded
                case .shuttingDown: ManageSieveResponse.bye(code: "TRYLATER", "Server shutting down").encoded
                }
            })
    }

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] { feed(.connected, context) }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        guard !input.isEmpty else { return [] }
        let bytes = Array(input.readable)
        input.removeAll()
        return feed(.received(bytes), context)
    }

    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] { feed(.tlsStarted, context) }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] { feed(.timeout, context) }

    func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        guard name == Self.authReplyTimer, let event = pendingAuth else { return [] }
        pendingAuth = nil
        return feed(event, context)
    }

    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        feed(.shutdown, context)
    }

    func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext) { pendingAuth = nil }

    private func feed(_ event: ManageSieveEvent, _ context: ConnectionContext) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        for action in session.receive(event) {
            switch action {
            case .send(let bytes): out.append(.send(bytes))
            case .startTLS: out.append(.startTLS)
            case .close: out.append(.close)
            case .authenticate(let username, let password, let authz):
                out += [.setIdleTimeout(nil), authenticate(username, password, authz, context)]
            case .perform(let request):
                guard let account = session.account else { continue }
                let backend = self.backend
                out += [
                    .setIdleTimeout(nil),
                    .run(
                        BlockingWork(
                            on: env.workers.storage, { backend.perform(request, account: account) },
                            then: { [weak self] result in self?.feed(.requestResult(result), context) ?? [] })),
                ]
            }
        }
        if !session.isClosed && !session.isBusy && pendingAuth == nil {
            out.insert(.setIdleTimeout(idleTimeout), at: 0)
        }
        return out
    }

    private func authenticate(_ username: String, _ password: Secret, _ authz: String, _ context: ConnectionContext)
        -> ConnectionAction
    {
        let login = LoginRequest(
            username: username, password: password, authorizationIdentity: authz, clientAddress: context.peer.host,
            protocolName: "managesieve")
        return LoginWork.run(login, env.services.authenticator, env.workers) { [weak self] outcome in
            guard let self else { return [] }
            let event: ManageSieveEvent
            switch outcome.result {
            case .success(let entry): event = .authenticationResult(.succeeded(account: entry.address.description))
            case .failure: event = .authenticationResult(.failed)
            case .blocked: event = .authenticationResult(.blocked)
            case .busy: event = .authenticationResult(.busy)
            }
            // A login lifts the pre-authentication cap and timeout (a success is never delayed).
            if case .success = outcome.result { return [.authenticated] + self.feed(event, context) }
            guard outcome.replyAfter > 0 else { return self.feed(event, context) }
            self.pendingAuth = event
            return [.setTimer(Self.authReplyTimer, seconds: outcome.replyAfter)]
        }
    }
}
