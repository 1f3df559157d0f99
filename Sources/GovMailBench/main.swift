// govmail-bench: benchmarks that print figures, never pass/fail. Each benchmark lives in its own
// file and is listed once in `Benchmarks.all`.
import Foundation

enum Benchmarks {
    /// name → (one-line description, entry point taking the remaining arguments)
    static let all: [(name: String, about: String, run: @Sendable ([String]) throws -> Void)] = [
        (
            "message-format", "MIME parse time: 1 MiB message with attachments, 10,000 small messages [iterations]",
            MessageFormatBench.run
        ),
        ("analytics", "monthly usage report for 20,000 staff in 300 units, 12 months of activity", AnalyticsBench.run),
        (
            "report-sqlite",
            "whole `report monthly` path (SQLite read + compute + render), 20,000 staff, 12 months [--dir DIR]",
            ReportSQLiteBench.run
        ),
        (
            "maildir", "Maildir deliveries/s with fsync (1 and 8 writers), open/list a 10,000-message folder [DIR]",
            MaildirBench.run
        ),
        (
            "maildir-stress",
            "FOLDER N: deliver/flag/expunge N messages (second process of the Maildir concurrency test)",
            MaildirStressBench.run
        ),
        (
            "imap-fetch",
            "FETCH data via the MessageFormat bridge: 10,000-message header listing cold vs cached, 1 MiB BODY[] [iterations]",
            IMAPFetchBench.run
        ),
        ("imap-sort", IMAPSortBench.about, IMAPSortBench.run),
        ("import", ImportBench.about, ImportBench.run),
    ]
}

let args = Array(CommandLine.arguments.dropFirst())
if let name = args.first, let bench = Benchmarks.all.first(where: { $0.name == name }) {
    do { try bench.run(Array(args.dropFirst())) } catch {
        FileHandle.standardError.write(Data("govmail-bench \(name): \(error)\n".utf8))
        exit(1)
    }
} else {
    print("usage: govmail-bench <benchmark> [options]")
    for b in Benchmarks.all { print("  \(b.name): \(b.about)") }
    exit(args.isEmpty ? 0 : 64)
}
