import ArgumentParser
import Foundation
import GovMailConfig
import GovMailServer
import Relay

/// `govmail queue list|retry|delete`: the relay spool under `<state>/queue/`.
///
/// Safe beside a running server: each change is a durable atomic replace (retry) or removal
/// (delete) of one envelope file; the server re-reads an item before every attempt, picks up a
/// retried item at its next scan (within 15 s), and never writes back an item deleted here.
struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Inspect and manage the relay queue (mail waiting for the smarthost).",
        subcommands: [List.self, Retry.self, Delete.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "List queued messages: recipients with their state and last result, attempts, next attempt, age, size.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() throws {
            try reportingQueueErrors {
                let items = try QueueCommand.spool(global).list()
                let now = Date().timeIntervalSince1970
                if json { return try TableOutput.printJSON(items.map { QueueListing($0, now: now) }) }
                var rows: [[String]] = []
                for item in items {
                    for r in item.recipients {
                        rows.append([
                            item.id, item.sender.isEmpty ? "<>" : item.sender, r.address, r.state.rawValue,
                            String(item.attempts), QueueCommand.next(item, now: now),
                            QueueCommand.age(now - item.createdAt), String(item.size), r.lastResult ?? "-",
                        ])
                    }
                }
                TableOutput.print(
                    ["ID", "SENDER", "RECIPIENT", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "AGE", "SIZE", "LAST RESULT"],
                    rows, empty: "the relay queue is empty")
            }
        }
    }

    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make queued messages due now; a running server sends them at its next scan (within 15 s).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The id of a queued message (see `govmail queue list`).") var id: String?
        @Flag(help: "Retry every queued message.") var all = false

        func validate() throws {
            if (id == nil) == !all {
                throw ValidationError(
                    "name one queued message or --all, e.g. `govmail queue retry ID` or `govmail queue retry --all`")
            }
        }

        func run() throws {
            try reportingQueueErrors {
                let spool = try QueueCommand.spool(global)
                let now = Date().timeIntervalSince1970
                let items = try id.map { [try spool.retryNow($0, now: now)] } ?? spool.retryAllNow(now: now)
                if items.isEmpty { return Console.out("the relay queue is empty; nothing to retry") }
                for item in items { Console.out("\(item.id) is due now") }
                Console.out("a running server sends \(items.count == 1 ? "it" : "them") at its next scan (within 15 s)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a queued message without sending it or a bounce (asks nothing; prints what was removed).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The id of a queued message (see `govmail queue list`).") var id: String

        func run() throws {
            try reportingQueueErrors {
                let spool = try QueueCommand.spool(global)
                let item: RelayQueueItem
                do { item = try spool.load(id) } catch RelayQueue.Problem.unreadable {
                    try spool.remove(id)
                    return Console.out("removed \(id) (its envelope could not be read)")
                }
                try spool.remove(id)
                let pending = item.pendingRecipients.map(\.address)
                Console.out(
                    "removed \(item.id): from <\(item.sender)> to \(item.recipients.map(\.address).joined(separator: ", ")), "
                        + "\(item.size) bytes, \(item.attempts) attempt(s)")
                if !pending.isEmpty {
                    Console.out("not sent to: \(pending.joined(separator: ", ")) (no bounce was sent)")
                }
            }
        }
    }

    static func spool(_ global: GlobalOptions) throws -> RelayQueue {
        RelayQueue(stateDir: try global.loadConfig().stateDir)
    }

    static func next(_ item: RelayQueueItem, now: Double) -> String {
        item.nextAttemptAt <= now ? "now" : "in " + age(item.nextAttemptAt - now)
    }

    /// A duration as people read it: `45s`, `12m`, `3h 5m`, `2d 4h`.
    static func age(_ seconds: Double) -> String {
        let s = max(0, Int(seconds))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" }
        if s < 86_400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86_400)d \(s % 86_400 / 3600)h"
    }
}

/// One queued message as `queue list --json` prints it (times as UTC ISO 8601).
struct QueueListing: Encodable {
    struct Recipient: Encodable { let address: String; let state: String; let lastResult: String? }
    let id: String
    let sender: String
    let recipients: [Recipient]
    let attempts: Int
    let nextAttempt: String
    let created: String
    let ageSeconds: Int
    let size: Int

    init(_ item: RelayQueueItem, now: Double) {
        id = item.id
        sender = item.sender
        recipients = item.recipients.map {
            Recipient(address: $0.address, state: $0.state.rawValue, lastResult: $0.lastResult)
        }
        attempts = item.attempts
        nextAttempt = Self.iso(item.nextAttemptAt)
        created = Self.iso(item.createdAt)
        ageSeconds = max(0, Int(now - item.createdAt))
        size = item.size
    }

    static func iso(_ t: Double) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: t.rounded(.down)))
    }
}

extension ParsableCommand {
    /// Queue problems: an unknown id is bad input (65), an unreadable spool a failure (1).
    func reportingQueueErrors(_ body: () throws -> Void) throws {
        try reportingErrors {
            do { try body() } catch let e as CLIError { throw e } catch let e as RelayQueue.Problem {
                if case .noSuchItem = e { throw CLIError.badInput(e.description) }
                throw CLIError.failure(
                    "\(e.description); remove it with `govmail queue delete ID` if it cannot be repaired")
            } catch {
                throw CLIError.failure(
                    "cannot change the relay queue: \(error); check that the state folder is writable by this user")
            }
        }
    }
}
