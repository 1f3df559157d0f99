import MailCore

/// What the ManageSieve session needs done outside (blocking storage, password checks).
public enum ManageSieveRequest: Sendable, Equatable {
    case list
    case get(String)
    case put(String, source: String)
    case setActive(String?)
    case delete(String)
    case rename(String, to: String)
    case haveSpace(String, size: Int)
}

/// The backend's answer to a request.
public enum ManageSieveResult: Sendable, Equatable {
    case done
    case list([ScriptEntry])
    case script(String)
    /// A refusal with its RFC 5804 response code (NONEXISTENT, ACTIVE, ALREADYEXISTS, QUOTA, TRYLATER).
    case refused(code: String?, message: String)

    public struct ScriptEntry: Sendable, Equatable {
        public let name: String
        public let active: Bool
        public init(name: String, active: Bool) { self.name = name; self.active = active }
    }

    public static func == (a: ManageSieveResult, b: ManageSieveResult) -> Bool {
        switch (a, b) {
        case (.done, .done): true
        case (.list(let x), .list(let y)): x == y
        case (.script(let x), .script(let y)): x == y
        case (.refused(let c1, let m1), .refused(let c2, let m2)): c1 == c2 && m1 == m2
        default: false
        }
    }
}

public enum ManageSieveAction: Sendable, Equatable {
    case send([UInt8])
    case startTLS
    case close
    case authenticate(username: String, password: Secret, authorizationIdentity: String)
    case perform(ManageSieveRequest)
}

public enum ManageSieveEvent: Sendable, Equatable {
    case connected
    case received([UInt8])
    case tlsStarted
    case authenticationResult(ManageSieveLoginResult)
    case requestResult(ManageSieveResult)
    case timeout
    case shutdown
}

/// What the server's login check decided.
public enum ManageSieveLoginResult: Sendable, Equatable {
    case succeeded(account: String)
    case failed
    /// Too many failures from this address.
    case blocked
    /// Too many logins waiting for password verification.
    case busy
}

public struct ManageSieveConfiguration: Sendable {
    public var implementation = "GovMail"
    public var limits = SieveLimits()
    /// STARTTLS offered (a starttls listener whose TLS is not on yet).
    public var tlsAvailable: Bool
    /// TLS is on (implicit listener).
    public var tlsActive: Bool
    /// Plaintext AUTHENTICATE without TLS (only for `tls: none` loopback test listeners).
    public var allowPlaintextAuth: Bool
    public var maxLineLength = 8192
    public var maxScripts = 32
    /// Bad commands before BYE (like SMTP's error budget).
    public var errorBudget = 20

    public init(tlsAvailable: Bool, tlsActive: Bool, allowPlaintextAuth: Bool) {
        self.tlsAvailable = tlsAvailable
        self.tlsActive = tlsActive
        self.allowPlaintextAuth = allowPlaintextAuth
    }
}

/// A ManageSieve server session (RFC 5804) as a value: events in, actions out, no sockets.
///
/// Invariants:
/// - One response per command, in order; while a request or login is outside, input waits in the
///   buffer and is parsed only after the result came back.
/// - After STARTTLS nothing buffered is interpreted; the capability list is sent again (§2.2).
/// - Authentication only over TLS (unless `allowPlaintextAuth`), and only once.
/// - Scripts are compiled before they are stored (PUTSCRIPT) and errors name line and column.
/// - A line or literal over the limits, or too many bad commands, ends the session with BYE.
public struct ManageSieveSession: Sendable {
    private enum State: Sendable, Equatable {
        case notAuthenticated
        /// Waiting for the client's answer to a SASL challenge.
        case sasl(mechanism: String, username: String?)
        case authenticating
        case authenticated(String)
        case working(ManageSieveRequest, account: String)
        case closed
    }

    public private(set) var configuration: ManageSieveConfiguration
    private var state = State.notAuthenticated
    private var buffer: [UInt8] = []
    private var skippingLine = false
    private var errors = 0
    private var stopping = false
    private let parser: ManageSieveParser

    public init(configuration: ManageSieveConfiguration) {
        self.configuration = configuration
        parser = ManageSieveParser(
            maxLineLength: configuration.maxLineLength, maxLiteralSize: configuration.limits.maxScriptSize + 1024)
    }

    public var isClosed: Bool { state == .closed }
    public var isBusy: Bool {
        switch state {
        case .authenticating, .working: true
        default: false
        }
    }
    /// The authenticated account, if any.
    public var account: String? {
        switch state {
        case .authenticated(let a), .working(_, let a): a
        default: nil
        }
    }

    public mutating func receive(_ event: ManageSieveEvent) -> [ManageSieveAction] {
        guard state != .closed else { return [] }
        switch event {
        case .connected:
            return capabilities() + [send(.ok(code: nil, "GovMail ManageSieve ready"))]
        case .received(let bytes):
            buffer += bytes
            return process()
        case .tlsStarted:
            configuration.tlsActive = true
            configuration.tlsAvailable = false
            buffer.removeAll()
            return capabilities() + [send(.ok(code: nil, "TLS negotiated"))]
        case .authenticationResult(let result):
            guard state == .authenticating else { return [] }
            let reply: ManageSieveResponse
            switch result {
            case .succeeded(let account):
                state = .authenticated(account)
                return [send(.ok(code: nil, "Logged in"))] + process()
            case .failed: reply = .no(code: nil, "Authentication failed; check the address and password")
            case .blocked: reply = .no(code: "TRYLATER", "Too many failed logins; wait a few minutes and try again")
            case .busy: reply = .no(code: "TRYLATER", "The server is busy checking logins; try again in a minute")
            }
            state = .notAuthenticated
            return [send(reply)] + process()
        case .requestResult(let result):
            guard case .working(let request, let account) = state else { return [] }
            state = .authenticated(account)
            return answer(request, result) + process()
        case .timeout:
            state = .closed
            return [send(.bye(code: nil, "Idle for too long; closing")), .close]
        case .shutdown:
            stopping = true
            if isBusy { return [] }
            state = .closed
            return [send(.bye(code: nil, "Server shutting down; try again later")), .close]
        }
    }

    private func send(_ r: ManageSieveResponse) -> ManageSieveAction { .send(r.encoded) }

    // MARK: - Framing

    private mutating func process() -> [ManageSieveAction] {
        var out: [ManageSieveAction] = []
        while !isBusy && state != .closed {
            if skippingLine {
                guard let lf = buffer.firstIndex(of: 10) else {
                    buffer.removeAll()
                    return out
                }
                buffer.removeFirst(lf + 1)
                skippingLine = false
            }
            do {
                if case .sasl(let mechanism, let username) = state {
                    guard let answer = try parser.continuation(&buffer) else { return out }
                    out += continueSASL(mechanism, username, answer)
                    continue
                }
                guard let command = try parser.command(&buffer) else { return out }
                out += execute(command)
                if case .startTLS? = out.last { return out }
            } catch {
                switch error {
                case .tooLarge(let why):
                    state = .closed
                    return out + [send(.bye(code: nil, "\(why); closing")), .close]
                case .syntax(let why, let skipFrom):
                    if let skipFrom {
                        buffer.removeFirst(min(skipFrom, buffer.count))
                        skippingLine = true
                    }
                    if case .sasl = state { state = .notAuthenticated }
                    out += refuseBadCommand(why)
                }
            }
        }
        if stopping && !isBusy && state != .closed {
            state = .closed
            out += [send(.bye(code: nil, "Server shutting down; try again later")), .close]
        }
        return out
    }

    private mutating func refuseBadCommand(_ why: String) -> [ManageSieveAction] {
        errors += 1
        if errors > configuration.errorBudget {
            state = .closed
            return [send(.bye(code: nil, "Too many bad commands; closing")), .close]
        }
        return [send(.no(code: nil, why))]
    }

    // MARK: - Commands

    private func capabilities() -> [ManageSieveAction] {
        var lines: [ManageSieveResponse] = [
            .line([.text("IMPLEMENTATION"), .text(configuration.implementation)]),
            .line([.text("SIEVE"), .text(SieveExtensions.supported.joined(separator: " "))]),
        ]
        let authAllowed = configuration.tlsActive || configuration.allowPlaintextAuth
        lines.append(.line([.text("SASL"), .text(authAllowed ? "PLAIN LOGIN" : "")]))
        if configuration.tlsAvailable { lines.append(.line([.text("STARTTLS")])) }
        lines.append(.line([.text("MAXREDIRECTS"), .text(String(configuration.limits.maxRedirects))]))
        lines.append(.line([.text("VERSION"), .text("1.0")]))
        return lines.map(send)
    }

    /// The verb table: which commands each state allows (STYLE.md).
    private mutating func execute(_ c: ManageSieveCommand) -> [ManageSieveAction] {
        let args = c.arguments
        switch c.name {
        case "CAPABILITY":
            return capabilities() + [send(.ok())]
        case "NOOP":
            if let tag = args.first?.text { return [send(.ok(code: "TAG " + quotedText(tag), "Done"))] }
            return [send(.ok(code: nil, "Done"))]
        case "LOGOUT":
            state = .closed
            return [send(.ok(code: nil, "Logout completed")), .close]
        case "STARTTLS":
            guard configuration.tlsAvailable else {
                return refuseBadCommand(
                    configuration.tlsActive ? "TLS is already active" : "STARTTLS is not offered here")
            }
            return [send(.ok(code: nil, "Begin TLS negotiation now")), .startTLS]
        case "AUTHENTICATE":
            return authenticate(args)
        case "CHECKSCRIPT":
            guard account != nil else { return notLoggedIn() }
            guard args.count == 1, let source = args[0].text else {
                return refuseBadCommand("usage: CHECKSCRIPT <script>")
            }
            return checkScript(source)
        case "HAVESPACE", "PUTSCRIPT", "LISTSCRIPTS", "SETACTIVE", "GETSCRIPT", "DELETESCRIPT", "RENAMESCRIPT":
            guard let account else { return notLoggedIn() }
            return scriptCommand(c.name, args, account)
        case "UNAUTHENTICATE":
            guard account != nil else { return notLoggedIn() }
            state = .notAuthenticated
            return [send(.ok())]
        default:
            return refuseBadCommand("unknown command \(c.name)")
        }
    }

    private func quotedText(_ s: String) -> String {
        String(decoding: ManageSieveString.quoted(Array(s.utf8)).encoded, as: UTF8.self)
    }

    private func notLoggedIn() -> [ManageSieveAction] { [send(.no(code: nil, "Log in first (AUTHENTICATE)"))] }

    private func checkScript(_ source: String) -> [ManageSieveAction] {
        do {
            _ = try SieveScript.compile(source, limits: configuration.limits)
            return [send(.ok())]
        } catch {
            return [send(.no(code: nil, "\(error)"))]
        }
    }

    private mutating func scriptCommand(_ name: String, _ args: [ManageSieveArgument], _ account: String)
        -> [ManageSieveAction]
    {
        let request: ManageSieveRequest
        switch (name, args.count) {
        case ("LISTSCRIPTS", 0): request = .list
        case ("GETSCRIPT", 1): request = .get(args[0].text ?? "")
        case ("DELETESCRIPT", 1): request = .delete(args[0].text ?? "")
        case ("SETACTIVE", 1):
            let n = args[0].text ?? ""
            request = .setActive(n.isEmpty ? nil : n)
        case ("RENAMESCRIPT", 2): request = .rename(args[0].text ?? "", to: args[1].text ?? "")
        case ("HAVESPACE", 2):
            guard case .number(let size) = args[1] else { return refuseBadCommand("usage: HAVESPACE <name> <size>") }
            if size > configuration.limits.maxScriptSize {
                return [
                    send(
                        .no(code: "QUOTA/MAXSIZE", "Scripts may be at most \(configuration.limits.maxScriptSize) bytes")
                    )
                ]
            }
            request = .haveSpace(args[0].text ?? "", size: size)
        case ("PUTSCRIPT", 2):
            guard let source = args[1].text else { return refuseBadCommand("usage: PUTSCRIPT <name> <script>") }
            do { _ = try SieveScript.compile(source, limits: configuration.limits) } catch {
                return [send(.no(code: nil, "\(error)"))]
            }
            request = .put(args[0].text ?? "", source: source)
        default:
            return refuseBadCommand("wrong arguments for \(name); see RFC 5804")
        }
        state = .working(request, account: account)
        return [.perform(request)]
    }

    private func answer(_ request: ManageSieveRequest, _ result: ManageSieveResult) -> [ManageSieveAction] {
        switch result {
        case .refused(let code, let message):
            return [send(.no(code: code, message))]
        case .list(let entries):
            let lines = entries.map { e -> ManageSieveAction in
                send(.line([.text(e.name)] + (e.active ? [.atom("ACTIVE")] : [])))
            }
            return lines + [send(.ok())]
        case .script(let source):
            return [.send(ManageSieveString.literal(Array(source.utf8)).encoded + [13, 10]), send(.ok())]
        case .done:
            return [send(.ok())]
        }
    }

    // MARK: - SASL (RFC 4616 PLAIN, LOGIN)

    private mutating func authenticate(_ args: [ManageSieveArgument]) -> [ManageSieveAction] {
        guard account == nil else { return refuseBadCommand("already logged in") }
        guard configuration.tlsActive || configuration.allowPlaintextAuth else {
            return [send(.no(code: "ENCRYPT-NEEDED", "Use STARTTLS before logging in"))]
        }
        guard let mechanism = args.first?.text?.uppercased(), args.count <= 2 else {
            return refuseBadCommand("usage: AUTHENTICATE \"PLAIN\" [initial-response]")
        }
        switch mechanism {
        case "PLAIN":
            if args.count == 2, let initial = args[1].text { return finishPLAIN(Array(initial.utf8)) }
            state = .sasl(mechanism: "PLAIN", username: nil)
            return [send(.challenge([]))]
        case "LOGIN":
            if args.count == 2, let initial = args[1].text {
                return continueSASL("LOGIN", nil, Array(initial.utf8))
            }
            state = .sasl(mechanism: "LOGIN", username: nil)
            return [send(.challenge(Array(Base64.encode(Array("Username:".utf8)).utf8)))]
        default:
            return [send(.no(code: nil, "Unsupported mechanism \(mechanism); use PLAIN or LOGIN"))]
        }
    }

    private mutating func continueSASL(_ mechanism: String, _ username: String?, _ answer: [UInt8])
        -> [ManageSieveAction]
    {
        if answer == Array("*".utf8) {
            state = .notAuthenticated
            return [send(.no(code: nil, "Authentication cancelled"))]
        }
        if mechanism == "PLAIN" { return finishPLAIN(answer) }
        guard let decoded = Base64.decode(String(decoding: answer, as: UTF8.self)) else {
            state = .notAuthenticated
            return [send(.no(code: nil, "The answer is not base64"))]
        }
        let text = String(decoding: decoded, as: UTF8.self)
        guard let username else {
            state = .sasl(mechanism: "LOGIN", username: text)
            return [send(.challenge(Array(Base64.encode(Array("Password:".utf8)).utf8)))]
        }
        state = .authenticating
        return [.authenticate(username: username, password: Secret(text), authorizationIdentity: "")]
    }

    private mutating func finishPLAIN(_ answer: [UInt8]) -> [ManageSieveAction] {
        guard let plain = try? SASL.decodePlain(String(decoding: answer, as: UTF8.self)) else {
            state = .notAuthenticated
            return [send(.no(code: nil, "Malformed PLAIN response"))]
        }
        state = .authenticating
        return [
            .authenticate(
                username: plain.username, password: plain.password,
                authorizationIdentity: plain.authorizationIdentity)
        ]
    }
}
