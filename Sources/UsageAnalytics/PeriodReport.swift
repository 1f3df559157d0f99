import Foundation

/// A quarter or a year of monthly reports, for leadership reviews: each month counted as it was
/// published, summed. The share of a period is active staff-months / staff-months (the monthly shares
/// averaged, weighted by staff), so a unit of 20 counts twenty times a unit of one.
///
/// Privacy: a unit is listed only when it was a published unit in *every* month of the period (in
/// each month's own structure and plan), and its figures are the sums of what those monthly reports
/// published. Every month's term is then a sum of whole publication groups, so the difference of any
/// two listed figures is too, and no month of a hidden unit can be recovered by subtracting months.
public struct PeriodReport: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 1
    public static let schemaName = "govmail.report.period"

    public var schema: String = PeriodReport.schemaName
    public var schemaVersion: Int = PeriodReport.currentSchemaVersion
    /// `2026-Q3` or `2026`.
    public var period: String
    public var months: [ReportMonth]
    public var settings: ReportSettings
    public var generatedAt: String?
    /// Some month of the period had not ended when the report was made.
    public var partial: Bool
    public var scopeUnitCode: String?
    public var scopeUnitName: String?
    public var organisation: PeriodFigures
    /// Units published in every month, in tree order of the period's last month.
    public var units: [PeriodUnitRow]
    /// Units of the scope not listed (below the floor in some month, or not existing all period).
    public var unlistedUnitCount: Int

    enum CodingKeys: String, CodingKey {
        case schema, schemaVersion = "schema_version", period, months, settings, generatedAt = "generated_at"
        case partial, scopeUnitCode = "scope_unit_code", scopeUnitName = "scope_unit_name", organisation, units
        case unlistedUnitCount = "unlisted_unit_count"
    }
}

/// Staff-months and active staff-months of a period, with the month-by-month figures.
public struct PeriodFigures: Sendable, Equatable, Codable {
    public var staffMonths: Int
    public var activeMonths: Int
    /// activeMonths / staffMonths; nil without staff.
    public var share: Double?
    public var belowTarget: Bool
    public var byMonth: [TrendPoint]

    enum CodingKeys: String, CodingKey {
        case staffMonths = "staff_months", activeMonths = "active_months", share, belowTarget = "below_target"
        case byMonth = "by_month"
    }

    init(_ points: [TrendPoint], target: Double) {
        staffMonths = points.reduce(0) { $0 + ($1.staff ?? 0) }
        activeMonths = points.reduce(0) { $0 + ($1.active ?? 0) }
        share = staffMonths > 0 ? Double(activeMonths) / Double(staffMonths) : nil
        belowTarget = share.map { $0 < target } ?? false
        byMonth = points
    }
}

public struct PeriodUnitRow: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    public var level: UnitLevel
    public var depth: Int
    /// The unit with its sub-units, month by month as each monthly report published it.
    public var rolledUp: PeriodFigures

    enum CodingKeys: String, CodingKey { case code, name, level, depth, rolledUp = "rolled_up" }
}

/// A quarter (`2026-Q3`) or a year (`2026`) as its months.
public struct ReportPeriodName: Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public let months: [ReportMonth]

    /// Parses `YYYY-Qn` or `YYYY`.
    public init(_ text: String) throws {
        let parts = text.uppercased().split(separator: "-", omittingEmptySubsequences: false)
        guard let year = Int(parts[0]), parts[0].count == 4 else { throw ReportError.badPeriod(text) }
        if parts.count == 1 {
            months = try (1...12).map { try ReportMonth(year: year, month: $0) }
        } else if parts.count == 2, parts[1].count == 2, parts[1].first == "Q", let q = Int(parts[1].dropFirst()),
            (1...4).contains(q)
        {
            months = try (1...3).map { try ReportMonth(year: year, month: (q - 1) * 3 + $0) }
        } else {
            throw ReportError.badPeriod(text)
        }
        description = text.uppercased()
    }
}

extension UsageReports {
    /// The quarter or year report (see `PeriodReport`).
    public static func period(
        from dataset: any UsageDataset, period: ReportPeriodName, settings: ReportSettings = .init(),
        unitCode: String? = nil, generatedAt: Double? = nil
    ) throws -> PeriodReport {
        let input = try AnalyticsInput(dataset: dataset, settings: settings)
        let views = try period.months.map { try MonthView(input, $0) }
        let last = views.last!
        let tree = last.tree
        let root = try last.scope(unitCode, published: true)
        func point(_ view: MonthView, _ code: String?) -> TrendPoint {
            let c = view.total(of: code)
            return TrendPoint(
                month: view.month, staff: c?.staff, active: c?.active, share: c.flatMap(share),
                suppressed: c == nil ? true : nil)
        }
        let organisation = PeriodFigures(views.map { point($0, unitCode) }, target: settings.targetShare)
        let inScope = root.map { tree.subtree(of: $0) } ?? Array(repeating: true, count: tree.units.count)
        let baseDepth = root.map { tree.depth[$0] } ?? 0
        var rows: [PeriodUnitRow] = []
        var unlisted = 0
        for u in tree.preorder where inScope[u] && last.present[u] {
            let code = tree.units[u].code
            let points = views.map { point($0, code) }
            guard points.allSatisfy({ $0.suppressed == nil }) else { unlisted += 1; continue }
            rows.append(
                PeriodUnitRow(
                    code: code, name: tree.units[u].name, level: tree.units[u].level, depth: tree.depth[u] - baseDepth,
                    rolledUp: PeriodFigures(points, target: settings.targetShare)))
        }
        let zone = input.timeZone
        return PeriodReport(
            period: period.description, months: period.months, settings: settings,
            generatedAt: generatedAt.map { ReportClock.timestamp($0, zone) },
            partial: generatedAt.map { $0 < last.month.interval(in: zone).end } ?? false,
            scopeUnitCode: root.map { tree.units[$0].code }, scopeUnitName: root.map { tree.units[$0].name },
            organisation: organisation, units: rows, unlistedUnitCount: unlisted)
    }
}
