import MailCore

/// The server side of one SMTP connection as a value: events in, actions out (RFC 5321, 6409).
///
/// Invariants:
/// - Replies leave in the order the commands arrived. While outside work (authentication, a
///   sender or recipient check, a delivery) is pending, no further input is parsed: it waits in
///   `input` until the result event arrives (RFC 2920 §3).
/// - Nothing is accepted for delivery before `.deliver` was answered `.queued`; the 250 follows it.
/// - AUTH is possible only with TLS on and only in submission mode; MAIL needs AUTH in submission.
/// - Only CRLF.CRLF ends DATA; a message with a bare CR/LF or over the size limit is read to its
///   end and refused, so the dialog stays in sync.
/// - After STARTTLS, plaintext that arrived behind the command is discarded (RFC 3207 §4.2) and
///   the session forgets EHLO, AUTH and any transaction.
/// - After `.close` the session ignores every event.
/// - Memory is bounded by the line limit, the message size limit and `maxBufferedInput`.
/// - Time is bounded too: `pendingInput` says when the client began a command line, AUTH
///   response, DATA transfer or BDAT chunk it has not finished; the connection cuts it at a
///   deadline from that moment (`.deadlineExpired`), however slowly the bytes keep coming.
public struct SMTPServerSession: Sendable {
    /// Input the client has begun and not finished, for bounding slow senders.
    public struct PendingInput: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A command line or an AUTH response line.
            case command
            /// A DATA transfer (from the 354) or one BDAT chunk (from its command line).
            case transfer
        }
        public var kind: Kind
        /// When it began, by the configuration's clock.
        public var since: Double
        /// Bytes of a transfer received so far (0 for a command): a large message on a slow link
        /// may take longer than the deadline as long as it keeps a minimum rate.
        public var bytes: Int
        public init(kind: Kind, since: Double, bytes: Int = 0) {
            self.kind = kind; self.since = since; self.bytes = bytes
        }
    }

    private enum Pending: Sendable {
        case authentication
        case sender(MailFrom)
        case recipient(EmailAddress)
        case delivery
    }

    private enum Phase: Sendable {
        case notConnected
        case command
        case authPlainResponse
        case authLoginUsername
        case authLoginPassword(username: String)
        case data(DataDecoder)
        /// Reading a BDAT chunk; `refusal` is the reply to give once it is read when it was refused.
        case bdat(remaining: Int, last: Bool, refusal: SMTPReply?)
        case awaiting(Pending)
        case awaitingTLS
        case closed
    }

    private struct Transaction: Sendable {
        var mail: MailFrom
        /// Addresses the header From: may use; nil means no check (inbound mode).
        var identities: [EmailAddress]?
        var recipients: [EnvelopeRecipient] = []
        var chunks: [UInt8] = []
        var chunksTooLarge = false
        var usedBDAT = false
    }

    public let configuration: SMTPServerConfiguration
    private var phase = Phase.notConnected
    private var input = ByteQueue()
    private var discardingLongLine = false
    private var peer = SMTPPeer(address: "", sessionID: "")
    private var tlsVersion: String?
    private var heloName: String?
    private var account: EmailAddress?
    private var transaction: Transaction?
    private var consecutiveErrors = 0
    private var transactionCount = 0
    private var shutdownRequested = false
    private var pending: PendingInput?
    /// Frames (lines, messages, chunks) completed so far: a new one restarts `pendingInput.since`.
    private var framesCompleted = 0
    /// Bytes of the DATA transfer or BDAT chunk being received.
    private var transferBytes = 0

    public init(configuration: SMTPServerConfiguration) { self.configuration = configuration }

    private var limits: SMTPLimits { configuration.limits }

    /// True once the session asked to close; later events do nothing.
    public var isClosed: Bool { if case .closed = phase { return true } else { return false } }
    /// True while the session waits for the result of outside work (pause idle timers then).
    public var isAwaitingOutsideWork: Bool { if case .awaiting = phase { return true } else { return false } }
    /// True while the session waits for the TLS handshake it asked for.
    public var isAwaitingTLS: Bool { if case .awaitingTLS = phase { return true } else { return false } }
    /// The authenticated account, if any.
    public var authenticatedAccount: EmailAddress? { account }
    /// What the client has begun sending and not finished; nil between commands and while the
    /// session waits for outside work or TLS (that wait is ours, not the client's).
    public var pendingInput: PendingInput? { pending }

    /// Feeds one event; returns what to do, in order.
    public mutating func receive(_ event: SMTPServerEvent) -> [SMTPServerAction] {
        let framesBefore = framesCompleted
        let out = apply(event)
        notePendingInput(framesBefore: framesBefore)
        return out
    }

    /// Starts, restarts or clears the pending-input clock after an event.
    private mutating func notePendingInput(framesBefore: Int) {
        let kind: PendingInput.Kind?
        switch phase {
        case .command, .authPlainResponse, .authLoginUsername, .authLoginPassword:
            kind = !input.isEmpty || discardingLongLine ? .command : nil
        case .data, .bdat:
            kind = .transfer
        case .notConnected, .awaiting, .awaitingTLS, .closed:
            kind = nil
        }
        guard let kind else { pending = nil; return }
        let bytes = kind == .transfer ? transferBytes : 0
        if let current = pending, current.kind == kind, framesCompleted == framesBefore {
            pending?.bytes = bytes
            return
        }
        pending = PendingInput(kind: kind, since: configuration.clock.now(), bytes: bytes)
    }

    private mutating func apply(_ event: SMTPServerEvent) -> [SMTPServerAction] {
        if isClosed { return [] }
        switch event {
        case .connected(let newPeer):
            guard case .notConnected = phase else { return [] }
            peer = newPeer
            tlsVersion = newPeer.tlsVersion
            phase = .command
            return [.send(.greeting(configuration.hostname))] + process()
        case .received(let bytes):
            switch phase {
            case .notConnected, .awaitingTLS: return []  // plaintext before the handshake is never trusted
            default: break
            }
            input.append(bytes)
            if isAwaitingOutsideWork && input.count > limits.maxBufferedInput {
                return closeWith(.inputFlood)
            }
            return process()
        case .tlsStarted(let version):
            guard isAwaitingTLS else { return [] }
            tlsVersion = version
            heloName = nil
            account = nil
            transaction = nil
            input.removeAll()
            discardingLongLine = false
            phase = .command
            return []
        case .authenticationResult(let result):
            guard case .awaiting(.authentication) = phase else { return [] }
            phase = .command
            let out: [SMTPServerAction]
            switch result {
            case .succeeded(let who):
                account = who
                out = succeed(.authSucceeded)
            case .failed: out = fail(.authFailed)
            case .blocked: out = fail(.authBlocked)
            case .busy: out = fail(.authBusy)
            }
            return out + process()
        case .senderCheckResult(let result):
            guard case .awaiting(.sender(let mail)) = phase else { return [] }
            phase = .command
            let out: [SMTPServerAction]
            switch result {
            case .allowed(let identities):
                transaction = Transaction(mail: mail, identities: identities)
                out = succeed(.senderOK)
            case .refused: out = fail(.senderNotAllowed)
            // Our fault, not the client's: no error budget spent, and a 4xx so it tries again.
            case .temporaryFailure: out = [.send(.localError)]
            }
            return out + process()
        case .recipientCheckResult(let result):
            guard case .awaiting(.recipient(let address)) = phase else { return [] }
            phase = .command
            return recipientChecked(address, result) + process()
        case .deliveryResult(let result):
            guard case .awaiting(.delivery) = phase else { return [] }
            phase = .command
            transaction = nil
            var out: [SMTPServerAction]
            switch result {
            case .queued(let id): out = succeed(.queued(id))
            case .transientFailure: out = [.send(.localError)]
            case .refused(let reply): out = [.send(reply)]
            }
            if shutdownRequested { return out + closeWith(.shuttingDown) }
            return out + process()
        case .timeout:
            // Never cut a delivery short: the client would retry and the message arrive twice.
            if case .awaiting(.delivery) = phase { shutdownRequested = true; return [] }
            return closeWith(.idleTimeout)
        case .deadlineExpired:
            if case .awaiting(.delivery) = phase { shutdownRequested = true; return [] }
            return closeWith(.transferTooSlow)
        case .preAuthenticationExpired:
            if case .awaiting(.delivery) = phase { shutdownRequested = true; return [] }
            return closeWith(.notAuthenticatedInTime)
        case .shutdown:
            if case .awaiting(.delivery) = phase { shutdownRequested = true; return [] }
            return closeWith(.shuttingDown)
        }
    }

    // MARK: - Input

    /// Handles buffered input until it runs out or outside work is pending.
    private mutating func process() -> [SMTPServerAction] {
        var out: [SMTPServerAction] = []
        while true {
            switch phase {
            case .notConnected, .awaiting, .awaitingTLS, .closed:
                return out
            case .command:
                if discardingLongLine {
                    guard let lf = input.firstIndex(of: 10) else { input.removeAll(); return out }
                    input.discard(lf + 1)
                    discardingLongLine = false
                    framesCompleted += 1
                }
                do {
                    guard let command = try SMTPCommandParser.parse(&input, lineLimit: limits.lineLength) else {
                        return out
                    }
                    framesCompleted += 1
                    out += handle(command)
                } catch .httpRequest {
                    phase = .closed
                    return out + [.close]
                } catch .lineTooLong {
                    discardingLongLine = true
                    out += fail(.lineTooLong)
                } catch {
                    framesCompleted += 1
                    out += fail(error.reply)
                }
            case .authPlainResponse, .authLoginUsername, .authLoginPassword:
                do {
                    guard let line = try SMTPLineReader.nextLine(&input, limit: limits.lineLength) else { return out }
                    framesCompleted += 1
                    out += authStep(String(decoding: line, as: UTF8.self))
                } catch {
                    phase = .command
                    if error == .lineTooLong { discardingLongLine = true }
                    out += fail(error.reply)
                }
            case .data(var decoder):
                // Drop the enum's reference first, or appending to the decoder's buffer copies it each time.
                phase = .command
                let before = input.count
                let outcome = decoder.decode(&input)
                guard let outcome else {
                    transferBytes += before - input.count
                    phase = .data(decoder)
                    return out
                }
                phase = .command
                framesCompleted += 1
                transferBytes = 0
                out += messageComplete(outcome)
            case .bdat(let remaining, let last, let refusal):
                let n = min(remaining, input.count)
                if refusal == nil, transaction != nil {
                    appendChunk(input.readable.prefix(n))
                }
                input.discard(n)
                if n < remaining {
                    transferBytes += n
                    phase = .bdat(remaining: remaining - n, last: last, refusal: refusal)
                    return out
                }
                phase = .command
                framesCompleted += 1
                transferBytes = 0
                if let refusal { out += fail(refusal); continue }
                out += chunkComplete(last: last)
            }
        }
    }

    // MARK: - Commands

    private mutating func handle(_ command: SMTPCommand) -> [SMTPServerAction] {
        switch command {
        case .ehlo(let name):
            heloName = name
            transaction = nil
            return succeed(.ehlo(host: configuration.hostname, client: name, extensions: extensions))
        case .helo(let name):
            heloName = name
            transaction = nil
            return succeed(.helo(host: configuration.hostname))
        case .mail(let mail): return mailFrom(mail)
        case .rcpt(let rcpt):
            guard let address = rcpt.forwardPath ?? configuration.postmaster else { return fail(.unknownUser) }
            return rcptTo(address)
        case .data:
            if let refusal = transactionRefusal() { return fail(refusal) }
            if transaction?.usedBDAT == true { return fail(.bdatAfterData) }
            phase = .data(DataDecoder(maxSize: limits.maxMessageSize))
            return [.send(.startMailInput)]
        case .bdat(let size, let last):
            let refusal = transactionRefusal()
            if refusal == nil { transaction?.usedBDAT = true }
            phase = .bdat(remaining: size, last: last, refusal: refusal)
            return []
        case .rset:
            transaction = nil
            return succeed(.resetOK)
        case .noop: return succeed(.ok)
        case .quit:
            phase = .closed
            return [.send(.bye), .close]
        case .vrfy: return succeed(.vrfyNotSupported)
        case .help: return succeed(.help)
        case .startTLS:
            if tlsVersion != nil { return fail(.alreadyTLS) }
            guard configuration.tlsAvailable else { return [.send(.tlsNotAvailable)] }
            input.removeAll()  // RFC 3207 §4.2: nothing sent before the handshake may count
            phase = .awaitingTLS
            return [.send(.readyForTLS), .startTLS]
        case .auth(let mechanism, let initialResponse):
            return auth(mechanism, initialResponse)
        }
    }

    /// The EHLO keywords (RFC 5321 §4.1.1.1), depending on TLS and mode.
    private var extensions: [String] {
        var list = [
            "PIPELINING", "SIZE \(limits.maxMessageSize)", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES",
            "CHUNKING",
        ]
        if tlsVersion == nil && configuration.tlsAvailable { list.append("STARTTLS") }
        if tlsVersion != nil && configuration.mode == .submission { list.append("AUTH PLAIN LOGIN") }
        return list
    }

    // Mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF   — RFC 5321 §4.1.1.2
    private mutating func mailFrom(_ mail: MailFrom) -> [SMTPServerAction] {
        guard heloName != nil else { return fail(.sendHelloFirst) }
        guard transaction == nil else { return fail(.nestedMail) }
        if configuration.mode == .submission && account == nil {
            return fail(tlsVersion == nil ? .startTLSFirst : .authRequired)
        }
        if let size = mail.size, size > limits.maxMessageSize { return [.send(.messageTooLarge)] }
        if let path = mail.reversePath, !path.isASCII, !mail.smtpUTF8 { return fail(.needSMTPUTF8) }
        switch configuration.mode {
        case .inbound:
            transaction = Transaction(mail: mail, identities: nil)
            return succeed(.senderOK)
        case .submission:
            guard let path = mail.reversePath, let account else { return fail(.nullSenderNotAllowed) }
            phase = .awaiting(.sender(mail))
            return [.checkSender(address: path, account: account)]
        }
    }

    // Rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) ...   — §4.1.1.3
    private mutating func rcptTo(_ address: EmailAddress) -> [SMTPServerAction] {
        guard let current = transaction else { return fail(.needMail) }
        if !address.isASCII && !current.mail.smtpUTF8 { return fail(.needSMTPUTF8) }
        if current.recipients.contains(where: { $0.address == address }) { return succeed(.recipientOK) }
        if current.recipients.count >= limits.maxRecipients { return [.send(.tooManyRecipients)] }
        phase = .awaiting(.recipient(address))
        return [
            .checkRecipient(
                RecipientCheck(
                    address: address, mode: configuration.mode,
                    declaredSize: current.mail.size))
        ]
    }

    private mutating func recipientChecked(_ address: EmailAddress, _ result: RecipientCheckResult)
        -> [SMTPServerAction]
    {
        switch result {
        case .local(let mailbox):
            transaction?.recipients.append(EnvelopeRecipient(address: address, route: .local(mailbox: mailbox)))
            return succeed(.recipientOK)
        case .remoteAcceptedForRelay:
            // Port 25 never relays, whatever the directory says.
            guard configuration.mode == .submission else { return fail(.relayDenied) }
            transaction?.recipients.append(EnvelopeRecipient(address: address, route: .relay))
            return succeed(.recipientRelayOK)
        case .unknownLocal: return fail(.unknownUser)
        case .remoteRefused: return fail(.relayDenied)
        case .overQuota: return [.send(.overQuota)]
        case .tooLargeForAccount: return [.send(.tooLargeForAccount)]
        case .temporaryFailure: return [.send(.localError)]
        }
    }

    /// Why DATA or BDAT cannot start now, or nil.
    private func transactionRefusal() -> SMTPReply? {
        guard let current = transaction else { return heloName == nil ? .sendHelloFirst : .needMail }
        return current.recipients.isEmpty ? .noValidRecipients : nil
    }

    // MARK: - AUTH (RFC 4954)

    private mutating func auth(_ mechanism: SASLMechanism, _ initialResponse: String?) -> [SMTPServerAction] {
        guard configuration.mode == .submission else { return fail(.authNotOnThisPort) }
        guard tlsVersion != nil else { return fail(.startTLSFirst) }
        guard heloName != nil else { return fail(.sendHelloFirst) }
        guard account == nil else { return fail(.alreadyAuthenticated) }
        guard transaction == nil else { return fail(.authDuringTransaction) }
        switch (mechanism, initialResponse) {
        case (.plain, nil):
            phase = .authPlainResponse
            return [.send(.authContinue(""))]
        case (.plain, let response?):
            return authStepPlain(response == "=" ? "" : response)
        case (.login, nil):
            phase = .authLoginUsername
            return [.send(.authContinue(Base64.encode(Array("Username:".utf8))))]
        case (.login, let response?):
            phase = .authLoginUsername
            return authStep(response == "=" ? "" : response)
        }
    }

    private mutating func authStep(_ line: String) -> [SMTPServerAction] {
        switch phase {
        case .authPlainResponse:
            return authStepPlain(line)
        case .authLoginUsername:
            do {
                let user = try SASL.decodeLoginStep(line)
                phase = .authLoginPassword(username: String(decoding: user, as: UTF8.self))
                return [.send(.authContinue(Base64.encode(Array("Password:".utf8))))]
            } catch { return authProblem(error) }
        case .authLoginPassword(let username):
            do {
                let password = try SASL.decodeLoginStep(line)
                phase = .awaiting(.authentication)
                return [
                    .authenticate(
                        AuthenticationRequest(
                            mechanism: .login, authorizationIdentity: "",
                            username: username, password: Secret(bytes: password)))
                ]
            } catch { return authProblem(error) }
        default:
            return []
        }
    }

    private mutating func authStepPlain(_ line: String) -> [SMTPServerAction] {
        do {
            let credentials = try SASL.decodePlain(line)
            phase = .awaiting(.authentication)
            return [
                .authenticate(
                    AuthenticationRequest(
                        mechanism: .plain,
                        authorizationIdentity: credentials.authorizationIdentity,
                        username: credentials.username,
                        password: credentials.password))
            ]
        } catch { return authProblem(error) }
    }

    private mutating func authProblem(_ error: any Error) -> [SMTPServerAction] {
        phase = .command
        switch error as? SASL.Problem {
        case .cancelled: return fail(.authCancelled)
        case .notBase64: return fail(.authNotBase64)
        default: return fail(.authFailed)
        }
    }

    // MARK: - Message

    private mutating func appendChunk(_ bytes: ArraySlice<UInt8>) {
        // Mutate in place (no local copy) so appending never copies the chunks gathered so far.
        guard let tooLarge = transaction?.chunksTooLarge, !tooLarge, let count = transaction?.chunks.count else {
            return
        }
        if count + bytes.count > limits.maxMessageSize {
            transaction?.chunksTooLarge = true
            transaction?.chunks = []
        } else {
            transaction?.chunks.append(contentsOf: bytes)
        }
    }

    private mutating func chunkComplete(last: Bool) -> [SMTPServerAction] {
        guard let current = transaction else { return fail(.needMail) }
        if !last { return [.send(.bdatOK(current.chunks.count))] }
        if current.chunksTooLarge { return messageComplete(.tooLarge) }
        if Self.hasBareLineEnding(current.chunks) { return messageComplete(.bareLineEnding) }
        return messageComplete(.message(current.chunks))
    }

    static func hasBareLineEnding(_ bytes: [UInt8]) -> Bool {
        for i in bytes.indices {
            if bytes[i] == 13 && (i + 1 == bytes.count || bytes[i + 1] != 10) { return true }
            if bytes[i] == 10 && (i == 0 || bytes[i - 1] != 13) { return true }
        }
        return false
    }

    private mutating func messageComplete(_ outcome: DataDecoder.Outcome) -> [SMTPServerAction] {
        guard let current = transaction else { return [.send(.localError)] }
        let message: [UInt8]
        switch outcome {
        case .tooLarge:
            transaction = nil
            return [.send(.messageTooLarge)]
        case .bareLineEnding:
            transaction = nil
            return fail(.bareLineEndingInData)
        case .message(let bytes):
            message = bytes
        }
        if let identities = current.identities {
            guard let from = HeaderFrom.addresses(in: message) else {
                transaction = nil
                return fail(.noFromHeader)
            }
            guard from.allSatisfy({ identities.contains($0) }) else {
                transaction = nil
                return fail(.headerFromNotAllowed)
            }
        }
        transactionCount += 1
        let transactionID = "\(peer.sessionID).\(transactionCount)"
        let now = configuration.clock.now()
        let info = ReceivedInfo(
            heloName: heloName ?? "unknown",
            clientAddress: configuration.hideClientAddress ? nil : peer.address,
            tlsVersion: tlsVersion, authenticated: account != nil,
            hostname: configuration.hostname, id: transactionID)
        let fixed = SubmissionFixes.apply(
            to: message, received: info, now: now,
            messageID: "\(Int(now)).\(transactionID)@\(configuration.hostname)",
            addMissingFields: configuration.mode == .submission)
        phase = .awaiting(.delivery)
        return [
            .deliver(
                Delivery(
                    sender: current.mail.reversePath, recipients: current.recipients, account: account,
                    message: fixed, smtpUTF8: current.mail.smtpUTF8, transactionID: transactionID))
        ]
    }

    // MARK: - Replies and the error budget

    private mutating func succeed(_ reply: SMTPReply) -> [SMTPServerAction] {
        consecutiveErrors = 0
        return [.send(reply)]
    }

    /// A client error: counts against the budget; past it, `421 4.7.0` and close.
    private mutating func fail(_ reply: SMTPReply) -> [SMTPServerAction] {
        consecutiveErrors += 1
        if consecutiveErrors >= limits.errorBudget {
            return [.send(reply)] + closeWith(.tooManyErrors)
        }
        return [.send(reply)]
    }

    private mutating func closeWith(_ reply: SMTPReply) -> [SMTPServerAction] {
        phase = .closed
        input.removeAll()
        return [.send(reply), .close]
    }
}
