import AccountStore
import Foundation

/// A calendar day typed at the command line (`YYYY-MM-DD`), as the instant it starts in the
/// configured time zone (reports count days and months in that zone).
enum LocalDay {
    static func start(_ text: String, option: String, timeZone name: String) throws -> Int64 {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard AccountStore.isDay(text), parts.count == 3 else {
            throw CLIError.usage("\(option) \(text) is not a date; write it as YYYY-MM-DD, e.g. 2025-07-01")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])),
            calendar.component(.day, from: date) == parts[2]
        else { throw CLIError.usage("\(option) \(text) is not a day of the calendar; write it as YYYY-MM-DD") }
        return Int64(date.timeIntervalSince1970)
    }
}
