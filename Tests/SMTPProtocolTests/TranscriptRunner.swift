import Foundation
import GovMailTestSupport
import MailCore
import SMTPProtocol

/// Runs a plain-text SMTP transcript against `SMTPServerSession` with a deterministic fake "outside".
///
/// Format (one file per edge case, readable without Swift):
/// - `# text`                 a comment (the first one says what the transcript shows)
/// - `! directive …`          the world the session lives in (see `Outside`), e.g.
///                            `! account alice@gov.vn password s3cret aliases a.nguyen@gov.vn`
/// - `c: text`                the client sends `text` + CRLF
/// - `c~ text`                the client sends `text` with `\r`, `\n`, `\t`, `\\` escapes and no CRLF added
/// - `e: timeout|shutdown`    an event from the connection instead of bytes
/// - `s: 250 2.0.0 Ok`        one line the server sends; `s: [closed]` means the server closed
/// Consecutive `c:` lines are sent in one piece (pipelining); the server lines that follow must be
/// exactly what the session answered to that piece, in order.
struct Transcript {
    struct Step {
        var input: [UInt8] = []
        var events: [SMTPServerEvent] = []
        var expected: [String] = []
        var line: Int
    }

    var name: String
    var directives: [[String]] = []
    var steps: [Step] = []

    init(name: String, text: String) {
        self.name = name
        var current = Step(line: 0)
        var lastWasServer = true
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.hasPrefix("!") {
                directives.append(line.dropFirst().split(separator: " ").map(String.init))
            } else if line.hasPrefix("s: ") {
                current.expected.append(String(line.dropFirst(3)))
                lastWasServer = true
            } else if line.hasPrefix("c: ") || line.hasPrefix("c~ ") || line.hasPrefix("e: ") {
                if lastWasServer { steps.append(current); current = Step(line: index + 1) }
                lastWasServer = false
                let body = String(line.dropFirst(3))
                if line.hasPrefix("c: ") {
                    current.input += Array(body.utf8) + [13, 10]
                } else if line.hasPrefix("c~ ") {
                    current.input += Self.unescape(body)
                } else {
                    current.events.append(body == "timeout" ? .timeout : .shutdown)
                }
            }
        }
        steps.append(current)
    }

    static func unescape(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var escaped = false
        for b in text.utf8 {
            if escaped {
                switch b {
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "t"): out.append(9)
                default: out.append(b)
                }
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(b)
            }
        }
        return out
    }

    func values(_ key: String) -> [[String]] { directives.filter { $0.first == key }.map { Array($0.dropFirst()) } }
    func value(_ key: String) -> String? { values(key).first?.first }
}

/// The deterministic outside world of a transcript: accounts, recipients, delivery results.
struct Outside {
    struct Account { var address: EmailAddress; var password: String; var aliases: [EmailAddress]; var blocked: Bool }
    var accounts: [String: Account] = [:]
    var recipients: [String: RecipientCheckResult] = [:]
    var deliveryResults: [DeliveryResult] = []
    /// Sender checks that fail temporarily (the directory cannot be read), one per `! sender-check tempfail`.
    var senderCheckFailures = 0
    var tlsVersion = "TLSv1.3"
    var deliveries: [Delivery] = []
    var queueCounter = 0

    init(_ t: Transcript) throws {
        for words in t.values("account") {
            // account ADDRESS password PW [aliases A,B] [blocked]
            let address = try EmailAddress(words[0])
            var aliases: [EmailAddress] = []
            if let i = words.firstIndex(of: "aliases") {
                aliases = try words[i + 1].split(separator: ",").map { try EmailAddress(String($0)) }
            }
            accounts[address.key] = Account(
                address: address, password: words[2], aliases: aliases,
                blocked: words.contains("blocked"))
        }
        for words in t.values("recipient") {
            let key = try EmailAddress(words[0]).key
            switch words[1] {
            case "local": recipients[key] = .local(mailbox: try EmailAddress(words.count > 2 ? words[2] : words[0]))
            case "unknown": recipients[key] = .unknownLocal
            case "relay": recipients[key] = .remoteAcceptedForRelay
            case "refused": recipients[key] = .remoteRefused
            case "over-quota": recipients[key] = .overQuota
            case "too-large": recipients[key] = .tooLargeForAccount
            case "tempfail": recipients[key] = .temporaryFailure
            default: throw TranscriptError("unknown recipient kind \(words[1])")
            }
        }
        for words in t.values("deliver") {
            deliveryResults.append(words[0] == "transient" ? .transientFailure : .queued(id: words[1]))
        }
        senderCheckFailures = t.values("sender-check").filter { $0.first == "tempfail" }.count
        if let v = t.value("starttls") { tlsVersion = v }
    }

    /// The event answering `action`, if it needs one.
    mutating func answer(_ action: SMTPServerAction) -> SMTPServerEvent? {
        switch action {
        case .send, .close: return nil
        case .startTLS: return .tlsStarted(version: tlsVersion)
        case .authenticate(let request):
            guard let account = accounts[request.username.lowercased()] else { return .authenticationResult(.failed) }
            if account.blocked { return .authenticationResult(.blocked) }
            return .authenticationResult(
                request.password.unsafeText == account.password
                    ? .succeeded(account: account.address) : .failed)
        case .checkSender(let address, let who):
            if senderCheckFailures > 0 {
                senderCheckFailures -= 1
                return .senderCheckResult(.temporaryFailure)
            }
            guard let account = accounts[who.key] else { return .senderCheckResult(.refused) }
            let identities = [account.address] + account.aliases
            return .senderCheckResult(identities.contains(address) ? .allowed(identities: identities) : .refused)
        case .checkRecipient(let check):
            return .recipientCheckResult(recipients[check.address.key] ?? .unknownLocal)
        case .deliver(let delivery):
            deliveries.append(delivery)
            if !deliveryResults.isEmpty { return .deliveryResult(deliveryResults.removeFirst()) }
            queueCounter += 1
            return .deliveryResult(.queued(id: "Q\(queueCounter)"))
        }
    }
}

struct TranscriptError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The outcome of running a transcript: mismatches (empty when it passed) and what was delivered.
struct TranscriptResult {
    var mismatches: [String] = []
    var deliveries: [Delivery] = []
}

enum TranscriptRunner {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Transcripts")

    static func load(_ name: String) throws -> Transcript {
        let url = directory.appendingPathComponent(name)
        return Transcript(name: name, text: try String(contentsOf: url, encoding: .utf8))
    }

    static func allNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".txt") }.sorted()
    }

    static func configuration(_ t: Transcript, clock: ManualClock) -> SMTPServerConfiguration {
        var limits = SMTPLimits()
        for words in t.values("limit") {
            let n = Int(words[1])!
            switch words[0] {
            case "max-message-size": limits.maxMessageSize = n
            case "max-recipients": limits.maxRecipients = n
            case "error-budget": limits.errorBudget = n
            case "line-length": limits.lineLength = n
            default: break
            }
        }
        return SMTPServerConfiguration(
            hostname: t.value("hostname") ?? "mx.gov.vn",
            mode: t.value("mode") == "inbound" ? .inbound : .submission,
            limits: limits, hideClientAddress: t.value("privacy") == "on",
            tlsAvailable: t.value("tls-available") != "no", clock: clock,
            postmaster: t.value("postmaster").flatMap { try? EmailAddress($0) })
    }

    /// Runs the transcript; `chunked` feeds each client piece one byte at a time.
    static func run(_ t: Transcript, chunked: Bool = false) throws -> TranscriptResult {
        var outside = try Outside(t)
        var session = SMTPServerSession(configuration: configuration(t, clock: ManualClock()))
        var result = TranscriptResult()
        let tls = t.values("tls").first
        let peer = SMTPPeer(
            address: "192.0.2.7", tlsVersion: tls?.first == "implicit" ? (tls?[1] ?? "TLSv1.3") : nil,
            sessionID: "S1")

        var tlsStarted = false
        func drive(_ first: SMTPServerEvent) -> [String] {
            var lines: [String] = []
            var events = [first]
            while !events.isEmpty {
                let event = events.removeFirst()
                for action in session.receive(event) {
                    switch action {
                    case .send(let reply): lines += reply.wireLines
                    case .close: lines.append("[closed]")
                    case .startTLS:
                        tlsStarted = true
                        events.append(outside.answer(action)!)
                    default: if let answer = outside.answer(action) { events.append(answer) }
                    }
                }
            }
            return lines
        }

        for (index, step) in t.steps.enumerated() {
            var got: [String] = []
            if index == 0 { got += drive(.connected(peer)) }
            if !step.input.isEmpty {
                if chunked {
                    // Plaintext behind STARTTLS would reach the TLS layer, not the session: stop there.
                    tlsStarted = false
                    for b in step.input where !tlsStarted { got += drive(.received([b])) }
                } else {
                    got += drive(.received(step.input))
                }
            }
            for event in step.events { got += drive(event) }
            if got != step.expected {
                result.mismatches.append(
                    "\(t.name):\(step.line): expected\n  \(step.expected.joined(separator: "\n  "))\ngot\n  \(got.joined(separator: "\n  "))"
                )
            }
        }
        result.deliveries = outside.deliveries
        return result
    }
}
