import AccountStore
import ArgumentParser
import Foundation
import GovMailConfig

extension UnitLevel: ExpressibleByArgument {}
extension AccountKind: ExpressibleByArgument {}

/// `govmail unit add|list|move|rename|merge|retire|history|remove`: organisational units, their
/// hierarchy and its effective-dated history (reports show each month with the structure it had).
struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "Manage organisational units (province, district, commune agencies).",
        discussion: """
            Changes are dated: reports of a closed month keep the units, names, levels and parents of that \
            month. Give --on YYYY-MM-DD to apply a reorganisation from the day it took effect (e.g. the \
            two-tier reform of 1 July 2025); months before it are reported exactly as before.
            """,
        subcommands: [
            Add.self, List.self, Move.self, Rename.self, Merge.self, Retire.self, History.self, Remove.self,
        ])

    /// `--on YYYY-MM-DD`: the day (from midnight in the configured time zone) a change takes effect.
    struct Effective: ParsableArguments {
        @Option(
            name: .customLong("on"),
            help: ArgumentHelp(
                "Day the change takes effect, YYYY-MM-DD (default: now); months before it are unchanged.",
                valueName: "date"))
        var day: String?

        /// Seconds since the epoch of local midnight of `--on`, or nil for now.
        func time(_ context: DirectoryContext) throws -> Int64? {
            try day.map { try LocalDay.start($0, option: "--on", timeZone: context.config.timezone) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a unit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code (letters, digits, - _ .), used in roster files.") var code: String
        @Option(help: "Name, e.g. \"Sở Nội vụ\".") var name: String
        @Option(help: "province, district, commune or other.") var level: UnitLevel
        @Option(help: "Code of the parent unit.") var parent: String?
        @OptionGroup var effective: Effective

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                let u = try context.store.addUnit(
                    code: code, name: name, level: level, parentCode: parent, effective: try effective.time(context))
                Console.out(
                    "added unit \(u.code) (\(u.name), \(u.level.rawValue)\(u.parentCode.map { ", under \($0)" } ?? ""))"
                )
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List units.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let units = try DirectoryContext(global).store.units()
                if json { return try TableOutput.printJSON(units) }
                TableOutput.print(
                    ["CODE", "LEVEL", "PARENT", "STATUS", "NAME"],
                    units.map { [$0.code, $0.level.rawValue, $0.parentCode ?? "-", $0.status.rawValue, $0.name] },
                    empty: "no units yet; add one with: govmail unit add CODE --name \"…\" --level province")
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a unit under another unit, or at the top.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code.") var code: String
        @Option(help: "Code of the new parent unit.") var parent: String?
        @Flag(help: "Make it a top-level unit.") var top = false
        @OptionGroup var effective: Effective

        func validate() throws {
            if (parent == nil) == !top { throw ValidationError("give exactly one of --parent CODE or --top") }
        }

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                try context.store.moveUnit(code: code, toParent: parent, effective: try effective.time(context))
                Console.out(parent.map { "moved unit \(code) under \($0)" } ?? "unit \(code) is now a top-level unit")
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a unit's name (and level).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code.") var code: String
        @Option(help: "New name.") var name: String
        @Option(help: "New level.") var level: UnitLevel?
        @OptionGroup var effective: Effective

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                try context.store.renameUnit(
                    code: code, name: name, level: level, effective: try effective.time(context))
                Console.out("renamed unit \(code) to \(name)")
            }
        }
    }

    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a unit into another: its sub-units and accounts move there, and it ends.",
            discussion: "Months that ended before --on keep the unit; from then on its staff count in the target.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Code of the unit that ends.") var code: String
        @Option(help: "Code of the unit it is merged into.") var into: String
        @OptionGroup var effective: Effective

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                let outcome = try context.store.mergeUnit(
                    code: code, into: into, effective: try effective.time(context))
                Console.out(
                    "merged unit \(code) into \(into)\(effective.day.map { " from \($0)" } ?? ""): \(outcome.movedAccounts) account(s) and \(outcome.movedUnits.count) sub-unit(s) moved\(outcome.movedUnits.isEmpty ? "" : " (\(outcome.movedUnits.joined(separator: ", ")))")"
                )
            }
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End a unit that has no accounts or sub-units left (past reports keep it).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code.") var code: String
        @OptionGroup var effective: Effective

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                try context.store.retireUnit(code: code, effective: try effective.time(context))
                Console.out("retired unit \(code)\(effective.day.map { " from \($0)" } ?? "")")
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the dated changes of units.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code (default: all units).") var code: String?
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let context = try DirectoryContext(global)
                let entries = try context.store.unitHistory(code: code)
                if json { return try TableOutput.printJSON(entries) }
                let formatter = ISO8601DateFormatter()
                formatter.timeZone = TimeZone(identifier: context.config.timezone) ?? TimeZone(identifier: "UTC")!
                TableOutput.print(
                    ["FROM", "UNIT", "CHANGE", "DETAIL"],
                    entries.map { e in
                        let detail: String
                        switch e.event {
                        case .created:
                            detail =
                                "\(e.name ?? ""), \(e.level?.rawValue ?? "")\(e.parentCode.map { ", under \($0)" } ?? "")"
                        case .renamed: detail = e.name ?? ""
                        case .levelChanged: detail = e.level?.rawValue ?? ""
                        case .moved: detail = e.parentCode.map { "under \($0)" } ?? "top level"
                        case .retired: detail = ""
                        case .merged: detail = "into \(e.targetCode ?? "?")"
                        }
                        return [
                            formatter.string(from: Date(timeIntervalSince1970: Double(e.at))), e.unitCode,
                            e.event.rawValue, detail,
                        ]
                    }, empty: "no unit history yet")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a unit entered by mistake (never used); use retire or merge to end a real one.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code.") var code: String

        func run() throws {
            try reportingDirectoryErrors {
                try DirectoryContext(global).store.removeUnit(code: code)
                Console.out("removed unit \(code)")
            }
        }
    }
}
