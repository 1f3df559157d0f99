import Foundation
import MailCore
import UsageAnalytics

/// Monthly report generation for a synthetic province: by default 20,000 staff in 300 units with
/// 12 months of daily activity, generated in memory. Prints the time of the computation and of
/// each renderer. Options: `--staff N`, `--units N`, `--out DIR` (writes the rendered reports).
enum AnalyticsBench {
    static func run(_ args: [String]) throws {
        var staff = 20_000, unitCount = 300
        var outDir: String?
        var i = 0
        while i < args.count {
            let value = i + 1 < args.count ? args[i + 1] : ""
            switch args[i] {
            case "--staff": staff = Int(value) ?? staff
            case "--units": unitCount = max(3, Int(value) ?? unitCount)
            case "--out": outDir = value
            default: throw BenchError("unknown option \(args[i]); use --staff N, --units N, --out DIR")
            }
            i += 2
        }
        let month = try ReportMonth("2026-10")
        var clock = Stopwatch()
        let dataset = try SyntheticDataset.make(staff: staff, units: unitCount, month: month)
        print(
            "analytics: generated \(staff) staff (+\(dataset.accountList.count - staff) shared/service) in \(unitCount) units, "
                + "\(dataset.activityRows) activity rows and \(dataset.clientRows) client rows over 12 months in \(clock.lap()) (not counted)"
        )

        let settings = ReportSettings()
        let report = try UsageReports.monthly(from: dataset.dataset, month: month, settings: settings)
        let compute = clock.lapSeconds()
        print(
            String(
                format:
                    "  compute monthly report (12-month trend)  %8.1f ms   share %.1f%%, %d published units, %d merged",
                compute * 1000, (report.organisation.share ?? 0) * 100, report.units.count, report.unpublishedUnitCount)
        )
        let inactive = try UsageReports.inactive(from: dataset.dataset, month: month, settings: settings)
        print(
            String(
                format: "  compute inactive list                      %8.1f ms   %d accounts",
                clock.lapSeconds() * 1000,
                inactive.accounts.count))
        var total = compute
        for format in ReportFormat.allCases {
            let bytes = try ReportRenderer.render(report, format: format, language: .vi)
            let t = clock.lapSeconds()
            total += t
            print(
                String(
                    format: "  render %-5@ (vi)                           %8.1f ms   %d bytes", format.rawValue,
                    t * 1000, bytes.count))
            if let outDir {
                try bytes.write(
                    to: URL(fileURLWithPath: outDir).appendingPathComponent(
                        "report-vi.\(format == .text ? "txt" : format.rawValue)"))
            }
        }
        if let outDir {
            for (format, lang) in [(ReportFormat.html, ReportLanguage.en), (.text, .en)] {
                try ReportRenderer.render(report, format: format, language: lang)
                    .write(
                        to: URL(fileURLWithPath: outDir).appendingPathComponent(
                            "report-en.\(format == .text ? "txt" : format.rawValue)"))
            }
            try ReportRenderer.render(inactive, format: .html, language: .vi)
                .write(to: URL(fileURLWithPath: outDir).appendingPathComponent("inactive-vi.html"))
            _ = clock.lap()
        }
        print(String(format: "  total: compute + all four renderers        %8.1f ms", total * 1000))
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Wall-clock laps.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    mutating func lapSeconds() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e9
    }
    mutating func lap() -> String { String(format: "%.2f s", lapSeconds()) }
}

/// A deterministic synthetic province: one province office, province departments, districts and
/// communes; staff with regular, occasional or no use; moves and disables during the year.
struct SyntheticDataset {
    var dataset: InMemoryUsageDataset
    var accountList: [AccountIdentity]
    var activityRows: Int
    var clientRows: Int

    /// xorshift64*: reproducible numbers without Foundation's random source.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static func make(staff: Int, units unitCount: Int, month: ReportMonth) throws -> SyntheticDataset {
        var rng = Random(state: 0x9E37_79B9_7F4A_7C15)
        let departments = max(1, unitCount / 10), districts = max(1, unitCount / 15)
        let communes = max(0, unitCount - 1 - departments - districts)
        var units = [UnitRecord(code: "TINH", name: "Ủy ban nhân dân tỉnh", level: .province)]
        for d in 0..<departments {
            units.append(UnitRecord(code: "SO\(d)", name: "Sở số \(d + 1)", level: .province, parentCode: "TINH"))
        }
        for d in 0..<districts {
            units.append(
                UnitRecord(code: "H\(d)", name: "UBND huyện số \(d + 1)", level: .district, parentCode: "TINH"))
        }
        for c in 0..<communes {
            units.append(
                UnitRecord(code: "X\(c)", name: "UBND xã số \(c + 1)", level: .commune, parentCode: "H\(c % districts)")
            )
        }
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let months = month.trailing(12)
        let start = months[0].interval(in: zone).start
        let domain = "tinh.gov.vn"
        var accounts: [AccountIdentity] = [], events: [AccountEvent] = [], activity: [DailyActivity] = []
        var clients: [DailyClientUse] = []
        let clientNames = ["Thunderbird", "Microsoft Outlook", "Apple Mail", "K-9 Mail", "Roundcube"]
        let extra = staff / 40
        for n in 0..<(staff + extra) {
            let id = Int64(n + 1)
            let kind: AccountKind = n < staff ? .staff : (n % 2 == 0 ? .shared : .service)
            accounts.append(
                AccountIdentity(
                    accountID: id, address: try EmailAddress("user\(n)@\(domain)"),
                    displayName: "Cán bộ số \(n)"))
            // Communes hold most staff, then departments, then districts' own offices.
            let r = rng.unit()
            let unit =
                r < 0.55 && communes > 0
                ? units[1 + departments + districts + rng.below(communes)].code
                : r < 0.85
                    ? units[1 + rng.below(departments)].code
                    : r < 0.97 ? units[1 + departments + rng.below(districts)].code : "TINH"
            let created = rng.unit() < 0.05 ? start + rng.unit() * 330 * 86400 : start - 200 * 86400
            events.append(AccountEvent(accountID: id, at: created, kind: .created, unitCode: unit, accountKind: kind))
            if rng.unit() < 0.05 {
                events.append(
                    AccountEvent(
                        accountID: id, at: created + rng.unit() * 300 * 86400, kind: .moved,
                        unitCode: units[rng.below(units.count)].code, accountKind: kind))
            }
            if rng.unit() < 0.03 {
                events.append(
                    AccountEvent(
                        accountID: id, at: start + rng.unit() * 360 * 86400, kind: .disabled,
                        unitCode: unit, accountKind: kind))
            }
            let profile = rng.unit()
            let dailyProbability = profile < 0.55 ? 0.75 : profile < 0.80 ? 0.1 : 0
            guard dailyProbability > 0 else { continue }
            let client = clientNames[rng.below(clientNames.count)]
            for m in months {
                for d in 1...m.dayCount where isWeekday(m, d) && rng.unit() < dailyProbability {
                    let day = "\(m.description)-\(d < 10 ? "0" : "")\(d)"
                    let sent = rng.below(4)
                    activity.append(
                        DailyActivity(
                            accountID: id, day: day, imapLogins: 1 + rng.below(3),
                            smtpAuths: sent > 0 ? 1 : 0, messagesSent: sent,
                            sentInternalRecipients: sent, sentExternalRecipients: sent / 2,
                            messagesSigned: sent > 1 ? 1 : 0, messagesReceived: rng.below(10)))
                    clients.append(DailyClientUse(accountID: id, day: day, client: client, count: 1 + rng.below(2)))
                }
            }
        }
        let ds = InMemoryUsageDataset(
            units: units, accounts: accounts, history: events, activity: activity,
            clientUse: clients)
        return SyntheticDataset(
            dataset: ds, accountList: accounts, activityRows: activity.count, clientRows: clients.count)
    }

    /// Zeller-style weekday from the civil date (Monday–Friday are workdays).
    static func isWeekday(_ m: ReportMonth, _ d: Int) -> Bool {
        let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = m.month < 3 ? m.year - 1 : m.year
        let dow = (y + y / 4 - y / 100 + y / 400 + t[m.month - 1] + d) % 7  // 0 = Sunday
        return dow != 0 && dow != 6
    }
}
