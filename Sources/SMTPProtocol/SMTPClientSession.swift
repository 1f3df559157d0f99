import MailCore

/// How the relay client treats TLS to the smarthost.
public enum RelayTLSPolicy: Sendable, Equatable {
    /// STARTTLS must succeed, or nothing is sent (the message stays queued).
    case required
    /// STARTTLS when offered; plaintext otherwise (never with AUTH).
    case opportunistic
}

/// Fixed settings of one relay connection.
public struct SMTPClientConfiguration: Sendable {
    /// The name given in EHLO (this server's host name).
    public var heloName: String
    public var tls: RelayTLSPolicy
    /// Smarthost credentials, sent only over TLS.
    public var username: String?
    public var password: Secret?

    public init(heloName: String, tls: RelayTLSPolicy, username: String? = nil, password: Secret? = nil) {
        self.heloName = heloName
        self.tls = tls
        self.username = username
        self.password = password
    }
}

/// One queued message to hand to the smarthost.
public struct RelayEnvelope: Sendable, Equatable {
    /// nil for the null reverse path (bounces).
    public var sender: EmailAddress?
    public var recipients: [EmailAddress]
    /// The message with CRLF line ends, not yet dot-stuffed.
    public var message: [UInt8]
    public var smtpUTF8: Bool

    public init(sender: EmailAddress?, recipients: [EmailAddress], message: [UInt8], smtpUTF8: Bool = false) {
        self.sender = sender
        self.recipients = recipients
        self.message = message
        self.smtpUTF8 = smtpUTF8
    }
}

/// What happened to one recipient.
public enum RelayRecipientOutcome: Sendable, Equatable {
    /// The smarthost took responsibility (2xx after DATA).
    case delivered(SMTPReply)
    /// Try again later (4xx, connection lost, TLS or AUTH not possible).
    case transientFailure(SMTPReply)
    /// Bounce (5xx).
    case permanentFailure(SMTPReply)
}

public enum SMTPClientEvent: Sendable, Equatable {
    case connected
    case received([UInt8])
    /// The TLS handshake asked for with `.startTLS` completed.
    case tlsStarted(version: String)
    /// The connection closed or failed (including a failed TLS handshake).
    case connectionClosed
    case timeout
}

public enum SMTPClientAction: Sendable, Equatable {
    /// Bytes to write; `logText` is what a protocol log may show (AUTH data and the message redacted).
    case send(bytes: [UInt8], logText: String)
    case startTLS
    case close
    /// Every recipient's outcome, in envelope order; comes exactly once, before or with `.close`.
    case finished([(EmailAddress, RelayRecipientOutcome)])

    public static func == (a: SMTPClientAction, b: SMTPClientAction) -> Bool {
        switch (a, b) {
        case (.send(let x, let lx), .send(let y, let ly)): return x == y && lx == ly
        case (.startTLS, .startTLS), (.close, .close): return true
        case (.finished(let x), .finished(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// The relay client for one message as a value: events in, actions out (RFC 5321 §3, RFC 3207, RFC 4954).
///
/// Invariants: the password is sent only after TLS is on; with `.required`, nothing but EHLO and
/// STARTTLS is sent without TLS; recipients are delivered only by a 2xx after the end of data;
/// `.finished` is emitted exactly once, and every recipient has an outcome in it.
public struct SMTPClientSession: Sendable {
    private enum State: Sendable {
        case connecting, greeting, ehlo, startTLS, tlsHandshake, authPlain, authLoginUser, authLoginPassword,
            authLoginDone, mail, rcpt(Int), data, dataEnd, quit, done
    }

    public let configuration: SMTPClientConfiguration
    public let envelope: RelayEnvelope
    private var state = State.connecting
    private var input = ByteQueue()
    private var tlsOn = false
    private var extensions: Set<String> = []
    private var authMechanisms: Set<String> = []
    private var outcomes: [RelayRecipientOutcome?]
    private var accepted: [Int] = []

    public init(configuration: SMTPClientConfiguration, envelope: RelayEnvelope) {
        self.configuration = configuration
        self.envelope = envelope
        outcomes = Array(repeating: nil, count: envelope.recipients.count)
    }

    public var isFinished: Bool { if case .done = state { return true } else { return false } }

    public mutating func receive(_ event: SMTPClientEvent) -> [SMTPClientAction] {
        if isFinished { return [] }
        switch event {
        case .connected:
            guard case .connecting = state else { return [] }
            state = .greeting
            return []
        case .received(let bytes):
            if case .tlsHandshake = state { return [] }
            input.append(bytes)
            var out: [SMTPClientAction] = []
            while !isFinished {
                let reply: SMTPReply?
                do { reply = try SMTPReplyParser.parse(&input) } catch {
                    return out + giveUp(SMTPReply(451, "4.5.0", "The smarthost sent a malformed reply"))
                }
                guard let reply else { break }
                out += handle(reply)
                if case .tlsHandshake = state { input.removeAll(); break }
            }
            return out
        case .tlsStarted:
            guard case .tlsHandshake = state else { return [] }
            tlsOn = true
            input.removeAll()
            state = .ehlo
            return [command("EHLO \(configuration.heloName)")]
        case .connectionClosed:
            return giveUp(SMTPReply(451, "4.4.2", "The connection to the smarthost was lost"), close: false)
        case .timeout:
            return giveUp(SMTPReply(451, "4.4.2", "The smarthost did not answer in time"))
        }
    }

    private mutating func handle(_ reply: SMTPReply) -> [SMTPClientAction] {
        switch state {
        case .connecting, .tlsHandshake, .done:
            return []
        case .greeting:
            guard reply.code == 220 else { return giveUp(asTransient(reply)) }
            state = .ehlo
            return [command("EHLO \(configuration.heloName)")]
        case .ehlo:
            guard reply.code == 250 else { return giveUp(asTransient(reply)) }
            extensions = []
            authMechanisms = []
            for line in reply.lines.dropFirst() {
                let words = line.uppercased().split(separator: " ").map(String.init)
                guard let keyword = words.first else { continue }
                extensions.insert(keyword)
                if keyword == "AUTH" { authMechanisms.formUnion(words.dropFirst()) }
            }
            if !tlsOn {
                if extensions.contains("STARTTLS") {
                    state = .startTLS
                    return [command("STARTTLS")]
                }
                if configuration.tls == .required {
                    return giveUp(
                        SMTPReply(
                            454, "4.7.0", "The smarthost does not offer STARTTLS, which the configuration requires"))
                }
            }
            return authenticateOrMail()
        case .startTLS:
            if reply.code == 220 {
                state = .tlsHandshake
                return [.startTLS]
            }
            if configuration.tls == .required { return giveUp(reply.code >= 500 ? asTransient(reply) : reply) }
            return authenticateOrMail()
        case .authPlain, .authLoginDone:
            guard reply.code == 235 else { return giveUp(asTransient(reply)) }
            return mailFrom()
        case .authLoginUser:
            guard reply.code == 334 else { return giveUp(asTransient(reply)) }
            state = .authLoginPassword
            return [secret(Base64.encode(Array((configuration.username ?? "").utf8)))]
        case .authLoginPassword:
            guard reply.code == 334 else { return giveUp(asTransient(reply)) }
            state = .authLoginDone
            return [secret(Base64.encode(configuration.password?.unsafeBytes ?? []))]
        case .mail:
            guard reply.code == 250 else { return giveUp(reply) }
            return rcpt(0)
        case .rcpt(let index):
            if reply.code / 100 == 2 {
                accepted.append(index)
            } else {
                outcomes[index] = failure(reply)
            }
            if index + 1 < envelope.recipients.count { return rcpt(index + 1) }
            if accepted.isEmpty { return quit() }
            state = .data
            return [command("DATA")]
        case .data:
            guard reply.code == 354 else { return settleAccepted(reply) + quit() }
            state = .dataEnd
            return [
                .send(
                    bytes: DataEncoder.encode(envelope.message),
                    logText: "<message, \(envelope.message.count) bytes>")
            ]
        case .dataEnd:
            return settleAccepted(reply) + quit()
        case .quit:
            return finish()
        }
    }

    private mutating func authenticateOrMail() -> [SMTPClientAction] {
        guard let username = configuration.username, let password = configuration.password else { return mailFrom() }
        guard tlsOn else {
            return giveUp(
                SMTPReply(
                    454, "4.7.0", "Not sending the smarthost password without TLS; enable STARTTLS on the smarthost"))
        }
        if authMechanisms.contains("PLAIN") {
            state = .authPlain
            let response = Base64.encode([0] + Array(username.utf8) + [0] + password.unsafeBytes)
            return [.send(bytes: Array("AUTH PLAIN \(response)\r\n".utf8), logText: "AUTH PLAIN <redacted>")]
        }
        if authMechanisms.contains("LOGIN") {
            state = .authLoginUser
            return [command("AUTH LOGIN")]
        }
        return giveUp(SMTPReply(454, "4.7.0", "The smarthost offers neither AUTH PLAIN nor AUTH LOGIN"))
    }

    private mutating func mailFrom() -> [SMTPClientAction] {
        state = .mail
        var line = "MAIL FROM:<\(envelope.sender?.description ?? "")>"
        if extensions.contains("SIZE") { line += " SIZE=\(envelope.message.count)" }
        if extensions.contains("8BITMIME") && envelope.message.contains(where: { $0 >= 0x80 }) {
            line += " BODY=8BITMIME"
        }
        if envelope.smtpUTF8 && extensions.contains("SMTPUTF8") { line += " SMTPUTF8" }
        return [command(line)]
    }

    private mutating func rcpt(_ index: Int) -> [SMTPClientAction] {
        state = .rcpt(index)
        return [command("RCPT TO:<\(envelope.recipients[index])>")]
    }

    private mutating func settleAccepted(_ reply: SMTPReply) -> [SMTPClientAction] {
        for index in accepted { outcomes[index] = reply.code / 100 == 2 ? .delivered(reply) : failure(reply) }
        accepted = []
        return []
    }

    private mutating func quit() -> [SMTPClientAction] {
        state = .quit
        return [command("QUIT")]
    }

    /// Ends the session: every recipient without an outcome gets one from `reply`.
    private mutating func giveUp(_ reply: SMTPReply, close: Bool = true) -> [SMTPClientAction] {
        for index in outcomes.indices where outcomes[index] == nil { outcomes[index] = failure(reply) }
        accepted = []
        return finish(close: close)
    }

    private mutating func finish(close: Bool = true) -> [SMTPClientAction] {
        let fallback = SMTPReply(451, "4.4.2", "The smarthost closed the connection")
        let results = envelope.recipients.enumerated().map { ($1, outcomes[$0] ?? .transientFailure(fallback)) }
        state = .done
        return [.finished(results)] + (close ? [.close] : [])
    }

    private func failure(_ reply: SMTPReply) -> RelayRecipientOutcome {
        reply.code >= 500 ? .permanentFailure(reply) : .transientFailure(reply)
    }

    /// A refusal caused by our configuration (TLS, AUTH) must not bounce mail: retry instead.
    private func asTransient(_ reply: SMTPReply) -> SMTPReply {
        reply.code >= 500
            ? SMTPReply(
                454, "4.7.0",
                [
                    "The smarthost refused: \(reply.wireLines.joined(separator: " "))",
                    "Check relay settings",
                ]) : reply
    }

    private func command(_ text: String) -> SMTPClientAction {
        .send(bytes: Array((text + "\r\n").utf8), logText: text)
    }

    private func secret(_ base64: String) -> SMTPClientAction {
        .send(bytes: Array((base64 + "\r\n").utf8), logText: "<redacted>")
    }
}
