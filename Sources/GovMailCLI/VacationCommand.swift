import ArgumentParser
import Foundation
import GovMailServer
import SieveProtocol

/// `govmail vacation set|off`: an out-of-office reply as a standard Sieve script named "vacation".
/// The script that was active before is remembered in the script and re-activated by `off`.
struct VacationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vacation", abstract: "Set or remove an account's out-of-office reply.",
        subcommands: [Set.self, Off.self])

    static let scriptName = "vacation"

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reply automatically (once per sender per period), optionally between two dates.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String
        @Option(help: "First day of the absence (YYYY-MM-DD, server time zone).") var from: String?
        @Option(help: "Last day of the absence (YYYY-MM-DD, inclusive).") var until: String?
        @Option(help: "Subject of the reply.") var subject: String
        @Option(help: "File with the reply text (UTF-8).") var messageFile: String
        @Option(help: "Days before the same sender gets the reply again (1-60).") var days = 1

        func validate() throws {
            for (label, value) in [("--from", from), ("--until", until)] {
                if let value, !VacationScript.isDay(value) {
                    throw ValidationError("\(label) \(value): write the day as YYYY-MM-DD, e.g. 2026-12-01")
                }
            }
            if let from, let until, from > until {
                throw ValidationError("--from \(from) is after --until \(until)")
            }
            guard (1...60).contains(days) else { throw ValidationError("--days must be between 1 and 60") }
            guard !subject.contains("\n") else { throw ValidationError("--subject must be one line") }
        }

        func run() throws {
            try reportingSieveErrors {
                let message = try SieveCLI.read(messageFile)
                let store = try SieveCLI.store(global, account)
                var previous = store.activeName()
                if previous == VacationCommand.scriptName {
                    previous = VacationScript.previousActive(in: try store.get(VacationCommand.scriptName))
                }
                let script = VacationScript(
                    firstDay: from, lastDay: until, subject: subject, message: message, days: days,
                    previousActive: previous)
                try SieveCLI.check(script.source, label: "the generated vacation script")
                try store.put(VacationCommand.scriptName, source: script.source)
                try store.activate(VacationCommand.scriptName)
                let window = [from.map { "from \($0)" }, until.map { "until \($0)" }].compactMap { $0 }
                Console.out(
                    "vacation reply set for \(account)\(window.isEmpty ? "" : " " + window.joined(separator: " "))"
                        + (previous.map { "; script \"\($0)\" is paused until: govmail vacation off \(account)" } ?? "")
                )
            }
        }
    }

    struct Off: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the vacation reply and re-activate the script that was active before.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The account address.") var account: String

        func run() throws {
            try reportingSieveErrors {
                let store = try SieveCLI.store(global, account)
                guard store.exists(VacationCommand.scriptName) else {
                    Console.out("\(account) has no vacation reply")
                    return
                }
                let previous = VacationScript.previousActive(in: try store.get(VacationCommand.scriptName))
                if store.activeName() == VacationCommand.scriptName {
                    if let previous, store.exists(previous) {
                        try store.activate(previous)
                    } else {
                        try store.activate(nil)
                    }
                }
                try store.delete(VacationCommand.scriptName)
                Console.out(
                    "vacation reply removed for \(account)"
                        + (previous.map { store.activeName() == $0 ? "; script \"\($0)\" is active again" : "" } ?? ""))
            }
        }
    }
}
