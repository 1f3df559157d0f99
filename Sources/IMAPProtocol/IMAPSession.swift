import MailCore

/// The server side of one IMAP connection as a value: bytes and events in, actions out (RFC 3501).
///
/// Invariants:
/// - Commands run one at a time; while a request is outstanding no further input is parsed
///   (pipelined bytes wait in `input`), so responses keep command order.
/// - Every command gets exactly one tagged response; untagged updates come before it.
/// - EXPUNGE is never sent during FETCH, STORE, SEARCH or COPY by sequence number, nor when no
///   command is in progress (IDLE counts as in progress) — RFC 3501 §7.4.1, §5.5.
/// - LOGIN and AUTHENTICATE never succeed without TLS; credentials only leave as `Secret`.
/// - After STARTTLS, buffered plaintext is discarded (RFC 3207 §4.2 reasoning, CVE-2011-0411).
/// - No FETCH shows a keyword the client was not told of: `* FLAGS` and `* OK [PERMANENTFLAGS]`
///   naming it go out first, whoever brought it (this session's STORE, APPEND or COPY, or another
///   session's) — RFC 3501 §7.2.6 (`announceKeywordsBeforeUse`, applied to every output).
public struct IMAPSession: Sendable {
    enum Mode: Sendable, Equatable {
        case commands
        /// Waiting for the client's base64 line after `+ ` (RFC 3501 §6.2.2).
        case authenticateResponse(tag: String)
        /// In IDLE until `DONE` (RFC 2177).
        case idle(tag: String)
    }

    struct Selection: Sendable {
        var name: MailboxName
        var view: SelectedMailboxView
        var readOnly: Bool
        var uidValidity: UInt32
    }

    enum Pending: Sendable {
        case tls
        case authenticate(tag: String)
        case list(tag: String, pattern: String, lsub: Bool)
        case select(tag: String, name: MailboxName, readOnly: Bool)
        case status(tag: String, name: MailboxName, items: [StatusItem])
        case simple(tag: String, verb: IMAPVerb)
        case append(tag: String, name: MailboxName)
        case fetch(tag: String, targets: [(Int, UID)], attributes: [FetchAttribute], uid: Bool)
        case search(tag: String, key: SearchKey, targets: [(Int, UID)], uid: Bool)
        case store(tag: String, targets: [(Int, UID)], operation: StoreOperation, uid: Bool)
        case copy(tag: String, name: MailboxName, move: Bool)
        case expunge(tag: String)
        case check(tag: String, verb: IMAPVerb)
        case close(tag: String)
    }

    public let configuration: IMAPSessionConfiguration
    public internal(set) var state: IMAPState = .notAuthenticated
    public internal(set) var tlsActive: Bool
    /// The client's name from ID (RFC 2971), for the usage report.
    public internal(set) var clientName: String?
    var input = ByteQueue()
    var framer: IMAPCommandFramer
    let parser: IMAPCommandParser
    var mode: Mode = .commands
    var pending: Pending?
    var selection: Selection?
    var lastActivity: Double
    var authFailures = 0
    /// When the first byte of the command now partly buffered arrived (nil: none is).
    var partialSince: Double?
    /// Keywords of the selected folder the client was told of (its last `* FLAGS`).
    var announcedKeywords: Set<Flag> = []

    public init(configuration: IMAPSessionConfiguration, now: Double) {
        self.configuration = configuration
        tlsActive = configuration.tlsActive
        framer = IMAPCommandFramer(limits: configuration.limits)
        parser = IMAPCommandParser(limits: configuration.limits)
        lastActivity = now
    }

    /// The selected folder's name and the session's view of it, if any.
    public var selectedMailbox: MailboxName? { selection?.name }
    public var selectedView: SelectedMailboxView? { selection?.view }
    public var isIdling: Bool { if case .idle = mode { return true } else { return false } }

    /// A command the client has begun but not finished sending, for bounding slow senders.
    public struct PartialCommand: Sendable, Equatable {
        /// When its first byte arrived.
        public var since: Double
        /// When bytes last arrived.
        public var lastInput: Double
        /// Whether a literal of it was accepted (an upload that may take long while it progresses).
        public var hasLiteral: Bool
    }

    /// The command being received, if one is partly buffered and the session waits for the rest
    /// (not while a request runs, not in IDLE, not between commands).
    public var partialCommand: PartialCommand? {
        guard let since = partialSince else { return nil }
        return PartialCommand(since: since, lastInput: lastActivity, hasLiteral: framer.isInsideCommand)
    }

    /// CAPABILITY as the current state allows (RFC 3501 §6.1.1); AUTH=PLAIN only once TLS is on.
    public var capabilities: [String] {
        var caps = [
            "IMAP4rev1", "SASL-IR", "LITERAL+", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE", "UNSELECT",
            "SPECIAL-USE", "CHILDREN", "APPENDLIMIT=\(configuration.limits.appendLimit)",
        ]
        if tlsActive {
            caps.append("AUTH=PLAIN")
        } else {
            if configuration.startTLSAvailable && state == .notAuthenticated { caps.append("STARTTLS") }
            caps.append("LOGINDISABLED")
        }
        return caps
    }

    /// The greeting (RFC 3501 §7.1.1).
    public mutating func start() -> [IMAPAction] {
        [.send(.untagged(.ok, .capability(capabilities), "\(configuration.serverName) IMAP ready"))]
    }

    /// Bytes from the client.
    public mutating func receive(_ bytes: [UInt8], now: Double) -> [IMAPAction] {
        guard state != .logout else { return [] }
        lastActivity = now
        input.append(bytes)
        var out: [IMAPAction] = []
        // While a request runs nothing is parsed, so bound what a client may pipeline meanwhile.
        if pending != nil && input.count > configuration.limits.appendLimit + 4 * configuration.limits.lineLength {
            state = .logout
            return [.send(.untagged(.bye, .limit, "Too much data sent without waiting for replies; closing")), .close]
        }
        process(&out)
        notePartialCommand(now: now)
        return announceKeywordsBeforeUse(out)
    }

    /// Starts or stops the partial-command clock after input was processed.
    mutating func notePartialCommand(now: Double) {
        let waitingForClient: Bool
        switch mode {
        case .commands, .authenticateResponse: waitingForClient = pending == nil && state != .logout
        case .idle: waitingForClient = false
        }
        if waitingForClient && (!input.isEmpty || framer.isInsideCommand) {
            if partialSince == nil { partialSince = now }
        } else {
            partialSince = nil
        }
    }

    /// When autologout fires if nothing arrives (RFC 3501 §5.4); the connection arms a timer for it.
    public var autologoutDeadline: Double { lastActivity + configuration.limits.autologoutSeconds }

    /// Decides autologout given `now`; the clock is the caller's (tests use a manual clock).
    public mutating func tick(now: Double) -> [IMAPAction] {
        guard state != .logout, pending == nil, now >= autologoutDeadline else { return [] }
        state = .logout
        let minutes = Int(configuration.limits.autologoutSeconds / 60)
        return [
            .send(
                .untagged(.bye, nil, "Autologout after \(minutes) minutes without activity; log in again to continue")),
            .close,
        ]
    }

    /// The result of a request, or a change pushed by the store.
    public mutating func handle(_ event: IMAPEvent, now: Double) -> [IMAPAction] {
        announceKeywordsBeforeUse(handleEvent(event, now: now))
    }

    mutating func handleEvent(_ event: IMAPEvent, now: Double) -> [IMAPAction] {
        var out: [IMAPAction] = []
        if case .mailboxChanged(let change) = event {
            let answersCheck: Bool
            if case .check = pending { answersCheck = true } else { answersCheck = false }
            if !answersCheck {
                selection?.view.apply(change)
                if isIdling { flushUpdates(allowExpunge: true, &out) }
                return out
            }
        }
        if case .tlsStarted = event {
            guard case .tls = pending else { return out }
            pending = nil
            tlsActive = true
            process(&out)
            notePartialCommand(now: now)
            return out
        }
        guard let p = pending else { return out }
        pending = nil
        finish(p, event, &out)
        if state != .logout { process(&out) }
        notePartialCommand(now: now)
        return out
    }

    // MARK: - Input

    mutating func process(_ out: inout [IMAPAction]) {
        while pending == nil && state != .logout {
            switch mode {
            case .commands:
                guard let outcome = framer.next(&input) else { return }
                if outcome != .continuationNeeded { partialSince = nil }  // the next bytes start a new command
                handleFrame(outcome, &out)
            case .authenticateResponse(let tag):
                guard let outcome = framer.nextLine(&input) else { return }
                mode = .commands
                partialSince = nil
                guard case .command(let line) = outcome else { return tooLong(&out) }
                authenticateResponse(tag: tag, line: line, &out)
            case .idle(let tag):
                guard let outcome = framer.nextLine(&input) else { return }
                mode = .commands
                partialSince = nil
                out.append(.idleEnded)
                guard case .command(let line) = outcome else { return tooLong(&out) }
                if String(decoding: line, as: UTF8.self).uppercased() == "DONE" {
                    complete(tag, .ok, nil, "IDLE terminated", &out)
                } else {
                    complete(tag, .bad, nil, "Expected DONE to end IDLE", &out)
                }
            }
        }
    }

    mutating func tooLong(_ out: inout [IMAPAction]) {
        state = .logout
        out.append(
            .send(
                .untagged(
                    .bye, .limit, "Command line too long (limit \(configuration.limits.lineLength) bytes); closing")))
        out.append(.close)
    }

    mutating func handleFrame(_ outcome: IMAPCommandFramer.Outcome, _ out: inout [IMAPAction]) {
        switch outcome {
        case .continuationNeeded:
            out.append(.send(.continuation("Ready for literal data")))
        case .literalRefused(let tag, let size), .literalDiscarded(let tag, let size):
            let text =
                "Literal of \(size) bytes is too large; the limit is \(configuration.limits.appendLimit) bytes for APPEND and \(configuration.limits.literalSize) otherwise"
            out.append(.send(tag.map { .tagged($0, .no, .tooBig, text) } ?? .untagged(.no, .tooBig, text)))
        case .lineTooLong:
            tooLong(&out)
        case .command(let bytes):
            do {
                dispatch(try parser.parse(bytes), &out)
            } catch let e as IMAPParseError {
                let tag = e.tag ?? "*"
                let response: IMAPResponse
                switch e.kind {
                case .syntax:
                    response = tag == "*" ? .untagged(.bad, nil, e.message) : .tagged(tag, .bad, nil, e.message)
                case .limit: response = .tagged(tag, .bad, .limit, e.message)
                case .badCharset: response = .tagged(tag, .no, .badCharset(["UTF-8"]), e.message)
                case .invalidMailboxName(let creating, let deselects):
                    if deselects && state == .selected {
                        selection = nil
                        state = .authenticated
                    }
                    response = .tagged(tag, .no, creating ? .cannot : .nonexistent, e.message)
                }
                out.append(.send(response))
            } catch {
                out.append(.send(.untagged(.bad, nil, "Command could not be parsed")))
            }
        }
    }

    // MARK: - Completion helpers

    /// Puts `* FLAGS` and `* OK [PERMANENTFLAGS]` before the first FETCH that shows a keyword the
    /// client does not know yet (RFC 3501 §7.2.6). Works on the finished output, so no path that
    /// sends flags (FETCH, STORE, unsolicited updates, IDLE) can forget it; a `* FLAGS` in the
    /// output (SELECT) tells what the client knows from then on.
    mutating func announceKeywordsBeforeUse(_ actions: [IMAPAction]) -> [IMAPAction] {
        var out: [IMAPAction] = []
        out.reserveCapacity(actions.count)
        for action in actions {
            if case .send(let response) = action {
                switch response {
                case .flags(let list):
                    announcedKeywords = Set(list.filter { !$0.isSystem })
                case .fetch(_, let items):
                    for case .flags(let flags) in items
                    where flags.contains(where: { !$0.isSystem && !announcedKeywords.contains($0) }) {
                        announcedKeywords.formUnion(flags.filter { !$0.isSystem })
                        announcedKeywords.formUnion(selection?.view.keywords ?? [])
                        out += flagsAnnouncement().map { .send($0) }
                    }
                default: break
                }
            }
            out.append(action)
        }
        return out
    }

    /// `* FLAGS` and `* OK [PERMANENTFLAGS]` for the selected folder and the keywords announced.
    func flagsAnnouncement() -> [IMAPResponse] {
        let system: [Flag] = [.answered, .flagged, .deleted, .seen, .draft]
        let keywords = announcedKeywords.sorted()
        let readOnly = selection?.readOnly ?? true
        return [
            .flags(system + keywords),
            .untagged(
                .ok, .permanentFlags(readOnly ? [] : system + keywords, allowsNewKeywords: !readOnly),
                readOnly ? "No permanent flags in read-only mode" : "Flags permitted"),
        ]
    }

    /// Sends the updates that may go out now (RFC 3501 §7.4.1 decides `allowExpunge`).
    mutating func flushUpdates(allowExpunge: Bool, _ out: inout [IMAPAction]) {
        guard selection != nil else { return }
        for r in selection!.view.drain(allowExpunge: allowExpunge) { out.append(.send(r)) }
    }

    /// Ends a command: pending updates first, then the tagged response.
    mutating func complete(
        _ tag: String, _ status: IMAPStatus, _ code: IMAPResponseCode?, _ text: String,
        holdExpunges: Bool = false, _ out: inout [IMAPAction]
    ) {
        flushUpdates(allowExpunge: !holdExpunges, &out)
        out.append(.send(.tagged(tag, status, code, text)))
    }

    mutating func request(_ r: IMAPRequest, _ p: Pending, _ out: inout [IMAPAction]) {
        pending = p
        out.append(.request(r))
    }
}
