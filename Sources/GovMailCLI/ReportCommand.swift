import AccountStore
import ArgumentParser
import Foundation
import GovMailConfig
import MailCore
import MaildirStore
import UsageAnalytics

extension ReportFormat: ExpressibleByArgument {}
extension ReportLanguage: ExpressibleByArgument {}
extension CSVStyle.Separator: ExpressibleByArgument {}
extension CSVStyle.DecimalMark: ExpressibleByArgument {}

/// `govmail report monthly|inactive`: the usage report of issue 7, read from the directory's history
/// and daily counters (docs/REPORT-SCHEMA.md describes the definitions and the JSON).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Usage reports: who uses official mail, per unit and level.",
        subcommands: [Monthly.self, Period.self, Inactive.self, ReportSendCommand.self, ActivityImportCommand.self])

    /// Month, format, language and destination, shared by both reports.
    struct ReportOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Month as YYYY-MM (default: the last complete month).", valueName: "month"))
        var month: String?
        @Option(help: "text, csv, json or html.") var format: ReportFormat = .text
        @Option(help: "vi or en (labels only; JSON is the same in both).") var lang: ReportLanguage = .vi
        @Option(
            help: ArgumentHelp(
                "Write to this file instead of standard output (mode 0644; 0600 for the inactive list, which names people).",
                valueName: "file"))
        var out: String?
        @Option(
            help: "CSV field separator: comma, or semicolon for Excel in Vietnamese and other comma-decimal locales.")
        var csvSeparator: CSVStyle.Separator = .comma
        @Option(help: "CSV decimal mark: point (62.5) or comma (62,5, with --csv-separator semicolon).")
        var decimalMark: CSVStyle.DecimalMark = .point

        var csv: CSVStyle { CSVStyle(separator: csvSeparator, decimalMark: decimalMark) }
    }

    struct Monthly: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The published monthly report: shares per unit and level, trend, client software.",
            discussion: """
                Aggregates only; units with fewer staff than analytics.min_unit_size are merged into their parent.
                Before reading, daily rows older than analytics.retention_months are removed (monthly totals are kept).
                """)
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportOptions
        @Option(help: "Only this unit and its sub-units (see `govmail unit list`).") var unit: String?

        func run() throws {
            try reportingDirectoryErrors {
                let job = try ReportJob(global, month: options.month, out: options.out)
                try job.pruneExpiredActivity(verbose: global.verbose)
                let bytes = try job.mapReportErrors {
                    let data = try AccountStoreUsageDataset.forMonthlyReport(store: job.context.store, month: job.month)
                    let report = try UsageReports.monthly(
                        from: data, month: job.month, settings: job.settings, unitCode: try job.unitCode(unit),
                        generatedAt: job.now)
                    return try ReportRenderer.render(
                        report, format: options.format, language: options.lang, csv: options.csv)
                }
                try job.deliver(
                    bytes,
                    what: "monthly report for \(job.month) (\(options.format.rawValue), \(options.lang.rawValue))")
            }
        }
    }

    struct Period: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "A quarter or a year: each month as published, summed (share = active staff-months / staff-months).",
            discussion: "Lists only units published on their own in every month of the period.")
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp("A quarter, e.g. 2026-Q3.", valueName: "YYYY-Qn")) var quarter: String?
        @Option(help: ArgumentHelp("A year, e.g. 2026.", valueName: "YYYY")) var year: String?
        @Option(help: "text, csv, json or html.") var format: ReportFormat = .text
        @Option(help: "vi or en (labels only; JSON is the same in both).") var lang: ReportLanguage = .vi
        @Option(help: "Only this unit and its sub-units (see `govmail unit list`).") var unit: String?
        @Option(help: ArgumentHelp("Write to this file (mode 0644) instead of standard output.", valueName: "file"))
        var out: String?
        @Option(help: "CSV field separator: comma, or semicolon for Excel in Vietnamese.")
        var csvSeparator: CSVStyle.Separator = .comma
        @Option(help: "CSV decimal mark: point or comma.") var decimalMark: CSVStyle.DecimalMark = .point

        func validate() throws {
            if (quarter == nil) == (year == nil) {
                throw ValidationError("give exactly one of --quarter YYYY-Qn or --year YYYY")
            }
        }

        func run() throws {
            try reportingDirectoryErrors {
                let name: ReportPeriodName
                do { name = try ReportPeriodName(quarter ?? year ?? "") } catch let e as ReportError {
                    throw CLIError.usage(e.description)
                }
                let job = try ReportJob(global, month: nil, out: out)
                guard let first = name.months.first,
                    first <= ReportMonth.lastComplete(now: job.now, timeZone: job.timeZone).next
                else { throw CLIError.usage("\(name) has not started yet") }
                let bytes = try job.mapReportErrors {
                    let data = try AccountStoreUsageDataset(
                        store: job.context.store, activityMonths: name.months, clientMonths: [])
                    let report = try UsageReports.period(
                        from: data, period: name, settings: job.settings, unitCode: try job.unitCode(unit),
                        generatedAt: job.now)
                    return try ReportRenderer.render(
                        report, format: format, language: lang,
                        csv: CSVStyle(separator: csvSeparator, decimalMark: decimalMark))
                }
                try job.deliver(bytes, what: "report for \(name) (\(format.rawValue), \(lang.rawValue))")
            }
        }
    }

    struct Inactive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Staff of a unit who were not active in a month, by name: for unit administrators only.",
            discussion: "The list names people; do not publish it. Use `govmail report monthly` for published figures.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var options: ReportOptions
        @Option(help: "The unit (with its sub-units) to list (see `govmail unit list`).") var unit: String

        func run() throws {
            try reportingDirectoryErrors {
                let job = try ReportJob(global, month: options.month, out: options.out)
                let bytes = try job.mapReportErrors {
                    let data = try AccountStoreUsageDataset.forInactiveList(store: job.context.store, month: job.month)
                    let report = try UsageReports.inactive(
                        from: data, month: job.month, settings: job.settings, unitCode: try job.unitCode(unit))
                    return try ReportRenderer.render(
                        report, format: options.format, language: options.lang, csv: options.csv)
                }
                try job.deliver(
                    bytes,
                    what: "inactive list for \(job.month) (\(options.format.rawValue), \(options.lang.rawValue))",
                    mode: 0o600)
            }
        }
    }
}

/// What both report commands do around the computation: settings from the configuration, the
/// month, retention, error wording and writing the result.
struct ReportJob {
    let context: DirectoryContext
    let settings: ReportSettings
    let timeZone: TimeZone
    let month: ReportMonth
    /// `--out`, or nil for standard output.
    let out: String?
    /// The report's "now": generation stamp, default month, partial month (`SOURCE_DATE_EPOCH` when set).
    let now: Double
    /// The real time, for retention: reproducing an old report never keeps more rows than policy says.
    let clockNow: Double

    init(_ global: GlobalOptions, month text: String?, out: String?, clock: any MailClock = SystemClock()) throws {
        self.out = out
        clockNow = clock.now()
        now = try Self.reproducibleNow() ?? clockNow
        // Parse the month before opening anything, so a typo costs nothing.
        var requested: ReportMonth?
        if let text {
            do { requested = try ReportMonth(text) } catch let e as ReportError { throw CLIError.usage(e.description) }
        }
        context = try DirectoryContext(global)
        let a = context.config.analytics
        settings = ReportSettings(
            activeMinDays: a.activeMinDays, targetShare: a.targetShare,
            minimumUnitSize: a.minUnitSize, timeZone: context.config.timezone)
        do { timeZone = try settings.validatedTimeZone() } catch let e as ReportError {
            throw CLIError.badInput("\(e.description); fix it in the configuration file (analytics: or timezone:)")
        }
        let lastComplete = ReportMonth.lastComplete(now: now, timeZone: timeZone)
        month = requested ?? lastComplete
        if month > lastComplete.next {
            throw CLIError.usage(
                "\(month) has not started yet; the last complete month is \(lastComplete) (the default)")
        }
        if month == lastComplete.next {
            Console.error("govmail: note: \(month) is not over yet; its figures are partial")
        }
    }

    /// `SOURCE_DATE_EPOCH` (the reproducible-builds convention, seconds since the epoch) stands for
    /// "now": the generation stamp, the default month and the partial-month decision, so the same
    /// data gives the same bytes when a report is made again.
    static func reproducibleNow() throws -> Double? {
        guard let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return nil }
        guard let seconds = Int64(text), seconds >= 0 else {
            throw CLIError.usage("SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not \"\(text)\"")
        }
        return Double(seconds)
    }

    /// Removes daily rows older than `analytics.retention_months`.
    func pruneExpiredActivity(verbose: Bool) throws {
        let day = ActivityRetention.firstKeptDay(
            now: clockNow, timeZone: timeZone,
            retentionMonths: context.config.analytics.retentionMonths)
        let pruned = try context.store.pruneActivity(before: day)
        if verbose || pruned.dailyRows + pruned.clientRows > 0 {
            Console.error(
                "govmail: removed \(pruned.dailyRows) daily counter rows and \(pruned.clientRows) client rows before \(day) (analytics.retention_months; monthly totals are kept)"
            )
        }
    }

    /// The unit code as stored (codes are case-insensitive in the directory, exact in the report).
    func unitCode(_ typed: String?) throws -> String? {
        guard let typed else { return nil }
        return try context.store.unit(code: typed)?.code ?? typed
    }

    /// Runs the computation, turning report and directory-reading errors into messages that say what to do.
    func mapReportErrors<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ReportError {
            switch e {
            case .unknownUnit, .badMonth, .badPeriod, .unitBelowFloor, .unitMerged:
                throw CLIError.badInput(e.description)
            case .badSetting: throw CLIError.badInput("\(e.description); fix it in the configuration file")
            }
        } catch let e as AccountStoreUsageDataset.UnreadableDirectory {
            throw CLIError.failure(e.description)
        }
    }

    /// Writes to `--out` (atomically; mode 0644 for published reports, 0600 for lists that name
    /// people) or to standard output.
    func deliver(_ bytes: Data, what: String, mode: Int = 0o644) throws {
        guard let path = out else {
            FileHandle.standardOutput.write(bytes)
            return
        }
        do {
            // The temporary file is created 0600, so a list naming people is never readable by
            // others, not even for a moment; a published report is then widened to 0644.
            let temporary = "\(path).tmp-\(getpid())"
            try DurableWriter().replace(path, with: Array(bytes), temporaryPath: temporary)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw CLIError.failure(
                "cannot write \(path): \(error.localizedDescription); check that the folder exists and is writable")
        }
        Console.out("wrote the \(what) to \(path)")
    }
}
