import Foundation

/// What one month looks like per account: the unit each staff account counts in, its days of use
/// and its message counters. Accounts that were not staff in the month, or lie outside the
/// month's structure, have `unit == -1` and are ignored everywhere.
struct MonthFacts {
    var unit: [Int]
    var daysUsed: [Int]
    var messagesSent: [Int]
    var messagesSigned: [Int]
    var messagesSignedVerified: [Int]
    var sentInternal: [Int]
    var sentExternal: [Int]
    var received: [Int]
}

/// Distinct account slots and sessions of one client name.
struct ClientUse {
    var accounts = Set<Int>()
    var sessions = 0
    mutating func add(slot: Int, sessions count: Int) {
        accounts.insert(slot)
        sessions += count
    }
}

/// Counters summed over a group of staff accounts.
struct Counters: Equatable {
    var staff = 0, active = 0, used = 0
    var sent = 0, signed = 0, signedVerified = 0, sentInternal = 0, sentExternal = 0, received = 0

    static func += (a: inout Counters, b: Counters) {
        a.staff += b.staff; a.active += b.active; a.used += b.used
        a.sent += b.sent; a.signed += b.signed; a.signedVerified += b.signedVerified; a.sentInternal += b.sentInternal
        a.sentExternal += b.sentExternal; a.received += b.received
    }
}

/// The data a report is computed from, loaded once and shared by all months it needs.
struct AnalyticsInput {
    let settings: ReportSettings
    let timeZone: TimeZone
    let history: AccountHistory
    let units: UnitHistory
    /// Unit codes named in account history (a unit removed since still adds up, at level `other`).
    let referencedCodes: [String]
    let slotByAccount: [Int64: Int]
    let identities: [Int64: AccountIdentity]
    let dataset: any UsageDataset

    init(dataset: any UsageDataset, settings: ReportSettings) throws {
        self.settings = settings
        self.timeZone = try settings.validatedTimeZone()
        self.dataset = dataset
        let events = try dataset.history()
        units = UnitHistory(current: try dataset.units(), events: try dataset.unitHistory())
        referencedCodes = Set(events.map(\.unitCode)).sorted()
        history = AccountHistory(events)
        var slots: [Int64: Int] = [:]
        for id in history.eventsByAccount.keys.sorted() { slots[id] = slots.count }
        slotByAccount = slots
        identities = Dictionary(try dataset.accounts().map { ($0.accountID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The units as they stood at the end of `month`.
    func structure(for month: ReportMonth) -> MonthStructure {
        units.structure(before: month.interval(in: timeZone).end, referencedCodes: referencedCodes)
    }

    /// Per-account facts of `month` in the month's own structure (every unit, whatever the scope).
    func facts(for month: ReportMonth, in structure: MonthStructure) throws -> MonthFacts {
        let n = slotByAccount.count
        let (start, end) = month.interval(in: timeZone)
        var unit = Array(repeating: -1, count: n)
        for (id, code) in history.staffUnits(from: start, to: end) {
            guard let slot = slotByAccount[id], let u = structure.index(of: code) else { continue }
            unit[slot] = u
        }
        var mask = Array(repeating: UInt32(0), count: n)
        var facts = MonthFacts(
            unit: unit, daysUsed: [], messagesSent: Array(repeating: 0, count: n),
            messagesSigned: Array(repeating: 0, count: n), messagesSignedVerified: Array(repeating: 0, count: n),
            sentInternal: Array(repeating: 0, count: n),
            sentExternal: Array(repeating: 0, count: n), received: Array(repeating: 0, count: n))
        for row in try dataset.activity(in: month) {
            guard let slot = slotByAccount[row.accountID], unit[slot] >= 0,
                let day = month.dayOfMonth(row.day)
            else { continue }
            if row.isUse { mask[slot] |= 1 << UInt32(day - 1) }
            facts.messagesSent[slot] += row.messagesSent
            facts.messagesSigned[slot] += row.messagesSigned
            facts.messagesSignedVerified[slot] += row.messagesSignedVerified
            facts.sentInternal[slot] += row.sentInternalRecipients
            facts.sentExternal[slot] += row.sentExternalRecipients
            facts.received[slot] += row.messagesReceived
        }
        facts.daysUsed = mask.map { $0.nonzeroBitCount }
        return facts
    }

    /// Client name → distinct staff and sessions in `month`, for staff counted in units marked `inScope`.
    func clients(for month: ReportMonth, _ facts: MonthFacts, inScope: [Bool]) throws -> [String: ClientUse] {
        var clients: [String: ClientUse] = [:]
        // Client names repeat a lot: clean each distinct raw name once.
        var cleaned: [String: String?] = [:]
        for row in try dataset.clientUse(in: month) {
            guard let slot = slotByAccount[row.accountID], facts.unit[slot] >= 0, inScope[facts.unit[slot]],
                month.dayOfMonth(row.day) != nil
            else { continue }
            let name: String?
            if let known = cleaned[row.client] {
                name = known
            } else {
                name = Self.cleanClientName(row.client)
                cleaned[row.client] = .some(name)
            }
            guard let name else { continue }
            clients[name, default: ClientUse()].add(slot: slot, sessions: row.count)
        }
        return clients
    }

    /// Own counters per unit index (staff counted in the unit they are attributed to).
    func perUnit(_ facts: MonthFacts, unitCount: Int) -> [Counters] {
        var own = Array(repeating: Counters(), count: unitCount)
        let minDays = settings.activeMinDays
        for slot in facts.unit.indices {
            let u = facts.unit[slot]
            guard u >= 0 else { continue }
            let days = facts.daysUsed[slot]
            own[u].staff += 1
            if days >= minDays { own[u].active += 1 }
            if days > 0 { own[u].used += 1 }
            own[u].sent += facts.messagesSent[slot]
            own[u].signed += facts.messagesSigned[slot]
            own[u].signedVerified += facts.messagesSignedVerified[slot]
            own[u].sentInternal += facts.sentInternal[slot]
            own[u].sentExternal += facts.sentExternal[slot]
            own[u].received += facts.received[slot]
        }
        return own
    }

    /// Each unit's counters plus those of all its sub-units.
    static func rolledUp(_ own: [Counters], _ tree: UnitTree) -> [Counters] {
        var rolled = own
        for u in tree.preorder.reversed() {
            if let p = tree.parent[u] { rolled[p] += rolled[u] }
        }
        return rolled
    }

    /// Client names come from the network (IMAP ID): keep printable text only, at most 64 characters.
    static func cleanClientName(_ raw: String) -> String? {
        var scalars = raw.unicodeScalars.filter { s in
            !(s.value < 0x20 || (0x7F...0x9F).contains(s.value) || s.properties.generalCategory == .format)
        }[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        var text = String(String.UnicodeScalarView(scalars))
        if text.count > 64 { text = String(text.prefix(64)) }
        return text.isEmpty ? nil : text
    }
}
