import AccountStore
import ArgumentParser

extension UnitLevel: ExpressibleByArgument {}
extension AccountKind: ExpressibleByArgument {}

/// `govmail unit add|list|move|rename|remove`: organisational units and their hierarchy.
struct UnitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unit", abstract: "Manage organisational units (province, district, commune agencies).",
        subcommands: [Add.self, List.self, Move.self, Rename.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a unit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "Unit code (letters, digits, - _ .), used in roster files.") var code: String
        @Option(help: "Name, e.g. \"Sở Nội vụ\".") var name: String
        @Option(help: "province, district, commune or other.") var level: UnitLevel
        @Option(help: "Code of the parent unit.") var parent: String?

        func run() throws {
            try reportingDirectoryErrors {
                let u = try DirectoryContext(global).store.addUnit(
                    code: code, name: name, level: level, parentCode: parent)
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
                    ["CODE", "LEVEL", "PARENT", "NAME"],
                    units.map { [$0.code, $0.level.rawValue, $0.parentCode ?? "-", $0.name] },
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

        func validate() throws {
            if (parent == nil) == !top { throw ValidationError("give exactly one of --parent CODE or --top") }
        }

        func run() throws {
            try reportingDirectoryErrors {
                try DirectoryContext(global).store.moveUnit(code: code, toParent: parent)
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

        func run() throws {
            try reportingDirectoryErrors {
                try DirectoryContext(global).store.renameUnit(code: code, name: name, level: level)
                Console.out("renamed unit \(code) to \(name)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a unit that never had accounts or sub-units.")
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
