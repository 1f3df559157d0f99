import AccountStore
import ArgumentParser
import Foundation
import GovMailConfig
import MailCore
import UsageAnalytics

/// `govmail audit delegated`: who sent what for a shared mailbox in a month (issue 17).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Audit trails.", subcommands: [Delegated.self])

    struct Delegated: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Messages members sent as, or on behalf of, a shared mailbox in a month (configured time zone).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "The shared mailbox.") var mailbox: String
        @Option(help: ArgumentHelp("Month as YYYY-MM.", valueName: "month")) var month: String
        @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                let (from, to) = try AuditCommand.monthBounds(month, timeZone: context.config.timezone)
                let sends = try context.store.delegatedSends(shared: try Parse.address(mailbox), from: from, to: to)
                if json {
                    return try TableOutput.printJSON(
                        sends.map {
                            AuditRow(
                                at: TableOutput.time($0.at), member: $0.member.description, mode: $0.mode.rawValue,
                                messageID: $0.messageID, recipients: $0.recipients)
                        })
                }
                TableOutput.print(
                    ["TIME (UTC)", "MEMBER", "MODE", "RECIPIENTS", "MESSAGE-ID"],
                    sends.map {
                        [
                            TableOutput.time($0.at), $0.member.description, $0.mode.rawValue, "\($0.recipients)",
                            $0.messageID,
                        ]
                    },
                    empty: "no delegated sends for \(mailbox) in \(month)")
            }
        }
    }

    struct AuditRow: Encodable {
        let at: String
        let member: String
        let mode: String
        let messageID: String
        let recipients: Int
        enum CodingKeys: String, CodingKey {
            case at, member, mode, recipients
            case messageID = "message_id"
        }
    }

    /// [first second of the month, first second of the next) in `timeZone`, as Unix times.
    static func monthBounds(_ text: String, timeZone: String) throws -> (Int64, Int64) {
        let month: ReportMonth
        do { month = try ReportMonth(text) } catch { throw CLIError.badInput("\(error)") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let start = calendar.date(from: DateComponents(year: month.year, month: month.month, day: 1))!
        let end = calendar.date(byAdding: .month, value: 1, to: start)!
        return (Int64(start.timeIntervalSince1970), Int64(end.timeIntervalSince1970))
    }
}
