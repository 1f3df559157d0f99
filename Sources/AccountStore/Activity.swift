import GRDB
import MailCore

/// Usage counted for one account on one day (no content, only counts). Issue 7 (analytics) reads these.
public struct ActivityCounters: Sendable, Equatable, Codable {
    public var imapLogins: Int64 = 0
    public var smtpAuths: Int64 = 0
    public var messagesSent: Int64 = 0
    public var sentInternalRecipients: Int64 = 0
    public var sentExternalRecipients: Int64 = 0
    public var messagesSigned: Int64 = 0
    /// Of `messagesSigned`, those whose S/MIME signature verified (smime=pass, issue 17).
    public var messagesSignedVerified: Int64 = 0
    public var messagesReceived: Int64 = 0
    public var bytesSent: Int64 = 0

    public init(
        imapLogins: Int64 = 0, smtpAuths: Int64 = 0, messagesSent: Int64 = 0, sentInternalRecipients: Int64 = 0,
        sentExternalRecipients: Int64 = 0, messagesSigned: Int64 = 0, messagesSignedVerified: Int64 = 0,
        messagesReceived: Int64 = 0, bytesSent: Int64 = 0
    ) {
        self.imapLogins = imapLogins
        self.smtpAuths = smtpAuths
        self.messagesSent = messagesSent
        self.sentInternalRecipients = sentInternalRecipients
        self.sentExternalRecipients = sentExternalRecipients
        self.messagesSigned = messagesSigned
        self.messagesSignedVerified = messagesSignedVerified
        self.messagesReceived = messagesReceived
        self.bytesSent = bytesSent
    }

    /// In the order of the columns `recordActivity` writes.
    var values: [Int64] {
        [
            imapLogins, smtpAuths, messagesSent, sentInternalRecipients, sentExternalRecipients, messagesSigned,
            messagesReceived, bytesSent, messagesSignedVerified,
        ]
    }

    /// Adds another set of counters (how the servers merge increments in memory before a flush).
    public static func += (a: inout ActivityCounters, b: ActivityCounters) {
        a.imapLogins += b.imapLogins
        a.smtpAuths += b.smtpAuths
        a.messagesSent += b.messagesSent
        a.sentInternalRecipients += b.sentInternalRecipients
        a.sentExternalRecipients += b.sentExternalRecipients
        a.messagesSigned += b.messagesSigned
        a.messagesSignedVerified += b.messagesSignedVerified
        a.messagesReceived += b.messagesReceived
        a.bytesSent += b.bytesSent
    }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }
}

/// Counters to add for one account and day ('YYYY-MM-DD' in the configured time zone), plus IMAP ID
/// client names with the number of logins from each.
public struct ActivityIncrement: Sendable, Equatable {
    public var accountID: Int64
    public var day: String
    public var counters: ActivityCounters
    public var clientLogins: [String: Int64]

    public init(
        accountID: Int64, day: String, counters: ActivityCounters = ActivityCounters(),
        clientLogins: [String: Int64] = [:]
    ) {
        self.accountID = accountID
        self.day = day
        self.counters = counters
        self.clientLogins = clientLogins
    }
}

/// One stored row of daily counters.
public struct DailyActivity: Sendable, Equatable, Codable {
    public let accountID: Int64
    public let day: String
    public let counters: ActivityCounters
}

/// Logins of one account on one day from one IMAP ID client name.
public struct ClientLogins: Sendable, Equatable, Codable {
    public let accountID: Int64
    public let day: String
    public let clientName: String
    public let logins: Int64
}

extension AccountStore {
    /// True for `YYYY-MM-DD` with a plausible month and day.
    public static func isDay(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ u[$0] >= 0x30 && u[$0] <= 0x39 }) else { return false }
        let month = Int(s.dropFirst(5).prefix(2))!, day = Int(s.suffix(2))!
        return (1...12).contains(month) && (1...31).contains(day)
    }

    /// Client names are trimmed and cut to 128 characters (they come from the network via IMAP ID).
    static func clientName(_ raw: String) -> String? {
        let cleaned = String(raw.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
            .trimmingASCIIWhitespace()
        guard !cleaned.isEmpty else { return nil }
        return String(cleaned.prefix(128))
    }

    /// Adds a batch of increments in one transaction (upsert per account and day).
    public func recordActivity(_ increments: [ActivityIncrement]) throws {
        for i in increments where !Self.isDay(i.day) {
            throw DirectoryError.invalid("activity day \"\(i.day)\" is not YYYY-MM-DD")
        }
        try write { db in
            let daily = try db.cachedStatement(
                sql: """
                    INSERT INTO activity_daily(account_id, day, imap_logins, smtp_auths, messages_sent, sent_internal_recipients,
                        sent_external_recipients, messages_signed, messages_received, bytes_sent, messages_signed_verified)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(account_id, day) DO UPDATE SET
                        imap_logins = imap_logins + excluded.imap_logins,
                        smtp_auths = smtp_auths + excluded.smtp_auths,
                        messages_sent = messages_sent + excluded.messages_sent,
                        sent_internal_recipients = sent_internal_recipients + excluded.sent_internal_recipients,
                        sent_external_recipients = sent_external_recipients + excluded.sent_external_recipients,
                        messages_signed = messages_signed + excluded.messages_signed,
                        messages_signed_verified = messages_signed_verified + excluded.messages_signed_verified,
                        messages_received = messages_received + excluded.messages_received,
                        bytes_sent = bytes_sent + excluded.bytes_sent
                    """)
            let client = try db.cachedStatement(
                sql: """
                    INSERT INTO activity_client(account_id, day, client_name, logins) VALUES (?, ?, ?, ?)
                    ON CONFLICT(account_id, day, client_name) DO UPDATE SET logins = logins + excluded.logins
                    """)
            for i in increments {
                if !i.counters.isZero {
                    let args: [any DatabaseValueConvertible] = [i.accountID, i.day] + i.counters.values
                    try daily.execute(arguments: StatementArguments(args))
                }
                for (name, logins) in i.clientLogins.sorted(by: { $0.key < $1.key }) where logins > 0 {
                    guard let name = Self.clientName(name) else { continue }
                    try client.execute(arguments: [i.accountID, i.day, name, logins])
                }
            }
        }
    }

    /// Daily counters for days in [firstDay, lastDay] (inclusive, 'YYYY-MM-DD'), by account then day.
    public func activity(from firstDay: String, through lastDay: String) throws -> [DailyActivity] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM activity_daily WHERE day BETWEEN ? AND ? ORDER BY account_id, day
                    """, arguments: [firstDay, lastDay]
            ).map { r in
                DailyActivity(
                    accountID: r["account_id"], day: r["day"],
                    counters: ActivityCounters(
                        imapLogins: r["imap_logins"], smtpAuths: r["smtp_auths"], messagesSent: r["messages_sent"],
                        sentInternalRecipients: r["sent_internal_recipients"],
                        sentExternalRecipients: r["sent_external_recipients"],
                        messagesSigned: r["messages_signed"], messagesSignedVerified: r["messages_signed_verified"],
                        messagesReceived: r["messages_received"],
                        bytesSent: r["bytes_sent"]))
            }
        }
    }

    /// IMAP ID client names for days in [firstDay, lastDay], by account, day and name.
    public func clientLogins(from firstDay: String, through lastDay: String) throws -> [ClientLogins] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM activity_client WHERE day BETWEEN ? AND ? ORDER BY account_id, day, client_name
                    """, arguments: [firstDay, lastDay]
            ).map { r in
                ClientLogins(
                    accountID: r["account_id"], day: r["day"], clientName: r["client_name"], logins: r["logins"])
            }
        }
    }
}
