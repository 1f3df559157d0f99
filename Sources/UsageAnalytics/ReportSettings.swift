import Foundation

/// The definitions a report uses; they are printed in every report so readers know what was counted.
public struct ReportSettings: Sendable, Equatable, Codable {
    /// Distinct days of use in a month that make a staff member "active".
    public var activeMinDays: Int = 4
    /// Share (0–1) below which a unit is highlighted.
    public var targetShare: Double = 0.5
    /// Units with fewer staff are merged into their parent in published (aggregate) output.
    public var minimumUnitSize: Int = 5
    /// IANA time zone of the calendar days and months.
    public var timeZone: String = "Asia/Ho_Chi_Minh"

    public init(
        activeMinDays: Int = 4, targetShare: Double = 0.5, minimumUnitSize: Int = 5,
        timeZone: String = "Asia/Ho_Chi_Minh"
    ) {
        self.activeMinDays = activeMinDays
        self.targetShare = targetShare
        self.minimumUnitSize = minimumUnitSize
        self.timeZone = timeZone
    }

    enum CodingKeys: String, CodingKey {
        case activeMinDays = "active_min_days", targetShare = "target_share"
        case minimumUnitSize = "minimum_unit_size", timeZone = "time_zone"
    }

    /// Checks the values and resolves the time zone, with messages that say what to fix.
    public func validatedTimeZone() throws -> TimeZone {
        guard activeMinDays >= 1, activeMinDays <= 31 else {
            throw ReportError.badSetting("active_min_days must be between 1 and 31, not \(activeMinDays)")
        }
        guard targetShare >= 0, targetShare <= 1 else {
            throw ReportError.badSetting("target_share must be between 0 and 1 (e.g. 0.5 for 50%), not \(targetShare)")
        }
        guard minimumUnitSize >= 1 else {
            throw ReportError.badSetting("minimum_unit_size must be at least 1, not \(minimumUnitSize)")
        }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ReportError.badSetting("unknown time zone \(timeZone); use an IANA name such as Asia/Ho_Chi_Minh")
        }
        return zone
    }
}

/// Why a report could not be made, worded so the administrator knows what to do.
public enum ReportError: Error, Equatable, CustomStringConvertible {
    case badMonth(String)
    case badPeriod(String)
    case badSetting(String)
    case unknownUnit(String)
    /// The unit has too few staff in the month to be published on its own (the privacy floor).
    case unitBelowFloor(String, minimum: Int, ReportMonth)
    /// The unit had been merged into another by the end of the month.
    case unitMerged(String, into: String, ReportMonth)

    public var description: String {
        switch self {
        case .badMonth(let text): return "\"\(text)\" is not a month; write it as YYYY-MM, e.g. 2026-10"
        case .badPeriod(let text):
            return "\"\(text)\" is not a quarter or a year; write it as YYYY-Qn (e.g. 2026-Q3) or YYYY"
        case .badSetting(let why): return "report setting: \(why)"
        case .unknownUnit(let code): return "no unit has the code \(code); run `govmail unit list` to see the codes"
        case .unitBelowFloor(let code, let minimum, let month):
            return
                "unit \(code) is too small to be reported on its own in \(month) (fewer than \(minimum) staff, analytics.min_unit_size, or merged into its parent so its figures cannot be derived); its staff are in its parent unit's figures: report the parent with --unit, or `govmail report inactive --unit \(code)` for its administrator"
        case .unitMerged(let code, let target, let month):
            return
                "unit \(code) had been merged into \(target) by the end of \(month); report \(target) instead, or an earlier month"
        }
    }
}
