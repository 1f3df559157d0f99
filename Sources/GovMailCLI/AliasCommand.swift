import AccountStore
import ArgumentParser
import MailCore

/// `govmail alias add|list|remove`: extra addresses that deliver to an account.
struct AliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias", abstract: "Manage alias addresses.", subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an alias that delivers to an account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alias address.") var alias: String
        @Argument(help: "The account it delivers to.") var account: String

        func run() throws {
            try reportingDirectoryErrors {
                let a = try DirectoryContext(global).store.addAlias(
                    try Parse.address(alias), target: try Parse.address(account))
                Console.out("added alias \(a.address) → \(a.target)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List aliases.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only aliases of this account.") var account: String?
        @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let target = try account.map(Parse.address)
                let aliases = try DirectoryContext(global).store.aliases(target: target)
                if json { return try TableOutput.printJSON(aliases) }
                TableOutput.print(
                    ["ALIAS", "ACCOUNT"], aliases.map { [$0.address.description, $0.target.description] },
                    empty: "no aliases; add one with: govmail alias add ALIAS ACCOUNT")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an alias.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The alias address.") var alias: String

        func run() throws {
            try reportingDirectoryErrors {
                let a = try Parse.address(alias)
                try DirectoryContext(global).store.removeAlias(a)
                Console.out("removed alias \(a)")
            }
        }
    }
}
