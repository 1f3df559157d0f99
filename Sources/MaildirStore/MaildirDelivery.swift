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

    /// One recipient: its account root (INBOX), and a folder path when delivering elsewhere (Sent, Junk).
    public struct Recipient: Sendable, Equatable {
        public let accountRoot: String
        public let folderPath: String
        public init(accountRoot: String, folderPath: String? = nil) {
            self.accountRoot = accountRoot
            self.folderPath = folderPath ?? accountRoot
        }
    }

    /// Delivers `bytes` to all recipients, or to none (throws `MaildirError.transientIO`).
    /// Returns each recipient's file path in new/, in the order given.
    @discardableResult
    public func deliver(_ bytes: [UInt8], to recipients: [Recipient]) throws -> [String] {
        guard let first = recipients.first else { return [] }
        let destinations = recipients.map { $0.folderPath + "/new/" + names.next(size: bytes.count) }
        let temporary = first.folderPath + "/tmp/" + names.next(size: bytes.count)
        try writer.writeNew(bytes, temporaryPath: temporary, destinations: destinations)
        for r in recipients { MaildirQuota.record(root: r.accountRoot, bytes: bytes.count, count: 1, ops: writer.ops) }
        return destinations
    }
}
