import AccountStore
import Foundation
import GovMailConfig
import IMAPProtocol
import Logging
import MailCore
import MaildirStore
import NetServer

/// Binds one `IMAPSession` (pure) to a network connection: bytes in, session actions out as
/// connection actions; authentication on the auth pool with the throttle's reply delay as a
/// timer; every store request on the storage pool; IDLE wake-ups from the mailbox notifier and
/// a slow poll (for changes made by other processes); autologout from the session's deadline.
///
/// Invariants: every method runs on the connection's queue; at most one store job (a request or
/// an IDLE poll) runs at a time, so `IMAPMailStore` is never used concurrently; a notifier
/// observer exists only while the session is in IDLE with a folder selected, and is removed
/// when IDLE ends or the connection closes.
final class IMAPDriver: ProtocolDriver {
    /// Timer names (one-shot timers of the connection).
    enum Timer {
        static let authReply = "imap.auth-reply"
        static let autologout = "imap.autologout"
        static let idlePoll = "imap.idle-poll"
    }
    static let wakeName = "imap.mailbox-changed"

    private var session: IMAPSession
    private let settings: IMAPDriverSettings
    private let services: ServerServices
    private let workers: WorkerPools
    private var store: IMAPMailStore?
    private var storeBusy = false
    /// The server is stopping: say goodbye as soon as nothing is in flight.
    private var stopRequested = false
    /// A notifier wake-up arrived while a store job ran: poll again once it is done.
    private var wakeWanted = false
    private var pendingAuth: IMAPAuthResult?
    private var idleObserver: Int?
    /// When the connection's deadline for the partly received command falls (nil: not armed).
    private var commandDeadline: Double?
    /// When the client's latest bytes arrived: command latency (metrics) is measured from here.
    private var lastInputAt = 0.0
    /// Bytes received since the partly received command began (its literals buy time at the minimum upload rate).
    private var partialBytes = 0
    private var partialSince: Double?
    private let handle: ConnectionHandle
    private let logger: Logger
    private let clock: any MailClock
    private let peerHost: String

    init(
        context: ConnectionContext, settings: IMAPDriverSettings, services: ServerServices, workers: WorkerPools,
        clock: any MailClock
    ) {
        self.settings = settings
        self.services = services
        self.workers = workers
        self.clock = clock
        handle = context.handle
        logger = context.logger
        peerHost = context.peer.host
        let configuration = IMAPSessionConfiguration(
            limits: settings.limits, tlsActive: context.tlsMode == .implicit,
            startTLSAvailable: context.tlsMode == .starttls, zoneOffsetSeconds: settings.zoneOffsetSeconds)
        session = IMAPSession(configuration: configuration, now: context.now)
    }

    /// The driver factory for `imap` listeners.
    static func factory(_ env: DriverEnvironment) -> DriverFactory {
        let settings = IMAPDriverSettings(config: env.config)
        let services = env.services, workers = env.workers, clock = env.clock
        return DriverFactory(
            makeDriver: { context in
                IMAPDriver(context: context, settings: settings, services: services, workers: workers, clock: clock)
            },
            refusal: { reason in
                let text: String
                switch reason {
                case .tooManyFromAddress: text = "Too many connections from your address; close some and try again"
                case .tooManyConnections: text = "Server busy (too many connections); try again in a few minutes"
                case .shuttingDown: text = "Server shutting down; try again in a few minutes"
                }
                return IMAPResponse.untagged(.bye, nil, text).bytes()
            })
    }

    // MARK: - ProtocolDriver

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
        // The session's own autologout (RFC 3501 §5.4) replaces the network layer's idle limit.
        [.setIdleTimeout(nil)] + carryOut(session.start(), now: context.now)
    }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        lastInputAt = context.now
        let bytes = Array(input.readable)
        input.removeAll()
        let actions = session.receive(bytes, now: context.now)
        if let since = session.partialCommand?.since, since == partialSince { partialBytes += bytes.count }
        return carryOut(actions, now: context.now)
    }

    func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] {
        carryOut(session.handle(.tlsStarted, now: context.now), now: context.now)
    }

    func timerFired(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        switch name {
        case Timer.authReply:
            return answerLogin(now: context.now)
        case Timer.autologout:
            return carryOut(session.tick(now: context.now), now: context.now)
        case Timer.idlePoll:
            return poll()
        default:
            return []
        }
    }

    func notified(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
        guard name == Self.wakeName, session.isIdling else { return [] }
        if storeBusy {
            wakeWanted = true
            return []
        }
        return poll()
    }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] {
        let text =
            switch kind {
            case .idle: "Autologout: no activity for too long; log in again to continue"
            case .preAuthentication: "Not logged in within the time allowed; reconnect and log in"
            case .slowInput, .deadline: "Command took too long to arrive; closing, reconnect and try again"
            }
        return [.send(IMAPResponse.untagged(.bye, nil, text).bytes()), .close]
    }

    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        // Politely close sessions that are between commands; a running command (or an IDLE poll)
        // finishes first, and the goodbye follows it (`sayGoodbyeIfStopping`), at the latest at the
        // end of the grace period.
        stopRequested = true
        guard final || !storeBusy && pendingAuth == nil else { return [] }
        return goodbye()
    }

    private func goodbye() -> [ConnectionAction] {
        stopIdleWatch()
        return [
            .send(IMAPResponse.untagged(.bye, nil, "Server shutting down; reconnect in a few minutes").bytes()), .close,
        ]
    }

    /// After outside work ends: the goodbye a stop request deferred.
    private func sayGoodbyeIfStopping(_ out: [ConnectionAction]) -> [ConnectionAction] {
        guard stopRequested && !storeBusy && pendingAuth == nil else { return out }
        return out + goodbye()
    }

    func connectionClosed(_ reason: CloseReason, _ context: ConnectionContext) {
        stopIdleWatch()
    }

    // MARK: - Session actions

    /// Turns session actions into connection actions; consecutive sends become one write.
    private func carryOut(_ actions: [IMAPAction], now: Double) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty { out.append(.send(pending)); pending = [] }
        }
        for action in actions {
            switch action {
            case .send(let response):
                ServerMetrics.shared.imapResponse(response, seconds: now - lastInputAt)
                pending += response.bytes()
            case .startTLS:
                flush()
                out += boundPartialCommand(now: now)
                out.append(.startTLS)
                return out  // the network layer requires it to be last
            case .close:
                flush()
                stopIdleWatch()
                out.append(.close)
                return out
            case .request(let request):
                flush()
                out += start(request, now: now)
            case .idleStarted:
                flush()
                out += startIdleWatch()
            case .idleEnded:
                stopIdleWatch()
            case .clientIdentified(let name):
                if let store { services.activity.record(accountID: store.accountID, ActivityCounters(), client: name) }
            }
        }
        flush()
        let wait = max(1, session.autologoutDeadline - now)
        out.append(.setTimer(Timer.autologout, seconds: wait))
        out += boundPartialCommand(now: now)
        return out
    }

    /// Arms, moves or clears the connection's deadline to match the partly received command: the
    /// driver takes every byte from the network layer, so its slow-input bound never applies here.
    private func boundPartialCommand(now: Double) -> [ConnectionAction] {
        let partial = session.partialCommand
        if partial?.since != partialSince { partialSince = partial?.since; partialBytes = 0 }
        let end = Self.commandDeadline(
            for: partial, bytesReceived: partialBytes, timeout: settings.commandTimeoutSeconds,
            minimumRate: settings.minimumUploadRate)
        guard end != commandDeadline else { return [] }
        commandDeadline = end
        return [.setDeadline(end.map { max(0.001, $0 - now) })]
    }

    /// When a partly received command must be complete: a command line without literals within
    /// `timeout` of its first byte (slow senders); once a literal was accepted, each byte received
    /// adds `1 / minimumRate` seconds, so a large APPEND may take as long as it averages at least
    /// `minimumRate` bytes per second, and a literal trickled slowly is cut soon after `timeout`.
    /// Nil when no command is partly received (between commands, during IDLE, while a request runs).
    static func commandDeadline(
        for partial: IMAPSession.PartialCommand?, bytesReceived: Int, timeout: Double, minimumRate: Double
    ) -> Double? {
        guard let partial else { return nil }
        return partial.since + timeout + (partial.hasLiteral ? Double(bytesReceived) / minimumRate : 0)
    }

    private func start(_ request: IMAPRequest, now: Double) -> [ConnectionAction] {
        if case .authenticate(let username, let password, let authz, let clientName) = request {
            return [authenticate(username, password, authz, clientName)]
        }
        guard let store else {
            // The session only asks for storage after login; answer rather than hang if it ever does.
            return carryOut(session.handle(.failed(.unavailable), now: now), now: now)
        }
        storeBusy = true
        return [
            .run(
                BlockingWork(
                    on: workers.storage, { store.perform(request) },
                    then: { [weak self] result in self?.storeFinished(result) ?? [] }))
        ]
    }

    private func storeFinished(_ result: IMAPMailStore.Outcome) -> [ConnectionAction] {
        storeBusy = false
        if result.folderRebuilt { return folderRebuilt() }
        let now = clock.now()
        var actions: [IMAPAction] = []
        if let changes = result.changes, !changes.isEmpty {
            actions += session.handle(.mailboxChanged(changes), now: now)
        }
        actions += session.handle(result.event, now: now)
        if wakeWanted {
            wakeWanted = false
            handle.notify(Self.wakeName)
        }
        return sayGoodbyeIfStopping(carryOut(actions, now: now))
    }

    // MARK: - Authentication

    private func authenticate(
        _ username: String, _ password: Secret, _ authz: String, _ clientName: String?
    ) -> ConnectionAction {
        let request = LoginRequest(
            username: username, password: password, authorizationIdentity: authz, clientAddress: peerHost,
            protocolName: "imap")
        return LoginWork.run(request, services.authenticator, workers) { [weak self] outcome in
            guard let self else { return [] }
            switch outcome.result {
            case .failure:
                return authFinished(AuthAttempt(result: .invalidCredentials, delay: outcome.replyAfter, store: nil))
            case .blocked: return authFinished(AuthAttempt(result: .throttled, delay: outcome.replyAfter, store: nil))
            case .busy: return authFinished(AuthAttempt(result: .unavailable, delay: 0, store: nil))
            case .success(let entry): return [openMailbox(entry, clientName)]
            }
        }
    }

    /// After a successful login: the account's Maildir (created on first login) and its store.
    private func openMailbox(_ entry: DirectoryEntry, _ clientName: String?) -> ConnectionAction {
        let layout = services.layout, activity = services.activity, notifier = services.notifier, logger = logger
        let cacheCapacity = settings.metadataCacheEntries, zoneOffset = settings.zoneOffsetSeconds
        return .run(
            BlockingWork(
                on: workers.storage,
                { () -> AuthAttempt in
                    do {
                        let root = try layout.accountRoot(entry.address)
                        if !FileManager.default.fileExists(atPath: root) { try layout.createAccount(entry.address) }
                        activity.record(accountID: entry.accountID, ActivityCounters(imapLogins: 1), client: clientName)
                        let store = IMAPMailStore(
                            root: root, accountID: entry.accountID, quota: entry.quota, notifier: notifier,
                            logger: logger, cacheCapacity: cacheCapacity, zoneOffsetSeconds: zoneOffset)
                        return AuthAttempt(result: .success(account: entry.address.description), delay: 0, store: store)
                    } catch {
                        logger.error("cannot open the mailbox after login", metadata: ["error": "\(error)"])
                        return AuthAttempt(result: .unavailable, delay: 0, store: nil)
                    }
                },
                then: { [weak self] attempt in self?.authFinished(attempt) ?? [] }))
    }

    private func authFinished(_ attempt: AuthAttempt) -> [ConnectionAction] {
        if let s = attempt.store { store = s }
        pendingAuth = attempt.result
        // A login leaves the pre-authentication cap and timeout of the network layer at once.
        let loggedIn: [ConnectionAction] = attempt.store != nil ? [.authenticated] : []
        // A failure answers after the throttle's delay (a timer, never a sleep); a success at once.
        guard attempt.delay > 0 else { return loggedIn + answerLogin(now: clock.now()) }
        return loggedIn + [.setTimer(Timer.authReply, seconds: attempt.delay)]
    }

    private func answerLogin(now: Double) -> [ConnectionAction] {
        guard let result = pendingAuth else { return [] }
        pendingAuth = nil
        return sayGoodbyeIfStopping(carryOut(session.handle(.authenticated(result), now: now), now: now))
    }

    // MARK: - IDLE

    private func startIdleWatch() -> [ConnectionAction] {
        stopIdleWatch()
        guard let path = store?.selectedPath else { return [] }
        let handle = handle
        idleObserver = services.notifier.observe(folderPath: path) { _ in handle.notify(IMAPDriver.wakeName) }
        // Look once at once: changes since the last command are announced without waiting for the poll.
        return poll()
    }

    private func stopIdleWatch() {
        if let token = idleObserver {
            services.notifier.remove(token)
            idleObserver = nil
        }
    }

    /// Re-reads the selected folder during IDLE and pushes what changed; re-arms the poll timer.
    private func poll() -> [ConnectionAction] {
        guard session.isIdling, let store else { return [] }
        guard !storeBusy else {
            wakeWanted = true
            return []
        }
        storeBusy = true
        return [
            .run(
                BlockingWork(
                    on: workers.storage,
                    { () -> PollResult in
                        do { return .changed(try store.changesSinceLastLook()) } catch is IMAPMailStore.FolderRebuilt {
                            return .rebuilt
                        } catch { return .changed(nil) }
                    },
                    then: { [weak self] result in self?.pollFinished(result) ?? [] }))
        ]
    }

    private enum PollResult: Sendable {
        case changed(MailboxChange?)
        case rebuilt
    }

    /// The selected folder got a new UIDVALIDITY: the client must start over (RFC 3501 §2.3.1.1).
    private func folderRebuilt() -> [ConnectionAction] {
        logger.warning("selected folder was rebuilt with a new UIDVALIDITY; closing the IMAP session")
        stopIdleWatch()
        let bye = IMAPResponse.untagged(
            .bye, nil, "The folder was rebuilt on the server; reconnect and your mail program will resynchronize")
        return [.send(bye.bytes()), .close]
    }

    private func pollFinished(_ result: PollResult) -> [ConnectionAction] {
        storeBusy = false
        guard case .changed(let change) = result else { return folderRebuilt() }
        let now = clock.now()
        var actions: [IMAPAction] = []
        if let change, !change.isEmpty { actions = session.handle(.mailboxChanged(change), now: now) }
        var out = carryOut(actions, now: now)
        if session.isIdling {
            if wakeWanted {
                wakeWanted = false
                handle.notify(Self.wakeName)
            }
            out.append(.setTimer(Timer.idlePoll, seconds: settings.idlePollSeconds))
        } else {
            out.append(.cancelTimer(Timer.idlePoll))
        }
        return sayGoodbyeIfStopping(out)
    }
}

/// What an authentication job hands back to the connection's queue.
struct AuthAttempt: Sendable {
    let result: IMAPAuthResult
    /// Seconds the reply must still wait (the shared throttle's delay).
    let delay: Double
    /// The account's store on success.
    let store: IMAPMailStore?
}

/// IMAP settings derived from the configuration once per listener.
struct IMAPDriverSettings: Sendable {
    var limits = IMAPLimits()
    var zoneOffsetSeconds = 7 * 3600
    /// Seconds between re-reads of the selected folder during IDLE (changes by other processes;
    /// changes by this server arrive at once through the notifier).
    var idlePollSeconds: Double = 5
    /// Parsed messages each connection keeps (about one large folder's listing).
    var metadataCacheEntries = 12_000
    /// Seconds a command may take to arrive (`limits.command_timeout`; see `IMAPDriver.commandDeadline`).
    var commandTimeoutSeconds: Double = 600
    /// Bytes per second a literal upload must average (`limits.min_upload_rate`).
    var minimumUploadRate: Double = 4096

    init() {}

    init(config: Config) {
        limits.appendLimit = config.limits.maxMessageSize
        // IMAP needs long lines for legal commands (ID, big UID sets): never below the 64 KiB default.
        limits.lineLength = max(config.limits.maxLineLength, IMAPLimits().lineLength)
        limits.autologoutSeconds = Double(config.limits.imapIdleTimeout)
        commandTimeoutSeconds = Double(config.limits.commandTimeout)
        minimumUploadRate = Double(config.limits.minUploadRate)
        if let zone = TimeZone(identifier: config.timezone) { zoneOffsetSeconds = zone.secondsFromGMT() }
    }
}
