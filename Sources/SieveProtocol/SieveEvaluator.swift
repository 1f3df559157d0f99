import MailCore
import MessageFormat

/// Where a message goes for one recipient: a folder (INBOX for keep) and the flags it is stored with.
public struct SieveDelivery: Sendable, Equatable {
    /// "INBOX" or a folder name as the script wrote it.
    public let mailbox: String
    /// Create the folder when it does not exist (`fileinto :create`, RFC 5490 §3.2).
    public let create: Bool
    /// IMAP flags (`\Seen`, keywords), from imap4flags.
    public let flags: [String]

    public init(mailbox: String, create: Bool, flags: [String]) {
        self.mailbox = mailbox
        self.create = create
        self.flags = flags
    }
}

/// A vacation action ready to be considered by `VacationResponder` (strings expanded, period clamped).
public struct VacationRequest: Sendable, Equatable {
    public let period: Int
    public let subject: String?
    public let from: String?
    public let addresses: [String]
    public let mime: Bool
    public let reason: String
    /// Identifies "this vacation message" for the once-per-period memory (RFC 5230 §4.2).
    public let handle: String

    public init(
        period: Int, subject: String?, from: String?, addresses: [String], mime: Bool, reason: String, handle: String
    ) {
        self.period = period
        self.subject = subject
        self.from = from
        self.addresses = addresses
        self.mime = mime
        self.reason = reason
        self.handle = handle
    }
}

/// The result of running a script over one message for one recipient.
public struct SieveOutcome: Sendable, Equatable {
    /// Stores to make; empty means the message is discarded for this recipient.
    public var deliveries: [SieveDelivery] = []
    public var redirects: [EmailAddress] = []
    public var vacation: VacationRequest?
    /// True when nothing cancelled the implicit keep (RFC 5228 §2.10.2).
    public var implicitKeep = true

    /// What happens without a script, or when a script fails: keep in INBOX.
    public static let keepOnly = SieveOutcome(deliveries: [SieveDelivery(mailbox: "INBOX", create: false, flags: [])])
}

/// Runs a compiled script over a message (RFC 5228 §2.10). Pure: the clock and zone are given.
///
/// Invariants: at most `limits.maxSteps` commands and tests run; at most `maxActions` actions
/// and `maxRedirects` redirects are collected (past them the run fails and the caller keeps);
/// a run never touches anything but its own state.
public struct SieveEvaluator {
    public let limits: SieveLimits
    /// Seconds since the epoch for `currentdate`.
    public let now: Int64
    /// The local zone (minutes east of UTC) for date tests without :zone.
    public let zoneOffsetMinutes: Int

    public init(limits: SieveLimits = SieveLimits(), now: Int64, zoneOffsetMinutes: Int) {
        self.limits = limits
        self.now = now
        self.zoneOffsetMinutes = zoneOffsetMinutes
    }

    public func run(_ script: SieveScript, on message: SieveMessage) throws(SieveRuntimeError) -> SieveOutcome {
        var run = Run(script: script, message: message, evaluator: self)
        _ = try run.execute(script.commands)
        return try run.finish()
    }

    struct Run {
        let script: SieveScript
        let message: SieveMessage
        let evaluator: SieveEvaluator
        var limits: SieveLimits { evaluator.limits }
        var outcome = SieveOutcome()
        var steps = 0
        var actions = 0
        var variables: [String: String] = [:]
        var matchVariables: [String] = []
        var internalFlags: [String] = []
        var usesVariables: Bool { script.extensions.contains("variables") }

        init(script: SieveScript, message: SieveMessage, evaluator: SieveEvaluator) {
            self.script = script
            self.message = message
            self.evaluator = evaluator
        }

        mutating func step() throws(SieveRuntimeError) {
            steps += 1
            guard steps <= limits.maxSteps else {
                throw SieveRuntimeError("the script ran more than \(limits.maxSteps) steps")
            }
        }

        mutating func countAction() throws(SieveRuntimeError) {
            actions += 1
            guard actions <= limits.maxActions else {
                throw SieveRuntimeError("the script asked for more than \(limits.maxActions) actions")
            }
        }

        /// Returns false when `stop` ran.
        mutating func execute(_ commands: [SieveCommand]) throws(SieveRuntimeError) -> Bool {
            for command in commands {
                try step()
                switch command {
                case .conditional(let branches, let otherwise):
                    var taken = false
                    for b in branches where try evaluate(b.test) {
                        taken = true
                        if !(try execute(b.block)) { return false }
                        break
                    }
                    if !taken, let otherwise, !(try execute(otherwise)) { return false }
                case .stop:
                    return false
                case .keep(let flags):
                    try store("INBOX", create: false, flags: flags)
                    outcome.implicitKeep = false
                case .discard:
                    outcome.implicitKeep = false
                case .fileinto(let mailbox, let create, let copy, let flags):
                    try store(expand(mailbox), create: create, flags: flags)
                    if !copy { outcome.implicitKeep = false }
                case .redirect(let target, let copy):
                    try countAction()
                    let text = expand(target)
                    guard let address = try? EmailAddress(text) else {
                        throw SieveRuntimeError("redirect to \"\(text)\": not a valid address")
                    }
                    if !outcome.redirects.contains(address) {
                        guard outcome.redirects.count < limits.maxRedirects else {
                            throw SieveRuntimeError(
                                "the script redirects to more than \(limits.maxRedirects) addresses")
                        }
                        outcome.redirects.append(address)
                    }
                    if !copy { outcome.implicitKeep = false }
                case .vacation(let v):
                    try countAction()
                    guard outcome.vacation == nil else {
                        throw SieveRuntimeError("vacation ran twice; a script may reply only once (RFC 5230 §4)")
                    }
                    outcome.vacation = vacationRequest(v)
                case .flags(let op, let variable, let list):
                    let flags = Self.flagList(list.map(expand))
                    var current = variable.map { Self.flagList([variables[$0.lowercased()] ?? ""]) } ?? internalFlags
                    switch op {
                    case .set: current = flags
                    case .add: current = Self.flagList(current + flags)
                    case .remove: current.removeAll { f in flags.contains { $0.lowercased() == f.lowercased() } }
                    }
                    if let variable {
                        variables[variable.lowercased()] = current.joined(separator: " ")
                    } else {
                        internalFlags = current
                    }
                case .set(let name, let value, let modifiers):
                    variables[name] = String(Self.modify(expand(value), modifiers).prefix(limits.maxVariableLength))
                }
            }
            return true
        }

        mutating func finish() throws(SieveRuntimeError) -> SieveOutcome {
            if outcome.implicitKeep {
                outcome.deliveries.removeAll { $0.mailbox.uppercased() == "INBOX" }
                outcome.deliveries.append(SieveDelivery(mailbox: "INBOX", create: false, flags: internalFlags))
            }
            return outcome
        }

        private mutating func store(_ mailbox: String, create: Bool, flags: [String]?) throws(SieveRuntimeError) {
            let name = mailbox.uppercased() == "INBOX" ? "INBOX" : mailbox
            let flagList = flags.map { Self.flagList($0.map(expand)) } ?? internalFlags
            if let i = outcome.deliveries.firstIndex(where: { $0.mailbox == name }) {
                // The same folder twice is one copy (RFC 5228 §2.10.3); the later flags win.
                outcome.deliveries[i] = SieveDelivery(
                    mailbox: name, create: create || outcome.deliveries[i].create, flags: flagList)
                return
            }
            try countAction()
            outcome.deliveries.append(SieveDelivery(mailbox: name, create: create, flags: flagList))
        }

        private func vacationRequest(_ v: VacationParameters) -> VacationRequest {
            let period = min(
                max(v.period ?? limits.defaultVacationPeriod, limits.minVacationPeriod), limits.maxVacationPeriod)
            let reason = expand(v.reason), subject = v.subject.map(expand), from = v.from.map(expand)
            // Without :handle, the reply is identified by its content, so a changed text replies anew.
            let handle =
                v.handle.map(expand) ?? "auto:"
                + Self.digest(reason + "\u{0}" + (subject ?? "") + "\u{0}" + (from ?? ""))
            return VacationRequest(
                period: period, subject: subject, from: from, addresses: v.addresses.map(expand), mime: v.mime,
                reason: reason, handle: handle)
        }

        /// FNV-1a, 64 bits, hex: a stable short name for a reply text (not a security measure).
        static func digest(_ s: String) -> String {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            let hex = String(h, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }

        /// Space-separated flags, each once (case-insensitive), in first-seen order (RFC 5232 §3).
        static func flagList(_ strings: [String]) -> [String] {
            var out: [String] = []
            for s in strings {
                for f in s.split(separator: " ") where !out.contains(where: { $0.lowercased() == f.lowercased() }) {
                    out.append(String(f))
                }
            }
            return out
        }

        static func modify(_ value: String, _ modifiers: [String]) -> String {
            var v = value
            // RFC 5229 §4.1: precedence 40 (lower/upper), 30 (…first), 20 (quotewildcard), 10 (length).
            if modifiers.contains("lower") { v = v.lowercased() }
            if modifiers.contains("upper") { v = v.uppercased() }
            if modifiers.contains("lowerfirst"), let f = v.first { v = f.lowercased() + v.dropFirst() }
            if modifiers.contains("upperfirst"), let f = v.first { v = f.uppercased() + v.dropFirst() }
            if modifiers.contains("quotewildcard") {
                v = v.reduce(into: "") { out, c in
                    if c == "*" || c == "?" || c == "\\" { out.append("\\") }
                    out.append(c)
                }
            }
            if modifiers.contains("length") { v = String(v.count) }
            return v
        }

        /// `${name}` and `${1}` replaced by their values (RFC 5229 §3); unknown names become "".
        func expand(_ s: String) -> String {
            guard usesVariables, s.contains("${") else { return s }
            let chars = Array(s)
            var out = ""
            var i = 0
            while i < chars.count {
                guard chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{",
                    let close = chars[(i + 2)...].firstIndex(of: "}")
                else {
                    out.append(chars[i])
                    i += 1
                    continue
                }
                let name = String(chars[(i + 2)..<close]).lowercased()
                if !name.isEmpty, name.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(name) {
                    out += n < matchVariables.count ? matchVariables[n] : ""
                } else if SieveValidator.isValidVariableName(name) {
                    out += variables[name] ?? ""
                } else {
                    out += String(chars[i...close])  // not a variable reference: kept as written
                }
                i = close + 1
                if out.count > limits.maxVariableLength * 4 { break }
            }
            return out
        }

        mutating func match(_ values: [String], _ keys: [String], _ options: MatchOptions) -> Bool {
            var captures: [String]?
            let hit = SieveMatcher.test(values, keys.map(expand), options, captures: &captures)
            if hit, let captures, usesVariables { matchVariables = captures }
            return hit
        }

        mutating func evaluate(_ test: SieveTest) throws(SieveRuntimeError) -> Bool {
            try step()
            switch test {
            case .constant(let b): return b
            case .not(let t): return !(try evaluate(t))
            case .allOf(let tests):
                for t in tests where !(try evaluate(t)) { return false }
                return true
            case .anyOf(let tests):
                for t in tests where try evaluate(t) { return true }
                return false
            case .exists(let names):
                return names.allSatisfy { message.header.first(expand($0)) != nil }
            case .size(let over, let limit):
                return over ? message.size > limit : message.size < limit
            case .header(let options, let headers, let keys):
                let values = headers.flatMap { message.headerValues(expand($0)) }
                return match(values, keys, options)
            case .address(let part, let options, let headers, let keys):
                let values = headers.flatMap { message.addresses(expand($0)) }.map { Self.part(of: $0, part) }
                return match(values, keys, options)
            case .envelope(let part, let options, let parts, let keys):
                let values = parts.map { p -> String in
                    let text = p == "from" ? message.envelopeFrom : message.envelopeTo
                    return Self.part(of: text, part)
                }
                return match(values, keys, options)
            case .body(let transform, let options, let keys):
                return match(message.bodyTexts(transform, limit: limits.maxBodyBytes), keys, options)
            case .currentDate(let zone, let options, let part, let keys):
                let offset = zoneOffset(zone, original: evaluator.zoneOffsetMinutes)
                return match([SieveDate.value(part, seconds: evaluator.now, offsetMinutes: offset)], keys, options)
            case .date(let zone, let options, let header, let part, let keys):
                let values = message.headerValues(expand(header)).compactMap { text -> String? in
                    guard let date = MessageDate.parse(text) else { return nil }
                    let offset = zoneOffset(zone, original: date.zoneOffsetMinutes)
                    return SieveDate.value(part, seconds: date.secondsSinceEpoch, offsetMinutes: offset)
                }
                return match(values, keys, options)
            case .string(let options, let sources, let keys):
                var values = sources.map(expand)
                if case .count = options.match { values.removeAll(where: \.isEmpty) }
                return match(values, keys, options)
            case .hasFlag(let options, let names, let flags):
                let current =
                    names.map { Self.flagList($0.map { variables[$0.lowercased()] ?? "" }) } ?? internalFlags
                return match(current, Self.flagList(flags), options)
            }
        }

        private func zoneOffset(_ zone: DateZone, original: Int) -> Int {
            switch zone {
            case .local: evaluator.zoneOffsetMinutes
            case .fixed(let m): m
            case .original: original
            }
        }

        static func part(of mailbox: MailboxAddress, _ part: AddressPart) -> String {
            switch part {
            case .all: mailbox.address
            case .localpart: mailbox.localPart
            case .domain: mailbox.domain ?? ""
            }
        }

        static func part(of address: String, _ part: AddressPart) -> String {
            guard part != .all else { return address }
            guard let at = address.lastIndex(of: "@") else { return part == .localpart ? address : "" }
            return part == .localpart ? String(address[..<at]) : String(address[address.index(after: at)...])
        }
    }
}
