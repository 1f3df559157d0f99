import Foundation
import MailCore
import MaildirStore

/// One message waiting for the smarthost: its envelope and per-recipient progress.
public struct RelayQueueItem: Codable, Sendable, Equatable {
    public enum RecipientState: String, Codable, Sendable { case pending, delivered, failed }
    public struct Recipient: Codable, Sendable, Equatable {
        public var address: String
        public var state: RecipientState
        /// The last reply from the smarthost (or connection problem), for `queue list` and bounces.
        public var lastResult: String?
        public init(address: String, state: RecipientState = .pending, lastResult: String? = nil) {
            self.address = address; self.state = state; self.lastResult = lastResult
        }
    }
    public var id: String
    /// The envelope sender; empty for the null sender `<>` (bounces are never bounced).
    public var sender: String
    /// The submitting account, for bounces to its INBOX.
    public var accountID: Int64?
    public var recipients: [Recipient]
    public var createdAt: Double
    public var attempts: Int
    public var nextAttemptAt: Double
    public var size: Int
    /// True while the submitting session has not answered 250 yet: the runner never sends a held
    /// item. Absent (nil) in released items and in spool files written before this field existed.
    public var held: Bool?

    /// Whether the runner must leave the item alone (its submission is not confirmed yet).
    public var isHeld: Bool { held == true }
    public var pendingRecipients: [Recipient] { recipients.filter { $0.state == .pending } }
}

/// The durable relay spool under `<state>/queue/`: `messages/<id>.eml` (the message, once) and
/// `envelopes/<id>.json` beside it. The envelope is written last, after the message is durable,
/// so a crash leaves either nothing or a complete item; an orphan message is removed on `list`.
/// A submission enqueues its item held and releases it just before its 250; a held item left by
/// a previous process (its client never got 250 and will send again) is removed at startup.
public struct RelayQueue: Sendable {
    public let directory: String
    private let writer: DurableWriter

    public init(stateDir: String, writer: DurableWriter = DurableWriter()) {
        directory = (stateDir.hasSuffix("/") ? String(stateDir.dropLast()) : stateDir) + "/queue"
        self.writer = writer
    }

    private var messagesDir: String { directory + "/messages" }
    private var envelopesDir: String { directory + "/envelopes" }
    private var tmpDir: String { directory + "/tmp" }

    public enum Problem: Error, CustomStringConvertible {
        case noSuchItem(String)
        case unreadable(String, String)
        public var description: String {
            switch self {
            case .noSuchItem(let id): return "no queued message has the id \(id); see `govmail queue list`"
            case .unreadable(let id, let why): return "queued message \(id) cannot be read: \(why)"
            }
        }
    }

    private func prepare() throws {
        for d in [messagesDir, envelopesDir, tmpDir] {
            try FileManager.default.createDirectory(
                atPath: d, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
    }

    /// Stores a message for the relay; returns only once message and envelope are durable.
    /// A `held` item is not sent until `release` (see `RelayQueueItem.held`).
    public func enqueue(
        sender: EmailAddress?, recipients: [EmailAddress], message: [UInt8],
        accountID: Int64?, now: Double, held: Bool = false
    ) throws -> RelayQueueItem {
        try prepare()
        let id = Self.newID(now: now)
        let item = RelayQueueItem(
            id: id, sender: sender?.description ?? "", accountID: accountID,
            recipients: recipients.map { .init(address: $0.description) },
            createdAt: now, attempts: 0, nextAttemptAt: now, size: message.count,
            held: held ? true : nil)
        try writer.writeNew(message, temporaryPath: "\(tmpDir)/\(id).eml", destinations: ["\(messagesDir)/\(id).eml"])
        do {
            try writer.writeNew(
                try Self.encode(item), temporaryPath: "\(tmpDir)/\(id).json",
                destinations: ["\(envelopesDir)/\(id).json"])
        } catch {
            try? FileManager.default.removeItem(atPath: "\(messagesDir)/\(id).eml")
            throw error
        }
        return item
    }

    /// Every queued item, oldest first.
    public func list() throws -> [RelayQueueItem] {
        guard FileManager.default.fileExists(atPath: envelopesDir) else { return [] }
        var items: [RelayQueueItem] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: envelopesDir) where name.hasSuffix(".json") {
            let id = String(name.dropLast(5))
            if let item = try? load(id) { items.append(item) }
        }
        return items.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func load(_ id: String) throws -> RelayQueueItem {
        guard Self.isValidID(id) else { throw Problem.noSuchItem(id) }
        let path = "\(envelopesDir)/\(id).json"
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem.noSuchItem(id) }
        do { return try JSONDecoder().decode(RelayQueueItem.self, from: data) } catch {
            throw Problem.unreadable(id, "\(error)")
        }
    }

    public func message(_ id: String) throws -> [UInt8] {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: "\(messagesDir)/\(id).eml") else {
            throw Problem.noSuchItem(id)
        }
        return Array(data)
    }

    /// True while the item's message file exists (the runner checks it after writing an envelope
    /// back, in case `govmail queue delete` removed the item meanwhile).
    public func hasMessage(_ id: String) -> Bool {
        Self.isValidID(id) && FileManager.default.fileExists(atPath: "\(messagesDir)/\(id).eml")
    }

    /// Durably replaces an item's envelope (after a delivery attempt).
    public func update(_ item: RelayQueueItem) throws {
        try prepare()
        try writer.replace(
            "\(envelopesDir)/\(item.id).json", with: try Self.encode(item),
            temporaryPath: "\(tmpDir)/\(item.id).json.new")
    }

    /// Durably lets the runner send a held item (called right before the submission's 250).
    @discardableResult
    public func release(_ id: String) throws -> RelayQueueItem {
        var item = try load(id)
        guard item.isHeld else { return item }
        item.held = nil
        try update(item)
        return item
    }

    /// Removes every held item (at startup, before any session of this process can hold one);
    /// returns them for the log.
    public func removeHeldItems() throws -> [RelayQueueItem] {
        var removed: [RelayQueueItem] = []
        for item in try list() where item.isHeld {
            try remove(item.id)
            removed.append(item)
        }
        return removed
    }

    /// Removes an item: the envelope first, so a crash never leaves an envelope without its message.
    public func remove(_ id: String) throws {
        guard Self.isValidID(id), FileManager.default.fileExists(atPath: "\(envelopesDir)/\(id).json") else {
            throw Problem.noSuchItem(id)
        }
        try FileManager.default.removeItem(atPath: "\(envelopesDir)/\(id).json")
        // Make the removal durable: a withdrawn item (451 to the client) must not come back after a crash.
        try writer.ops.fsyncDirectory(envelopesDir)
        try? FileManager.default.removeItem(atPath: "\(messagesDir)/\(id).eml")
    }

    static func encode(_ item: RelayQueueItem) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .prettyPrinted]
        return Array(try e.encode(item))
    }

    /// Ids are generated here (time + random hex); anything else is refused before touching paths.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isHexDigit || $0 == "-") }
    }

    static func newID(now: Double) -> String {
        let random = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return String(format: "%010llx", UInt64(now * 1000)) + "-" + random
    }
}
