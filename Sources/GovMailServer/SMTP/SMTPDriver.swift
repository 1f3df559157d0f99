import AccountStore
import GovMailConfig
import Logging
import MailCore
import NetServer
import SMTPProtocol

/// Binds one `SMTPServerSession` (pure) to one connection: bytes in, actions out. Routing only:
/// the checks and the delivery are the `SMTPBackend`'s, run on the directory and storage pools;
/// logins go through `LoginWork` (directory pool, then the hashing pool).
///
/// Invariants:
/// - Every call arrives on the connection's queue; the driver keeps its state without locks.
/// - While the session waits for outside work, the idle timer is off (the wait is ours, not the
///   client's); it is set again as soon as the result is fed back.
/// - An AUTH reply is held back by a timer (`replyAfter`), never by a sleep, so every outcome
///   answers after the same delay and other connections are never blocked.
/// - Whatever the client has begun sending (a command line, an AUTH response, a DATA transfer,
///   a BDAT chunk: the session's `pendingInput`) has a deadline of `limits.command_timeout` from
///   its start (a transfer gets one more second per `limits.min_upload_rate` bytes received), on
///   top of the idle timer, so trickling bytes never keeps a connection forever.
/// - The 250 for a message is sent only after the backend's `deliver` returned `queued`.
/// - At `trace` level the dialog is logged through the redacting descriptions (`SMTPReply`,
///   `Delivery`): envelope and replies, never AUTH data or message text.
final class SMTPDriver: ProtocolDriver {
    static let authReplyTimer = "smtp-auth-reply"

    private var session: SMTPServerSession
    private let env: DriverEnvironment
    private let backend: any SMTPBackend
    private let idleTimeout: Double
    private let commandTimeout: Double
    /// Bytes per second that extend a transfer's deadline (`limits.min_upload_rate`).
    private let minimumUploadRate: Double
    /// The connection's armed deadline for the session's `pendingInput` (nil: none armed).
    private var armedDeadline: Double?
    private var pendingAuthResult: SMTPProtocol.AuthenticationResult?
    private var stopRequested = false

    init(env: DriverEnvironment, mode: SMTPSessionMode, tlsAvailable: Bool, backend: any SMTPBackend) {
        self.env = env
        self.backend = backend
        let config = env.config
        let limits = SMTPLimits(
            lineLength: config.limits.maxLineLength, maxMessageSize: config.limits.maxMessageSize,
            maxRecipients: config.limits.maxRecipients, errorBudget: config.smtp.errorBudget)
        session = SMTPServerSession(
            configuration: SMTPServerConfiguration(
                hostname: config.hostname, mode: mode, limits: limits, hideClientAddress: config.smtp.hideClientAddress,
                tlsAvailable: tlsAvailable, clock: env.clock,
                postmaster: try? EmailAddress(
                    config.smtp.postmaster.isEmpty ? "postmaster@\(config.hostname)" : config.smtp.postmaster)))
        idleTimeout = Double(config.limits.smtpIdleTimeout)
        commandTimeout = Double(config.limits.commandTimeout)
        minimumUploadRate = Double(config.limits.minUploadRate)
    }

    // MARK: - ProtocolDriver

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
        let peer = SMTPPeer(
            address: context.peer.host, tlsVersion: context.tls?.version,
            sessionID: SMTPSessionID.make(now: context.now, connectionID: context.id))
        context.logger.debug("smtp session", metadata: ["session": "\(peer.sessionID)"])
        return feed(.connected(peer), context)
    }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        guard !input.isEmpty else { return [] }
        // The session buffers what it cannot use yet (pipelined commands behind outside work).
        let bytes = Array(input.readable)
        input.removeAll()
        return feed(.received(bytes), context)
    }

    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] {
        feed(.tlsStarted(version: context.tls?.version ?? "TLS"), context)
    }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] {
        context.logger.info("smtp session timed out", metadata: ["kind": "\(kind)"])
        switch kind {
        case .idle: return feed(.timeout, context)
        case .preAuthentication: return feed(.preAuthenticationExpired, context)
        case .deadline, .slowInput:
            armedDeadline = nil
            return feed(.deadlineExpired, context)
        }
    }

    func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        guard name == Self.authReplyTimer, let result = pendingAuthResult else { return [] }
        pendingAuthResult = nil
        return feed(.authenticationResult(result), context)
    }

    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        stopRequested = true
        if final || isQuiet { return feed(.shutdown, context) }
        return []  // finishing a DATA transfer or a delivery first; `feed` says goodbye afterwards
    }

    func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext) {
        pendingAuthResult = nil  // a held AUTH reply dies with the connection
    }

    // MARK: - Session plumbing

    /// Nothing in flight: no outside work, no DATA transfer, no held AUTH reply.
    private var isQuiet: Bool {
        !session.isAwaitingOutsideWork && !session.isAwaitingTLS && session.pendingInput?.kind != .transfer
            && pendingAuthResult == nil
    }

    /// Feeds one event to the session and turns its actions into connection actions.
    private func feed(_ event: SMTPServerEvent, _ context: ConnectionContext) -> [ConnectionAction] {
        var out = perform(session.receive(event), context)
        if stopRequested && isQuiet && !session.isClosed {
            out += perform(session.receive(.shutdown), context)
        }
        if !session.isClosed && !session.isAwaitingOutsideWork && !session.isAwaitingTLS {
            out.insert(.setIdleTimeout(idleTimeout), at: 0)
        }
        // At the front: `.startTLS` must stay the last action.
        out.insert(contentsOf: boundPendingInput(), at: 0)
        return out
    }

    /// Arms, moves or clears the connection's deadline to match the session's `pendingInput`:
    /// `command_timeout` from its start, plus one second per `min_upload_rate` bytes of a transfer.
    private func boundPendingInput() -> [ConnectionAction] {
        let end =
            session.isClosed
            ? nil
            : session.pendingInput.map { $0.since + commandTimeout + Double($0.bytes) / minimumUploadRate }
        guard end != armedDeadline else { return [] }
        armedDeadline = end
        return [.setDeadline(end.map { max(0.001, $0 - env.clock.now()) })]
    }

    /// Backend work on a worker pool (the directory pool for checks, the storage pool for
    /// deliveries, where fsync blocks); the idle timer pauses meanwhile, and the answer comes back
    /// to the session as `event` on the connection's queue.
    private func backendWork<R: Sendable>(
        _ context: ConnectionContext, on pool: WorkerPool, _ body: @escaping @Sendable () -> R,
        event: @escaping (R) -> SMTPServerEvent
    ) -> [ConnectionAction] {
        [
            .setIdleTimeout(nil),
            .run(
                BlockingWork(
                    on: pool, body,
                    then: { [weak self] r in self?.feed(event(r), context) ?? [] })),
        ]
    }

    private func perform(_ actions: [SMTPServerAction], _ context: ConnectionContext) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        for action in actions {
            switch action {
            case .send(let reply):
                ServerMetrics.shared.smtpReply(code: reply.code, enhancedCode: reply.enhancedCode)
                context.logger.trace("smtp reply", metadata: ["reply": "\(reply)"])
                out.append(.send(reply.encoded))
            case .startTLS:
                out.append(.startTLS)
            case .close:
                out.append(.close)
            case .authenticate(let request):
                out += [.setIdleTimeout(nil), authenticate(request, context)]
            case .checkSender(let address, let account):
                context.logger.trace("smtp check sender", metadata: ["from": "\(address)"])
                let backend = self.backend, log = context.logger
                out += backendWork(context, on: env.workers.directory, {
                    backend.checkSender(address: address, account: account, log: log)
                }) {
                    .senderCheckResult($0)
                }
            case .checkRecipient(let check):
                context.logger.trace("smtp check recipient", metadata: ["to": "\(check.address)"])
                let backend = self.backend, log = context.logger
                out += backendWork(context, on: env.workers.directory, { backend.checkRecipient(check, log: log) }) {
                    .recipientCheckResult($0)
                }
            case .deliver(let delivery):
                context.logger.trace("smtp deliver", metadata: ["delivery": "\(delivery)"])
                let backend = self.backend, log = context.logger
                out += backendWork(context, on: env.workers.storage, { backend.deliver(delivery, log: log) }) {
                    .deliveryResult($0)
                }
            }
        }
        return out
    }

    // MARK: - AUTH (RFC 4954)

    private func authenticate(_ request: AuthenticationRequest, _ context: ConnectionContext) -> ConnectionAction {
        let login = LoginRequest(
            username: request.username, password: request.password,
            authorizationIdentity: request.authorizationIdentity, clientAddress: context.peer.host,
            protocolName: "smtp")
        return LoginWork.run(login, env.services.authenticator, env.workers) { [weak self] outcome in
            self?.authenticated(outcome, context) ?? []
        }
    }

    private func authenticated(_ outcome: LoginOutcome, _ context: ConnectionContext) -> [ConnectionAction] {
        let result: SMTPProtocol.AuthenticationResult
        var loggedIn: [ConnectionAction] = []
        switch outcome.result {
        case .success(let entry):
            backend.loggedIn(accountID: entry.accountID)
            result = .succeeded(account: entry.address)
            loggedIn = [.authenticated]
        case .failure: result = .failed
        case .blocked: result = .blocked
        case .busy: result = .busy
        }
        guard outcome.replyAfter > 0 else { return loggedIn + feed(.authenticationResult(result), context) }
        pendingAuthResult = result
        return loggedIn + [.setTimer(Self.authReplyTimer, seconds: outcome.replyAfter)]
    }
}
