import MailCore

/// Delivery of one message to the INBOX (new/) of many recipients, as SMTP does it.
///
/// The message is written and fsynced once; every further recipient on the same file system gets
/// a hard link under its own unique name (so its flags and name stay independent). Returns only
/// when every recipient's copy is durable. Thread-safe; needs no folder lock (new/ is Maildir's
/// lock-free drop box; UIDs are assigned in order of arrival when a session next synchronizes).
public struct MaildirDelivery: Sendable {
    public let writer: DurableWriter
    public let names: UniqueNameGenerator

    public init(writer: DurableWriter = DurableWriter(), names: UniqueNameGenerator = .shared) {
        self.writer = writer
        self.names = names
    }

    /// One recipient: its account root (INBOX), and a folder path when delivering elsewhere (Sent, Junk,
    /// a Sieve fileinto). With `flagLetters` (e.g. "FSa" from Sieve imap4flags, keywords reserved with
    /// `MaildirFolder.reserveLetters`) the copy goes
    /// to cur/ with `:2,<letters>`, as Dovecot's LDA stores a message delivered with flags.
    public struct Recipient: Sendable, Equatable {
        public let accountRoot: String
        public let folderPath: String
        public let flagLetters: String
        public init(accountRoot: String, folderPath: String? = nil, flagLetters: String = "") {
            self.accountRoot = accountRoot
            self.folderPath = folderPath ?? accountRoot
            self.flagLetters = flagLetters
        }

        func destination(_ name: String) -> String {
            flagLetters.isEmpty ? folderPath + "/new/" + name : folderPath + "/cur/" + name + ":2," + flagLetters
        }
    }

    /// Delivers `bytes` to all recipients, or to none (throws `MaildirError.transientIO`).
    /// Returns each recipient's file path (in new/, or cur/ when it has flags), in the order given.
    @discardableResult
    public func deliver(_ bytes: [UInt8], to recipients: [Recipient]) throws -> [String] {
        guard let first = recipients.first else { return [] }
        let destinations = recipients.map { $0.destination(names.next(size: bytes.count)) }
        let temporary = first.folderPath + "/tmp/" + names.next(size: bytes.count)
        try writer.writeNew(bytes, temporaryPath: temporary, destinations: destinations)
        for r in recipients { MaildirQuota.record(root: r.accountRoot, bytes: bytes.count, count: 1, ops: writer.ops) }
        return destinations
    }
}
