import AccountStore
import ArgumentParser
import Credentials
import Foundation
import MailCore
import Provisioning

/// `govmail account …`: one account at a time, and `import` for a whole roster.
struct AccountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account", abstract: "Manage mail accounts.",
        subcommands: [
            Add.self, List.self, Show.self, Passwd.self, Disable.self, Enable.self, Delete.self, Move.self,
            Quota.self, AccountImportCommand.self,
        ])

    /// How a password is given: never as an argument.
    struct PasswordSource: ParsableArguments {
        @ArgumentParser.Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false
        @ArgumentParser.Flag(help: "Generate a random password and print it once.") var generate = false

        var count: Int { (passwordStdin ? 1 : 0) + (generate ? 1 : 0) }

        /// The password to set, asking on the terminal when no flag was given.
        func obtain(for address: EmailAddress) throws -> (Secret, generated: Bool) {
            if generate { return (try PasswordGenerator.generate(), true) }
            if passwordStdin { return (try PasswordInput.fromStandardInput(), false) }
            guard isatty(0) == 1 else {
                throw CLIError.usage(
                    "standard input is not a terminal, so no password can be asked; use --password-stdin or --generate (or --no-password with account add)"
                )
            }
            return (try PasswordInput.prompt(for: address), false)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an account and create its mailbox folders.",
            discussion:
                "The password is asked on the terminal unless --password-stdin, --generate or --no-password is given.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address, e.g. nguyen.van.a@tinh.gov.vn.") var address: String
        @Option(help: "Full name, e.g. \"Nguyễn Văn A\".") var name: String
        @Option(help: "Unit code.") var unit: String
        @Option(help: "staff, shared or service.") var kind: AccountKind = .staff
        @Option(help: "Quota, e.g. 2G or unlimited (default from the configuration).") var quota: String?
        @OptionGroup var password: PasswordSource
        @ArgumentParser.Flag(
            help: "Create the account without a password (set one later with `govmail account passwd`).")
        var noPassword = false

        func validate() throws {
            if password.count + (noPassword ? 1 : 0) > 1 {
                throw ValidationError("give at most one of --password-stdin, --generate, --no-password")
            }
        }

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                let q = try quota.map(Parse.quota)
                let ctx = try DirectoryContext(global)
                let secret = noPassword ? nil : try password.obtain(for: addr)
                let a = try ctx.provisioner.addAccount(
                    addr, displayName: name, unitCode: unit, kind: kind, quota: q,
                    password: secret?.0)
                Console.out("added account \(a.address) (\(a.displayName), unit \(a.unitCode), \(a.kind.rawValue))")
                if let secret, secret.generated {
                    Console.out("initial password (shown only now): \(secret.0.unsafeText)")
                } else if secret == nil {
                    Console.out("next: set a password with: govmail account passwd \(a.address)")
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this unit.") var unit: String?
        @Option(help: "Only this domain.") var domain: String?
        @ArgumentParser.Flag(help: "Include deleted accounts.") var deleted = false
        @ArgumentParser.Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingDirectoryErrors {
                let d = try domain.map(Parse.domain)
                let accounts = try DirectoryContext(global).store.accounts(
                    unitCode: unit, domain: d, includeDeleted: deleted)
                if json { return try TableOutput.printJSON(accounts) }
                TableOutput.print(
                    ["ADDRESS", "STATUS", "KIND", "UNIT", "QUOTA", "NAME"],
                    accounts.map {
                        [
                            $0.address.description, $0.status.rawValue, $0.kind.rawValue, $0.unitCode,
                            TableOutput.bytes($0.quota), $0.displayName,
                        ]
                    },
                    empty:
                        "no accounts; add one with `govmail account add` or import a roster with `govmail account import ROSTER.csv`"
                )
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one account with its aliases and history.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String
        @ArgumentParser.Flag(help: "Print JSON.") var json = false

        struct Details: Encodable {
            let account: Account
            let aliases: [String]
            let history: [HistoryEntry]
        }

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                let store = try DirectoryContext(global).store
                guard let a = try store.account(address: addr) ?? store.deletedAccount(address: addr) else {
                    throw DirectoryError.unknownAccount(addr.description)
                }
                let aliases = a.status == .deleted ? [] : try store.aliases(target: addr).map(\.address.description)
                let history = try store.history(accountID: a.id)
                if json { return try TableOutput.printJSON(Details(account: a, aliases: aliases, history: history)) }
                let units = Dictionary(try store.units().map { ($0.id, $0.code) }, uniquingKeysWith: { x, _ in x })
                let rows: [[String]] = [
                    ["address", a.address.description], ["name", a.displayName], ["unit", a.unitCode],
                    ["kind", a.kind.rawValue], ["status", a.status.rawValue], ["quota", TableOutput.bytes(a.quota)],
                    ["password", a.hasPassword ? "set" : "not set"], ["created", TableOutput.time(a.createdAt)],
                    ["aliases", aliases.isEmpty ? "-" : aliases.joined(separator: ", ")],
                ]
                Console.out(TableOutput.render(["FIELD", "VALUE"], rows))
                Console.out("")
                TableOutput.print(
                    ["TIME", "EVENT", "UNIT", "KIND", "ENABLED"],
                    history.map {
                        [
                            TableOutput.time($0.at), $0.event.rawValue, units[$0.unitID] ?? "?",
                            $0.kind.rawValue, $0.enabled ? "yes" : "no",
                        ]
                    },
                    empty: "no history")
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set an account's password (asked without echo, or --password-stdin, or --generate).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String
        @OptionGroup var password: PasswordSource

        func validate() throws {
            if password.count > 1 { throw ValidationError("give at most one of --password-stdin, --generate") }
        }

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                let ctx = try DirectoryContext(global)
                guard try ctx.store.account(address: addr) != nil else {
                    throw DirectoryError.unknownAccount(addr.description)
                }
                let (secret, generated) = try password.obtain(for: addr)
                try ctx.provisioner.setPassword(addr, secret)
                Console.out("password set for \(addr)")
                if generated { Console.out("new password (shown only now): \(secret.unsafeText)") }
            }
        }
    }

    /// `account enable` and `account disable`: one change, one message, the same error handling.
    static func setEnabled(
        _ enabled: Bool, _ address: String, _ global: GlobalOptions,
        in command: some ParsableCommand
    ) throws {
        let word = enabled ? "enabled" : "disabled"
        try command.reportingDirectoryErrors {
            let addr = try Parse.address(address)
            let changed = try DirectoryContext(global).store.setEnabled(addr, enabled)
            Console.out(changed ? "\(word) \(addr)" : "\(addr) was already \(word)")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: no more logins; mail to it is still delivered and kept.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String

        func run() throws { try AccountCommand.setEnabled(false, address, global, in: self) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String

        func run() throws { try AccountCommand.setEnabled(true, address, global, in: self) }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an account; its history stays for reports and its mail stays unless --purge.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String
        @ArgumentParser.Flag(help: "Also remove the account's mail folder (cannot be undone).") var purge = false

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                let result = try DirectoryContext(global).provisioner.deleteAccount(addr, purge: purge)
                if result.account != nil { Console.out("deleted account \(addr) (history kept for reports)") }
                if let path = result.purgedPath {
                    Console.out("removed mail folder \(path)")
                } else if purge {
                    Console.out("no mail folder to remove")
                } else {
                    Console.out("mail kept; remove it later with: govmail account delete \(addr) --purge")
                }
            }
        }
    }

    struct Move: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move an account to another unit.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String
        @Option(help: "Code of the new unit.") var unit: String

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                try DirectoryContext(global).store.moveAccount(addr, toUnit: unit)
                Console.out("moved \(addr) to unit \(unit)")
            }
        }
    }

    struct Quota: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's quota.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The address.") var address: String
        @Argument(help: "Size, e.g. 2G, 500M or unlimited.") var size: String

        func run() throws {
            try reportingDirectoryErrors {
                let addr = try Parse.address(address)
                let bytes = try Parse.quota(size)
                try DirectoryContext(global).store.setQuota(addr, bytes: bytes)
                Console.out("quota of \(addr) is now \(TableOutput.bytes(bytes))")
            }
        }
    }
}
