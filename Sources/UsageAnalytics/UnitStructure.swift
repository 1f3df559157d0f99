/// The units as they stood in one month: the tree of that month and where merged units' staff go.
struct MonthStructure {
    let tree: UnitTree
    /// Unit code → the code its staff count in (itself, or the unit it was merged into, followed to the end).
    let countsIn: [String: String]
    /// Units that did not exist at the end of the month (not yet created, or retired or merged by
    /// then); with no staff they are left out of every list, so a later unit never changes old bytes.
    let absent: Set<String>

    /// The tree index an account attributed to `code` counts in, or nil for an unknown code.
    func index(of code: String) -> Int? {
        tree.indexByCode[countsIn[code] ?? code]
    }
}

/// Replays effective-dated unit history (`UnitEvent`s). A month is reported with the structure at its
/// last instant, as accounts count in the unit they were in at their last instant of the month: a
/// reorganisation effective on 1 July leaves June exactly as it was and shapes July onwards.
///
/// Units with no history keep their current record for every month (a dataset without unit history
/// behaves as before). A unit not yet created in a month keeps its first known state, so an account
/// that names it still adds up; a retired unit keeps its last state (it has no staff afterwards, so it
/// is not shown).
struct UnitHistory {
    private let current: [UnitRecord]
    private let eventsByCode: [String: [UnitEvent]]

    init(current: [UnitRecord], events: [UnitEvent]) {
        self.current = current
        eventsByCode = groupedInTimeOrder(events, by: \.unitCode, at: \.at)
    }

    var isEmpty: Bool { eventsByCode.isEmpty }

    /// The structure at the instant just before `end` (the last instant of a month ending at `end`).
    func structure(before end: Double, referencedCodes: some Sequence<String>) -> MonthStructure {
        var records: [UnitRecord] = []
        var mergedInto: [String: String] = [:]
        var absent = Set<String>()
        var seen = Set<String>()
        for unit in current {
            seen.insert(unit.code)
            guard let events = eventsByCode[unit.code] else {
                records.append(unit)
                continue
            }
            records.append(Self.replay(events, before: end, code: unit.code, merged: &mergedInto, absent: &absent))
        }
        for (code, events) in eventsByCode.sorted(by: { $0.key < $1.key }) where !seen.contains(code) {
            records.append(Self.replay(events, before: end, code: code, merged: &mergedInto, absent: &absent))
        }
        var countsIn: [String: String] = [:]
        for code in mergedInto.keys {
            var target = code
            var steps = 0
            while let next = mergedInto[target], steps <= mergedInto.count {  // a loop is cut where it closes
                target = next
                steps += 1
            }
            countsIn[code] = target
        }
        return MonthStructure(
            tree: UnitTree(units: records, referencedCodes: referencedCodes), countsIn: countsIn, absent: absent)
    }

    /// The `created` event is the unit's base state (whenever it was entered: a reorganisation may
    /// be entered with a date before the unit was added to GovMail); the other events apply on top,
    /// in time order, when they happened before `end`. A unit exists from its earliest event.
    private static func replay(
        _ events: [UnitEvent], before end: Double, code: String, merged: inout [String: String],
        absent: inout Set<String>
    ) -> UnitRecord {
        var record = UnitRecord(code: code, name: code, level: .other)
        if let created = events.first(where: { $0.kind == .created }) {
            record.name = created.name ?? record.name
            record.level = created.level ?? record.level
            record.parentCode = created.parentCode
        }
        var target: String?
        var ended = (events.first?.at ?? end) >= end
        for e in events where e.kind != .created && e.at < end {
            switch e.kind {
            case .created: break
            case .renamed: record.name = e.name ?? record.name
            case .levelChanged: record.level = e.level ?? record.level
            case .moved: record.parentCode = e.parentCode
            case .retired: (target, ended) = (nil, true)
            case .merged: (target, ended) = (e.targetCode, true)
            }
        }
        if let target { merged[code] = target }
        if ended { absent.insert(code) }
        return record
    }
}
