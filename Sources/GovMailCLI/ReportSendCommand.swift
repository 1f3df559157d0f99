import AccountStore
import ArgumentParser
import Foundation
import GovMailConfig
import GovMailServer
import MailCore
import MaildirStore
import Provisioning
import Relay
import UsageAnalytics

/// `govmail report send`: mails the monthly report to leaders (HTML body, CSV attached) and each
/// unit administrator only their unit's inactive list, through GovMail's own delivery: a local
/// mailbox gets it in its INBOX (durably, as SMTP delivery does), a remote one through the relay
/// queue. Run it from a timer on the 1st of the month; `--dry-run` shows what would go to whom.
struct ReportSendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Mail the monthly report to leaders and each unit administrator their unit's inactive list.",
        discussion: """
            Leaders (--to) get the published report: HTML in the body, CSV attached. Each --unit-admin \
            CODE=ADDRESS gets only the inactive list of that unit (it names people). Local addresses are \
            delivered to their INBOX; others go through the relay queue (smtp.relay.host must be set). \
            For a monthly run, e.g. a systemd timer with OnCalendar=*-*-01 07:00.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Month as YYYY-MM (default: the last complete month).", valueName: "month"))
    var month: String?
    @Option(help: "vi or en.") var lang: ReportLanguage = .vi
    @Option(help: ArgumentHelp("Sender address (an address of a domain served here).", valueName: "address"))
    var from: String
    @Option(help: ArgumentHelp("A leader who gets the published report (repeat for several).", valueName: "address"))
    var to: [String] = []
    @Option(
        help: ArgumentHelp(
            "A unit administrator who gets only that unit's inactive list (repeat for several).",
            valueName: "CODE=address"))
    var unitAdmin: [String] = []
    @Option(help: "CSV field separator of the attachments.") var csvSeparator: CSVStyle.Separator = .comma
    @Option(help: "CSV decimal mark of the attachments.") var decimalMark: CSVStyle.DecimalMark = .point
    @ArgumentParser.Flag(help: "Show what would be sent to whom without sending anything.") var dryRun = false

    func validate() throws {
        if to.isEmpty && unitAdmin.isEmpty { throw ValidationError("give at least one --to or --unit-admin") }
        for pair in unitAdmin where pair.split(separator: "=").count != 2 {
            throw ValidationError("--unit-admin takes CODE=ADDRESS, e.g. --unit-admin H-HOALU=vanthu@hoalu.gov.vn")
        }
    }

    /// One message to one recipient.
    struct Outgoing {
        let to: EmailAddress
        let mail: ReportMail
        let what: String
    }

    func run() throws {
        try reportingDirectoryErrors {
            let job = try ReportJob(global, month: month, out: nil)
            let sender = try Parse.address(from)
            let style = CSVStyle(separator: csvSeparator, decimalMark: decimalMark)
            let monthText = job.month.description
            var outgoing: [Outgoing] = []
            func mail(_ to: EmailAddress, _ subject: String, _ html: Data, _ attachments: [ReportMail.Attachment])
                -> ReportMail
            {
                ReportMail(
                    from: sender, to: to, subject: subject, html: Array(html), attachments: attachments, date: job.now,
                    messageID: "\(UUID().uuidString.lowercased())@\(sender.domain)")
            }
            if !to.isEmpty {
                let (html, csv) = try job.mapReportErrors {
                    let data = try AccountStoreUsageDataset.forMonthlyReport(store: job.context.store, month: job.month)
                    let report = try UsageReports.monthly(
                        from: data, month: job.month, settings: job.settings, generatedAt: job.now)
                    let html = try ReportRenderer.render(report, format: .html, language: lang)
                    let csv = try ReportRenderer.render(report, format: .csv, language: lang, csv: style)
                    return (html, csv)
                }
                let subject =
                    lang == .vi
                    ? "Báo cáo sử dụng thư điện tử công vụ tháng \(job.month.month)/\(job.month.year)"
                    : "Official mail usage report, \(monthText)"
                for address in try to.map(Parse.address) {
                    let attachment = ReportMail.Attachment(
                        fileName: "bao-cao-\(monthText).csv", contentType: "text/csv; charset=utf-8", bytes: Array(csv))
                    outgoing.append(
                        Outgoing(to: address, mail: mail(address, subject, html, [attachment]), what: "monthly report"))
                }
            }
            for pair in unitAdmin {
                let parts = pair.split(separator: "=").map(String.init)
                let address = try Parse.address(parts[1])
                let code = try job.unitCode(parts[0]) ?? parts[0]
                let (html, csv) = try job.mapReportErrors {
                    let data = try AccountStoreUsageDataset.forInactiveList(store: job.context.store, month: job.month)
                    let report = try UsageReports.inactive(
                        from: data, month: job.month, settings: job.settings, unitCode: code)
                    return (
                        try ReportRenderer.render(report, format: .html, language: lang),
                        try ReportRenderer.render(report, format: .csv, language: lang, csv: style)
                    )
                }
                let subject =
                    lang == .vi
                    ? "Danh sách chưa sử dụng thư thường xuyên tháng \(job.month.month)/\(job.month.year) — \(code)"
                    : "Staff not using mail regularly, \(monthText) — \(code)"
                let attachment = ReportMail.Attachment(
                    fileName: "chua-su-dung-\(code)-\(monthText).csv", contentType: "text/csv; charset=utf-8",
                    bytes: Array(csv))
                outgoing.append(
                    Outgoing(
                        to: address, mail: mail(address, subject, html, [attachment]), what: "inactive list of \(code)")
                )
            }
            try send(outgoing, context: job.context, now: job.now)
        }
    }

    /// Local recipients first (all of them checked before anything is written), then the relay queue.
    func send(_ outgoing: [Outgoing], context: DirectoryContext, now: Double) throws {
        let served = Set(try context.store.domains().map(\.name))
        let directory = SQLiteDirectory(store: context.store, verifier: context.provisioner.hasher)
        let layout = MaildirLayout(stateDir: context.config.stateDir)
        var plan: [(Outgoing, root: String?)] = []
        for o in outgoing {
            if served.contains(o.to.domain) {
                guard let entry = try directory.lookup(o.to) else {
                    throw CLIError.badInput(
                        "\(o.to) is neither an account nor an alias here; check the address (govmail account list)")
                }
                plan.append((o, try layout.accountRoot(entry.address)))
            } else {
                guard !context.config.smtp.relay.host.isEmpty else {
                    throw CLIError.badInput(
                        "\(o.to) is not in a domain served here and smtp.relay.host is not set; send to a local address or configure the relay"
                    )
                }
                plan.append((o, nil))
            }
        }
        for (o, root) in plan {
            let size = o.mail.bytes.count
            let route = root == nil ? "relay queue" : "INBOX"
            if dryRun {
                Console.out("would send the \(o.what) to \(o.to) (\(route), \(size) bytes)")
                continue
            }
            if let root {
                if !FileManager.default.fileExists(atPath: root + "/new") {
                    try MaildirLayout.createMaildir(at: root, isSubfolder: false)
                }
                _ = try MaildirDelivery().deliver(o.mail.bytes, to: [MaildirDelivery.Recipient(accountRoot: root)])
            } else {
                _ = try RelayQueue(stateDir: context.config.stateDir).enqueue(
                    sender: o.mail.from, recipients: [o.to], message: o.mail.bytes, accountID: nil, now: now)
            }
            Console.out("sent the \(o.what) to \(o.to) (\(route), \(size) bytes)")
        }
        if dryRun { Console.out("dry run: nothing was sent") }
    }
}
