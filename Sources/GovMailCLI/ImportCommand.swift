import AccountStore
import ArgumentParser
import Foundation
import MailCore
import Provisioning

/// `govmail account import ROSTER.csv`: create and update staff from a roster, all or nothing.
struct AccountImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a staff roster (CSV: email, full name, unit code, kind).",
        discussion: """
            The file is UTF-8 (with or without BOM), comma or semicolon separated, with a header row. \
            Running it twice changes nothing the second time. If any row is bad, nothing is imported \
            and every bad row is listed by its row number (the header is row 1).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The roster CSV file.") var roster: String
    @ArgumentParser.Flag(help: "Show what would change without changing anything.") var dryRun = false
    @ArgumentParser.Flag(help: "Disable enabled staff accounts that are not in the roster (leavers).")
    var disableMissing = false
    @Option(
        help: ArgumentHelp(
            "The roster of this unit and its sub-units: rows must be inside it, and only its accounts are disabled.",
            valueName: "code"))
    var unit: String?
    @Option(
        help: ArgumentHelp(
            "Refuse to apply if more accounts would be disabled (default \(RosterImporter.defaultMaxDisable)).",
            valueName: "n"))
    var maxDisable: Int?
    @ArgumentParser.Flag(help: "Disable however many accounts the roster says (after checking them with --dry-run).")
    var yes = false
    @Option(
        help: ArgumentHelp(
            "Write initial passwords of new accounts to this new CSV file (mode 0600).", valueName: "file"))
    var passwordsOut: String?
    @ArgumentParser.Flag(help: "Create new accounts without a password (set later with `govmail account passwd`).")
    var noPasswords = false
    @ArgumentParser.Flag(help: "Print the outcome as JSON.") var json = false

    func validate() throws {
        if (maxDisable != nil || yes) && !disableMissing {
            throw ValidationError("--max-disable and --yes only apply with --disable-missing")
        }
        if let maxDisable, maxDisable < 0 {
            throw ValidationError("--max-disable needs a number of accounts, 0 or more")
        }
        if passwordsOut != nil && noPasswords {
            throw ValidationError("give only one of --passwords-out and --no-passwords")
        }
        if !dryRun && passwordsOut == nil && !noPasswords {
            throw ValidationError(
                "say where initial passwords go: --passwords-out FILE (a new file, mode 0600), or --no-passwords to set them later"
            )
        }
    }

    struct Report: Encodable {
        struct Update: Encodable { let row: Int; let address: String; let changes: [String] }
        struct Note: Encodable { let row: Int; let message: String }
        let dryRun: Bool
        let applied: Bool
        let created: [String]
        let updated: [Update]
        let disabled: [String]
        let unchanged: Int
        let notes: [Note]
        let passwordsFile: String?
    }

    func run() throws {
        try reportingDirectoryErrors {
            guard let data = FileManager.default.contents(atPath: roster) else {
                throw CLIError.badInput("cannot read \(roster); check the path and that the file is readable")
            }
            let ctx = try DirectoryContext(global)
            let importer = RosterImporter(provisioner: ctx.provisioner, hashingThreads: 2)
            let display = ProgressDisplay()
            let options = RosterImporter.Options(
                dryRun: dryRun, disableMissing: disableMissing, passwordsOut: noPasswords ? nil : passwordsOut,
                scopeUnitCode: unit, maxDisable: maxDisable, confirmed: yes)
            let outcome: RosterImporter.Outcome
            do {
                outcome = try importer.run(
                    Array(data), options: options,
                    progress: { phase, done, total in display.update(phase.rawValue, done, total) })
            } catch let e as RosterImporter.TooManyDisables {
                throw CLIError.badInput(e.description)
            }
            let plan = outcome.plan
            let report = Report(
                dryRun: dryRun, applied: outcome.applied, created: plan.creates.map(\.address.description),
                updated: plan.updates.map {
                    .init(row: $0.row, address: $0.account.address.description, changes: $0.changes)
                },
                disabled: plan.disables.map(\.address.description), unchanged: plan.unchanged,
                notes: plan.notes.map { .init(row: $0.row, message: $0.message) },
                passwordsFile: outcome.passwordsWritten > 0 ? passwordsOut : nil)
            if json { return try TableOutput.printJSON(report) }
            let overLimit = options.disableLimit.map { plan.disables.count > $0 } ?? false
            if dryRun || global.verbose {
                for c in plan.creates {
                    Console.out(
                        "row \(c.row): create \(c.address) (\(c.fullName), unit \(c.unit.code), \(c.kind.rawValue))")
                }
                for u in plan.updates {
                    Console.out("row \(u.row): update \(u.account.address): \(u.changes.joined(separator: ", "))")
                }
                for d in plan.disables { Console.out("disable \(d.address) (not in the roster)") }
            }
            for n in plan.notes { Console.out("row \(n.row): note: \(n.message)") }
            let counts =
                "\(plan.creates.count) to create, \(plan.updates.count) to update, \(plan.disables.count) to disable, \(plan.unchanged) unchanged"
            if dryRun {
                if overLimit, let limit = options.disableLimit {
                    Console.out(
                        "warning: \(plan.disables.count) accounts would be disabled, more than the limit of \(limit); applying needs --max-disable \(plan.disables.count) or --yes (or --unit CODE to limit the roster to one unit)"
                    )
                }
                Console.out("dry run: \(counts); nothing was changed. Run again without --dry-run to apply.")
            } else if !outcome.applied {
                Console.out("nothing to change: \(plan.unchanged) account(s) already match the roster")
            } else {
                Console.out(
                    "imported: \(plan.creates.count) created, \(plan.updates.count) updated, \(plan.disables.count) disabled, \(plan.unchanged) unchanged"
                )
                if outcome.passwordsWritten > 0, let passwordsOut {
                    Console.out(
                        "initial passwords of \(outcome.passwordsWritten) new account(s) are in \(passwordsOut) (mode 0600); hand them over securely, then delete the file"
                    )
                } else if !plan.creates.isEmpty {
                    Console.out("new accounts have no password yet; set them with: govmail account passwd ADDRESS")
                }
            }
        }
    }
}
