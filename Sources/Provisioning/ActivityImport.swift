import AccountStore
import Foundation
import MailCore

/// Loads past daily usage from another mail system (a CSV of account, day and counters), so a
/// province that moves to GovMail keeps its trend. All or nothing: every bad row is reported and
/// nothing is written unless all rows are good. It only fills days GovMail has no counters for, so
/// running the same file twice is refused rather than counted twice.
///
/// Columns (header row; names as below, `_`/`-`/spaces and case ignored): `email` and `day`
/// (YYYY-MM-DD, in the configured time zone) are required; `imap_logins`, `smtp_auths`,
/// `messages_sent`, `messages_received`, `sent_internal_recipients`, `sent_external_recipients` and
/// `messages_signed` are whole numbers, 0 when the column is missing or the cell empty.
public struct ActivityImport: Sendable {
    public let store: AccountStore

    public init(store: AccountStore) { self.store = store }

    /// One row that cannot be imported.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let row: Int
        public let message: String
        public var description: String { "row \(row): \(message)" }
    }

    /// Every bad row of a file; nothing was imported.
    public struct Problems: Error, Sendable, Equatable, CustomStringConvertible {
        public let problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    public struct Outcome: Sendable, Equatable {
        /// Days of counters (one per account and day) in the file.
        public let days: Int
        public let accounts: Int
        public let firstDay: String?
        public let lastDay: String?
        public let applied: Bool
    }

    static let counterColumns = [
        "imap logins", "smtp auths", "messages sent", "messages received", "sent internal recipients",
        "sent external recipients", "messages signed",
    ]

    /// Checks the file and, unless `dryRun`, records it in one transaction. `today` (YYYY-MM-DD in the
    /// configured zone): only days before it can be imported; today belongs to the running server.
    /// `existedFrom` (seconds): the accounts named in the file were staff of the old system from then
    /// on, so months before their GovMail creation count them (see `AccountStore.backdateCreation`);
    /// without it, imported days before an account's creation are kept but do not count.
    @discardableResult
    public func run(_ bytes: [UInt8], today: String, dryRun: Bool, existedFrom: Int64? = nil) throws -> Outcome {
        let records: [CSVReader.Record]
        do { records = try CSVReader.read(bytes) } catch let p as CSVReader.Problem {
            switch p {
            case .notUTF8(let r), .unterminatedQuote(let r):
                throw Problems(problems: [Problem(row: r, message: "\(p)")])
            case .empty:
                throw Problems(problems: [
                    Problem(row: 1, message: "the file is empty; it needs a header row: email, day, imap_logins, …")
                ])
            }
        }
        let header = records[0].fields.map(RosterHeader.normalise)
        guard let emailColumn = header.firstIndex(where: { ["email", "address", "e mail"].contains($0) }),
            let dayColumn = header.firstIndex(of: "day")
        else {
            throw Problems(problems: [
                Problem(
                    row: 1, message: "the header needs the columns email and day (then counters such as imap_logins)")
            ])
        }
        var counterIndex: [String: Int] = [:]
        var problems: [Problem] = []
        for (i, name) in header.enumerated() where i != emailColumn && i != dayColumn {
            if Self.counterColumns.contains(name) {
                counterIndex[name] = i
            } else {
                problems.append(
                    Problem(
                        row: 1,
                        message:
                            "unknown column \"\(records[0].fields[i])\"; use \(Self.counterColumns.map { $0.replacingOccurrences(of: " ", with: "_") }.joined(separator: ", "))"
                    ))
            }
        }

        var live: [String: Account] = [:]
        var deleted: [String: [Account]] = [:]
        for a in try store.accounts(includeDeleted: true) {
            if a.status == .deleted { deleted[a.address.key, default: []].append(a) } else { live[a.address.key] = a }
        }
        var increments: [ActivityIncrement] = []
        var rowOf: [String: Int] = [:]  // "id day" → row, for duplicates and days already counted
        for record in records.dropFirst() {
            func bad(_ m: String) { problems.append(Problem(row: record.row, message: m)) }
            guard record.fields.count == header.count else {
                bad(
                    "has \(record.fields.count) columns but the header has \(header.count); check for a stray separator"
                )
                continue
            }
            let email = record.fields[emailColumn], day = record.fields[dayColumn].trimmingASCIIWhitespace()
            guard let address = try? EmailAddress(email) else { bad("\"\(email)\" is not an email address"); continue }
            let account: Account
            if let a = live[address.key] {
                account = a
            } else if let old = deleted[address.key], old.count == 1 {
                account = old[0]
            } else if deleted[address.key] != nil {
                bad("\(address) belonged to several deleted accounts; it cannot tell which one used mail"); continue
            } else {
                bad("there is no account \(address); create it first (govmail account add or import)"); continue
            }
            guard AccountStore.isDay(day) else {
                bad("the day \"\(day)\" is not a date; write it as YYYY-MM-DD"); continue
            }
            guard day < today else {
                bad("the day \(day) is not in the past; only days before \(today) can be imported"); continue
            }
            var counters = ActivityCounters()
            var ok = true
            for (name, i) in counterIndex {
                let text = record.fields[i].trimmingASCIIWhitespace()
                guard let value = text.isEmpty ? 0 : Int64(text), value >= 0 else {
                    bad("\(records[0].fields[i]) \"\(text)\" is not a whole number of 0 or more"); ok = false; break
                }
                switch name {
                case "imap logins": counters.imapLogins = value
                case "smtp auths": counters.smtpAuths = value
                case "messages sent": counters.messagesSent = value
                case "messages received": counters.messagesReceived = value
                case "sent internal recipients": counters.sentInternalRecipients = value
                case "sent external recipients": counters.sentExternalRecipients = value
                default: counters.messagesSigned = value
                }
            }
            guard ok else { continue }
            let key = "\(account.id) \(day)"
            if let first = rowOf[key] {
                bad("\(address) on \(day) is already on row \(first); keep one row per account and day"); continue
            }
            rowOf[key] = record.row
            increments.append(ActivityIncrement(accountID: account.id, day: day, counters: counters))
        }
        let days = increments.map(\.day)
        if let first = days.min(), let last = days.max() {
            for existing in try store.activity(from: first, through: last) {
                if let row = rowOf["\(existing.accountID) \(existing.day)"] {
                    problems.append(
                        Problem(
                            row: row,
                            message:
                                "GovMail already has counters for this account on \(existing.day); an import only fills days without data"
                        ))
                }
            }
        }
        if !problems.isEmpty { throw Problems(problems: problems.sorted { $0.row < $1.row }) }
        if !dryRun {
            // Backdating first: it is idempotent, so a failed run can simply be repeated.
            if let existedFrom {
                try store.backdateCreation(
                    accountIDs: Array(Set(increments.map(\.accountID))).sorted(), to: existedFrom)
            }
            try store.recordActivity(increments)
        }
        return Outcome(
            days: increments.count, accounts: Set(increments.map(\.accountID)).count, firstDay: days.min(),
            lastDay: days.max(), applied: !dryRun && !increments.isEmpty)
    }
}
