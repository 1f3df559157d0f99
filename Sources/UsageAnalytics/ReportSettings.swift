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
    case badSetting(String)
    case unknownUnit(String)

    public var description: String {
        switch self {
        case .badMonth(let text): return "\"\(text)\" is not a month; write it as YYYY-MM, e.g. 2026-10"
        case .badSetting(let why): return "report setting: \(why)"
        case .unknownUnit(let code): return "no unit has the code \(code); run `govmail unit list` to see the codes"
        }
    }
}
