import MailCore
@testable import UsageAnalytics

/// A generated province of random shape with answers known by construction: every account is created
/// on 1 January 2026 in its unit and never changes, and its days of use per month are chosen here, so
/// the staff and active count of every unit in September and October are bookkept independently of
/// the report code. Seeded, so a failure can be replayed.
///
/// Shape: province root P (own staff 0–6), 2–5 departments (0–12 staff), 2–4 districts (0–8 own
/// staff) each with 1–5 communes (0–9 staff), and sometimes a second, small top-level unit Q.
struct GeneratedProvince {
    struct Known { var staff = 0, active = 0 }

    var units: [UnitRecord] = []
    var events: [AccountEvent] = []
    var activity: [DailyActivity] = []
    /// Unit code → known figures, per month.
    var october: [String: Known] = [:]
    var september: [String: Known] = [:]
    private var rng: SplitMix

    static let octoberMonth = try! ReportMonth("2026-10")

    init(seed: UInt64) {
        rng = SplitMix(seed)
        add("P", "UBND tỉnh", .province, nil, staff: rng.int(0...6))
        for d in 1...rng.int(2...5) { add("S\(d)", "Sở \(d)", .province, "P", staff: rng.int(0...12)) }
        for h in 1...rng.int(2...4) {
            add("H\(h)", "Huyện \(h)", .district, "P", staff: rng.int(0...8))
            for x in 1...rng.int(1...5) { add("H\(h)X\(x)", "Xã \(h).\(x)", .commune, "H\(h)", staff: rng.int(0...9)) }
        }
        if rng.int(0...1) == 1 { add("Q", "Ban quản lý", .other, nil, staff: rng.int(1...4)) }
    }

    var dataset: InMemoryUsageDataset {
        InMemoryUsageDataset(units: units, accounts: [], history: events, activity: activity)
    }

    private mutating func add(_ code: String, _ name: String, _ level: UnitLevel, _ parent: String?, staff: Int) {
        units.append(UnitRecord(code: code, name: name, level: level, parentCode: parent))
        october[code] = Known()
        september[code] = Known()
        let oct = Self.octoberMonth, sep = oct.previous
        for _ in 0..<staff {
            let id = Int64(events.count + 1)
            events.append(
                AccountEvent(
                    accountID: id, at: SyntheticProvince.at(2026, 1, 1), kind: .created, unitCode: code,
                    accountKind: .staff))
            for (month, known) in [(oct, \Self.october), (sep, \Self.september)] {
                let days = rng.int(0...8)
                for d in 1...max(days, 1) where days > 0 {
                    activity.append(DailyActivity(accountID: id, day: SyntheticProvince.day(month, d), imapLogins: 1))
                }
                self[keyPath: known][code]!.staff += 1
                if days >= 4 { self[keyPath: known][code]!.active += 1 }
            }
        }
    }

    /// Known figures summed over codes.
    func sum(_ codes: [String], _ month: [String: Known]) -> Known {
        codes.reduce(into: Known()) { k, code in
            k.staff += month[code]?.staff ?? 0
            k.active += month[code]?.active ?? 0
        }
    }

    /// The unit and everything below it.
    func subtree(_ code: String) -> [String] {
        var out = [code]
        var i = 0
        while i < out.count {
            out += units.filter { $0.parentCode == out[i] }.map(\.code)
            i += 1
        }
        return out
    }
}

/// Small hand-made datasets shared by the privacy tests.
enum SmallUnits {
    /// Staff accounts created in the given units at `at` (1 January 2026 by default), numbered from `firstID`.
    static func staff(
        _ counts: [(String, Int)], at: Double = SyntheticProvince.at(2026, 1, 1), firstID: Int = 1
    ) -> [AccountEvent] {
        var events: [AccountEvent] = []
        for (unit, count) in counts {
            for _ in 0..<count {
                events.append(
                    AccountEvent(
                        accountID: Int64(firstID + events.count), at: at, kind: .created, unitCode: unit,
                        accountKind: .staff))
            }
        }
        return events
    }

    /// Province R with communes A and B (10 staff): A has 3 staff until September 2026 (below a floor
    /// of 5) and 5 from 1 October, when two join.
    static func aBecomesVisibleInOctober(activity: [DailyActivity] = []) -> InMemoryUsageDataset {
        let events =
            staff([("A", 3)]) + staff([("A", 2)], at: SyntheticProvince.at(2026, 10, 1, 9), firstID: 4)
            + staff([("B", 10)], firstID: 6)
        return InMemoryUsageDataset(
            units: [
                UnitRecord(code: "R", name: "Tỉnh", level: .province),
                UnitRecord(code: "A", name: "A", level: .commune, parentCode: "R"),
                UnitRecord(code: "B", name: "B", level: .commune, parentCode: "R"),
            ], accounts: [], history: events, activity: activity)
    }
}

/// SplitMix64: a tiny deterministic generator, so every seed gives the same province everywhere.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }
}
