import ArgumentParser
import Foundation
import GovMailConfig
import MailCore
import Provisioning
import UsageAnalytics

/// `govmail report import-activity FILE.csv`: past daily usage from the mail system GovMail replaces.
struct ActivityImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-activity",
        abstract: "Load past months of usage from another mail system, so the trend starts before GovMail.",
        discussion: """
            CSV (UTF-8, comma or semicolon) with a header row: email, day (YYYY-MM-DD), and any of \
            imap_logins, smtp_auths, messages_sent, messages_received, sent_internal_recipients, \
            sent_external_recipients, messages_signed. Accounts must exist (deleted ones too). Only past \
            days without GovMail counters are filled; if any row is bad nothing is imported and every bad \
            row is listed.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The activity CSV file.") var file: String
    @ArgumentParser.Flag(help: "Check the file without importing anything.") var dryRun = false
    @Option(
        help: ArgumentHelp(
            "The accounts in the file were staff from this day (YYYY-MM-DD), so past months count them even before their GovMail account was created.",
            valueName: "date"))
    var existedFrom: String?

    func run() throws {
        try reportingDirectoryErrors {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CLIError.badInput("cannot read \(file); check the path and that the file is readable")
            }
            let context = try DirectoryContext(global)
            guard let zone = TimeZone(identifier: context.config.timezone) else {
                throw CLIError.badInput(
                    "unknown time zone \(context.config.timezone); fix timezone: in the configuration")
            }
            let today = ReportClock.day(SystemClock().now(), zone)
            let since = try existedFrom.map {
                try LocalDay.start($0, option: "--existed-from", timeZone: context.config.timezone)
            }
            if let existedFrom, existedFrom >= today {
                throw CLIError.usage("--existed-from \(existedFrom) is not a past day")
            }
            let outcome: ActivityImport.Outcome
            do {
                outcome = try ActivityImport(store: context.store).run(
                    Array(data), today: today, dryRun: dryRun, existedFrom: since)
            } catch let e as ActivityImport.Problems {
                for p in e.problems { Console.error(p.description) }
                throw CLIError.badInput(
                    "the file has \(e.problems.count) bad row(s); nothing was imported. Fix them and run again (--dry-run checks without importing)"
                )
            }
            let span = outcome.firstDay.map { " from \($0) to \(outcome.lastDay ?? $0)" } ?? ""
            if dryRun {
                Console.out(
                    "dry run: \(outcome.days) day(s) of counters for \(outcome.accounts) account(s)\(span) would be imported; nothing was changed"
                )
            } else {
                Console.out("imported \(outcome.days) day(s) of counters for \(outcome.accounts) account(s)\(span)")
            }
        }
    }
}
