import AccountStore
import ArgumentParser
import MailCore

/// `govmail domain add|list|remove`: the mail domains this server serves.
struct DomainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "domain", abstract: "Manage the mail domains served here.",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a domain (e.g. tinh.gov.vn).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The domain name.") var name: String

        func run() throws {
            try reportingDirectoryErrors {
                let domain = try Parse.domain(name)
                try DirectoryContext(global).store.addDomain(domain)
                Console.out("added domain \(domain)")
                Console.out("next: add units with `govmail unit add CODE --name \"…\" --level province`, then accounts")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the domains.")
        @OptionGroup var global: GlobalOptions
        @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let domains = try DirectoryContext(global).store.domains()
                if json { return try TableOutput.printJSON(domains) }
                TableOutput.print(
                    ["DOMAIN", "ACCOUNTS", "CREATED"],
                    domains.map { [$0.name.name, String($0.accountCount), TableOutput.time($0.createdAt)] },
                    empty: "no domains yet; add one with: govmail domain add DOMAIN")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a domain that has no accounts or aliases.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The domain name.") var name: String

        func run() throws {
            try reportingDirectoryErrors {
                let domain = try Parse.domain(name)
                try DirectoryContext(global).store.removeDomain(domain)
                Console.out("removed domain \(domain)")
            }
        }
    }
}
