import AccountStore
import ArgumentParser
import Foundation
import GovMailConfig
import GovMailServer
import MaildirStore
import SieveProtocol

/// `govmail sieve put|get|list|activate|deactivate|delete|check`: an account's Sieve filters, in the
/// same files a user's ManageSieve client edits (`sieve/NAME.sieve`, `.dovecot.sieve`).
struct SieveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sieve", abstract: "Manage an account's server-side filters (Sieve scripts).",
        subcommands: [Put.self, Get.self, List.self, Activate.self, Deactivate.self, Delete.self, Check.self])

    struct Put: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Store a script (checked first; errors show line and column).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Argument(help: "The script name.") var name: String
        @Argument(help: "The script file; - reads standard input.") var file: String
        @Flag(help: "Also make it the active script.") var activate = false

        func run() throws {
            try reportingSieveErrors {
                let source = try SieveCLI.read(file)
                try SieveCLI.check(source, label: file)
                let store = try SieveCLI.store(global, account)
                try store.put(name, source: source)
                if activate { try store.activate(name) }
                Console.out("stored script \"\(name)\" for \(account)\(activate ? " and made it active" : "")")
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a script.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Argument(help: "The script name.") var name: String

        func run() throws {
            try reportingSieveErrors {
                Console.out(try SieveCLI.store(global, account).get(name), terminator: "")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an account's scripts.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Flag(help: "Print JSON instead of a table.") var json = false

        struct Row: Encodable {
            let name: String
            let active: Bool
        }

        func run() throws {
            try reportingSieveErrors {
                let entries = try SieveCLI.store(global, account).list()
                if json { return try TableOutput.printJSON(entries.map { Row(name: $0.name, active: $0.isActive) }) }
                TableOutput.print(
                    ["SCRIPT", "ACTIVE"], entries.map { [$0.name, $0.isActive ? "yes" : ""] },
                    empty: "no scripts; add one with: govmail sieve put \(account) NAME FILE --activate")
            }
        }
    }

    struct Activate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a script the active one.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Argument(help: "The script name.") var name: String

        func run() throws {
            try reportingSieveErrors {
                let store = try SieveCLI.store(global, account)
                try SieveCLI.check(try store.get(name), label: name)
                try store.activate(name)
                Console.out("\"\(name)\" is now the active script of \(account)")
            }
        }
    }

    struct Deactivate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run no script for the account.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String

        func run() throws {
            try reportingSieveErrors {
                try SieveCLI.store(global, account).activate(nil)
                Console.out("no script is active for \(account); mail goes to INBOX")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a script (not the active one).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Argument(help: "The script name.") var name: String

        func run() throws {
            try reportingSieveErrors {
                try SieveCLI.store(global, account).delete(name)
                Console.out("deleted script \"\(name)\" of \(account)")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a script file without storing it.")
        @Argument(help: "The script file; - reads standard input.") var file: String

        func run() throws {
            try reportingErrors {
                try SieveCLI.check(try SieveCLI.read(file), label: file)
                Console.out("\(file): the script is valid")
            }
        }
    }
}

/// What the sieve and vacation commands share: finding the account's store, reading and checking scripts.
enum SieveCLI {
    static func store(_ global: GlobalOptions, _ account: String) throws -> SieveScriptStore {
        let context = try DirectoryContext(global)
        let address = try Parse.address(account)
        guard let found = try context.store.account(address: address) else {
            throw CLIError.badInput("there is no account \(address); see govmail account list")
        }
        let root = try MaildirLayout(stateDir: context.config.stateDir).accountRoot(found.address)
        return SieveScriptStore(accountRoot: root)
    }

    static func read(_ file: String) throws -> String {
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: file)
        }
        guard let data else { throw CLIError.badInput("cannot read \(file); check the path and its permissions") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.badInput("\(file) is not UTF-8 text; save it as UTF-8 and try again")
        }
        return text
    }

    static func check(_ source: String, label: String) throws {
        do { _ = try SieveScript.compile(source) } catch {
            throw CLIError.badInput("\(label): \(error)")
        }
    }
}

extension ParsableCommand {
    /// Like `reportingDirectoryErrors`, with script-store problems as bad input or failures.
    func reportingSieveErrors(_ body: () throws -> Void) throws {
        try reportingDirectoryErrors {
            do { try body() } catch let e as SieveScriptStore.Problem {
                if case .io = e { throw CLIError.failure(e.description) }
                throw CLIError.badInput(e.description)
            }
        }
    }
}
