import Foundation
import IMAPProtocol
import Logging
import MailCore
import MaildirStore

/// One logged-in IMAP session's access to its account's Maildir: answers each `IMAPRequest` with
/// its `IMAPEvent` (blocking disk work: call on the storage worker pool), and keeps the selected
/// folder's `MailboxView` and a bounded metadata cache.
///
/// Invariants: mailbox names arrive as validated `MailboxName`s and become paths only through
/// `MaildirAccount`, so no name reaches outside the account root; requests run one at a time
/// (the session has at most one outstanding, and the driver never runs a poll beside it), which
/// is why the mutable state needs no lock; every change this session makes to a folder is posted
/// to the notifier so other sessions in IDLE see it at once.
final class IMAPMailStore: @unchecked Sendable {
    let account: MaildirAccount
    let accountID: Int64
    /// Bytes; 0 means unlimited.
    let quota: Int64
    private let notifier: MailboxNotifier
    private let logger: Logger
    private let subscriptions: SubscriptionsFile
    private var view: MailboxView?
    private var cache: MessageMetadataCache
    /// Messages of the selected folder that another session expunged: the session may still show
    /// them until it sends the EXPUNGE, and FETCH answers them from the metadata cache meanwhile
    /// (RFC 2180 §4.1.3). Bounded; cleared at each SELECT.
    private var departed: [UID: MessageInfo] = [:]
    static let departedLimit = 20_000
    /// INTERNALDATE is shown in the server's zone (Vietnam: +0700), as Dovecot shows local time.
    private let zoneMinutes: Int

    init(
        root: String, accountID: Int64, quota: Int64, notifier: MailboxNotifier, logger: Logger,
        cacheCapacity: Int = 12_000, zoneOffsetSeconds: Int = 0
    ) {
        zoneMinutes = zoneOffsetSeconds / 60
        account = MaildirAccount(root: root)
        self.accountID = accountID
        self.quota = quota
        self.notifier = notifier
        self.logger = logger
        subscriptions = SubscriptionsFile(accountRoot: root)
        cache = MessageMetadataCache(capacity: cacheCapacity)
    }

    /// The selected folder's directory, for IDLE's notifier subscription.
    var selectedPath: String? { view?.folder.path }

    /// The selected folder's UID list was rebuilt under a new UIDVALIDITY: the session's UIDs mean
    /// nothing any more, so the connection must end (RFC 3501 §2.3.1.1) and the client resync.
    struct FolderRebuilt: Error {}

    /// What a request produced: its answer, what others changed meanwhile (to push before the
    /// answer, so the tagged response follows the untagged updates, RFC 3501 §7), and whether the
    /// selected folder was rebuilt.
    struct Outcome: Sendable {
        var event: IMAPEvent
        var changes: MailboxChange?
        var folderRebuilt = false
    }

    func perform(_ request: IMAPRequest) -> Outcome {
        var before: MailboxChange?
        if changesSelectedFolder(request) {
            // Looking first puts what others changed before this command's own effects, and makes
            // this session (which has the folder selected) the one that claims new arrivals as \Recent.
            do { before = try changesSinceLastLook() } catch is FolderRebuilt {
                return Outcome(event: .failed(.unavailable), changes: nil, folderRebuilt: true)
            } catch {}
        }
        let event: IMAPEvent
        do {
            event = try answer(request)
        } catch is FolderRebuilt {
            return Outcome(event: .failed(.unavailable), changes: nil, folderRebuilt: true)
        } catch let failure as IMAPStoreFailure {
            event = .failed(failure)
        } catch {
            event = .failed(Self.failure(for: error, logger: logger))
        }
        switch request {
        case .checkMailbox, .select, .closeMailbox, .authenticate, .listMailboxes, .status:
            return Outcome(event: event, changes: nil)
        default:
            do {
                return Outcome(event: event, changes: Self.merged(before, try changesSinceLastLook()))
            } catch is FolderRebuilt {
                return Outcome(event: event, changes: nil, folderRebuilt: true)
            } catch {
                return Outcome(event: event, changes: before)  // the next command or poll looks again
            }
        }
    }

    /// Whether the request writes to the selected folder (so it could move unclaimed new/ files).
    private func changesSelectedFolder(_ request: IMAPRequest) -> Bool {
        guard let view else { return false }
        switch request {
        case .store, .copy, .move, .expunge: return true
        case .fetch(_, _, let markSeen): return !markSeen.isEmpty
        case .append(let name, _, _, _): return account.path(of: name) == view.folder.path
        default: return false
        }
    }

    /// Two successive looks as one change, in the order they happened.
    static func merged(_ a: MailboxChange?, _ b: MailboxChange?) -> MailboxChange? {
        guard let a else { return b }
        guard let b else { return a }
        return MailboxChange(
            added: a.added + b.added, expunged: a.expunged + b.expunged,
            flagChanges: a.flagChanges.merging(b.flagChanges) { _, later in later })
    }

    /// Re-reads the selected folder (IDLE poll, notifier wake-up, NOOP); throws `FolderRebuilt`.
    func changesSinceLastLook() throws -> MailboxChange? {
        guard let view else { return nil }
        let c = try view.resynchronize()
        if c.uidValidityChanged { throw FolderRebuilt() }
        if departed.count + c.expungedMessages.count > Self.departedLimit { departed.removeAll() }
        for m in c.expungedMessages { departed[m.uid] = m }
        guard !c.isEmpty else { return MailboxChange() }
        let recent = view.recent
        var flags: [UID: Set<Flag>] = [:]
        for m in c.flagsChanged { flags[m.uid] = m.flags }
        return MailboxChange(
            added: c.added.map { AddedMessage(uid: $0.uid, flags: $0.flags, isRecent: recent.contains($0.uid)) },
            expunged: c.expunged, flagChanges: flags)
    }

    // MARK: - Requests

    private func answer(_ request: IMAPRequest) throws -> IMAPEvent {
        switch request {
        case .authenticate:
            return .failed(.cannot("Already logged in"))
        case .listMailboxes(let subscribedOnly):
            return .mailboxes(try list(subscribedOnly: subscribedOnly))
        case .select(let name, let readOnly):
            view = nil
            departed.removeAll()
            let v = try MailboxView(folder: account.folder(name), readOnly: readOnly)
            view = v
            return .selected(
                SelectedMailboxState(
                    uidValidity: v.uidValidity, uidNext: UID(v.uidNext),
                    messages: v.messages.map { MessageFlags($0.uid, $0.flags) }, recent: v.recent))
        case .status(let name):
            let folder = try account.folder(name)
            // STATUS claims nothing: RECENT counts the messages no session has claimed yet.
            let snapshot = try folder.synchronize(claimingRecent: false)
            return .status(
                MailboxStatus(
                    messages: snapshot.messages.count, recent: snapshot.recent.count, uidNext: UID(snapshot.nextUID),
                    uidValidity: snapshot.uidValidity,
                    unseen: snapshot.messages.filter { !$0.flags.contains(.seen) }.count))
        case .create(let name):
            try account.createFolder(name)
            return .done
        case .delete(let name):
            if name.isInbox { throw IMAPStoreFailure.cannot("INBOX cannot be deleted; delete its messages instead") }
            try account.deleteFolder(name)
            return .done
        case .rename(let from, let to) where from.isInbox:
            // INBOX itself stays (and stays subscribed): only its messages move (RFC 3501 §6.3.5).
            try account.renameInbox(to: to)
            posted(account.path(of: .inbox))
            posted(account.path(of: to))
            return .done
        case .rename(let from, let to):
            try account.renameFolder(from, to: to)
            try? subscriptions.renamed(from, to: to)
            return .done
        case .subscribe(let name):
            guard account.exists(name) else { throw IMAPStoreFailure.nonexistent(name) }
            try subscriptions.subscribe(name)
            return .done
        case .unsubscribe(let name):
            try subscriptions.unsubscribe(name)
            return .done
        case .append(let name, let flags, let date, let message):
            return try append(name, flags: flags, date: date, message: message)
        case .fetch(let uids, let attributes, let markSeen):
            return .fetched(try fetch(uids, attributes, markSeen: markSeen))
        case .searchData(let uids):
            return .searchData(try searchData(uids))
        case .store(let uids, let op):
            let view = try selected()
            let change: FlagChange
            let given = Set(op.flags.filter { $0 != .recent })
            switch op.mode {
            case .replace: change = .replace(given)
            case .add: change = .add(given)
            case .remove: change = .remove(given)
            }
            let updated = try view.folder.changeFlags(uids, change)
            posted(view.folder.path)
            var result: [UID: Set<Flag>] = [:]
            for m in updated { result[m.uid] = m.flags }
            return .stored(result)
        case .copy(let uids, let to), .move(let uids, let to):
            let view = try selected()
            guard account.exists(to) else { throw IMAPStoreFailure.tryCreate(to) }
            let destination = try account.folder(to)
            try checkQuota(adding: uids.compactMap { view.message(uid: $0)?.info.size }.reduce(0, +))
            let pairs: [(source: UID, destination: UID)]
            if case .move = request {
                pairs = try view.folder.move(uids, to: destination)
                posted(view.folder.path)
            } else {
                pairs = try view.folder.copy(uids, to: destination)
            }
            posted(destination.path)
            let validity = try destination.synchronize(claimingRecent: false).uidValidity
            return .copied(uidValidity: validity, pairs.map { UIDPair($0.source, $0.destination) })
        case .expunge(let uids):
            let view = try selected()
            let removed = try view.folder.expunge(uids, onlyDeleted: true)
            if !removed.isEmpty { posted(view.folder.path) }
            return .expunged(removed)
        case .checkMailbox:
            return .mailboxChanged(try changesSinceLastLook() ?? MailboxChange())
        case .closeMailbox(let expunge):
            if expunge, let view, !view.readOnly {
                if !(try view.folder.expunge(nil)).isEmpty { posted(view.folder.path) }
            }
            view = nil
            return .done
        }
    }

    private func selected() throws -> MailboxView {
        guard let view else { throw IMAPStoreFailure.cannot("No folder is selected; SELECT one first") }
        return view
    }

    private func posted(_ path: String) { notifier.post(folderPath: path) }

    // MARK: LIST

    private func list(subscribedOnly: Bool) throws -> [MailboxInfo] {
        let folders = account.listFolders()
        let uses = Dictionary(
            uniqueKeysWithValues: MaildirLayout.SpecialUse.allCases.map { ($0.mailbox, Self.specialUse($0)) })
        let infos = folders.map { f in
            MailboxInfo(
                name: f.name, specialUse: uses[f.name], hasChildren: f.hasChildren, selectable: f.isSelectable)
        }
        guard subscribedOnly else { return infos }
        let byName = Dictionary(infos.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        // A subscription outlives its folder (RFC 3501 §6.3.9); clients must not try to open it.
        return subscriptions.read().map { byName[$0] ?? MailboxInfo(name: $0, selectable: false) }
    }

    private static func specialUse(_ use: MaildirLayout.SpecialUse) -> SpecialUse {
        switch use {
        case .sent: return .sent
        case .drafts: return .drafts
        case .trash: return .trash
        case .junk: return .junk
        case .archive: return .archive
        }
    }

    // MARK: APPEND

    private func append(_ name: MailboxName, flags: [Flag], date: IMAPDateTime?, message: [UInt8]) throws
        -> IMAPEvent
    {
        guard account.exists(name) else { throw IMAPStoreFailure.tryCreate(name) }
        try checkQuota(adding: message.count)
        let folder = try account.folder(name)
        let uid = try folder.append(
            message, flags: Set(flags.filter { $0 != .recent }), internalDate: date.map { Int($0.epochSeconds) })
        posted(folder.path)
        let validity: UInt32
        if let view, view.folder.path == folder.path {
            validity = view.uidValidity
        } else {
            validity = try folder.synchronize(claimingRecent: false).uidValidity
        }
        return .appended(uidValidity: validity, uid: uid)
    }

    private func checkQuota(adding bytes: Int) throws {
        guard quota > 0 else { return }
        let usage = try account.usage()
        if Int64(usage.bytes) + Int64(bytes) > quota { throw IMAPStoreFailure.overQuota }
    }

    // MARK: FETCH and SEARCH

    private func fetch(_ uids: [UID], _ attributes: [FetchAttribute], markSeen: [UID]) throws -> [FetchedMessage] {
        let view = try selected()
        var updated: [UID: Set<Flag>] = [:]
        if !markSeen.isEmpty && !view.readOnly {
            for m in try view.folder.changeFlags(markSeen, .add([.seen])) { updated[m.uid] = m.flags }
            posted(view.folder.path)
        }
        var out: [FetchedMessage] = []
        out.reserveCapacity(uids.count)
        for uid in uids {
            guard let info = view.message(uid: uid)?.info ?? departed[uid] else { continue }
            let date = IMAPDateTime(epochSeconds: Int64(info.internalDate), zoneMinutes: zoneMinutes)
            do {
                let r = try FetchResponder.respond(
                    uid: uid, internalDate: date, attributes: attributes, cached: cache[info.basename],
                    updatedFlags: updated[uid],
                    readStoredBytes: { try view.folder.read(uid, hint: info) })
                if r.metadataIsNew { cache.insert(r.metadata, for: info.basename) }
                out.append(r.message)
            } catch MaildirError.noSuchMessage {
                // Expunged by another session and its bytes are gone (nothing cached answers these
                // attributes): left out; the session ends the FETCH with OK [EXPUNGEISSUED].
                continue
            }
        }
        return out
    }

    private func searchData(_ uids: [UID]) throws -> [any SearchableMessage] {
        let view = try selected()
        var out: [any SearchableMessage] = []
        for uid in uids {
            guard let info = view.message(uid: uid)?.info else { continue }
            let bytes: [UInt8]
            do { bytes = try view.folder.read(uid, hint: info) } catch MaildirError.noSuchMessage { continue }
            let content = IMAPMessageContent(storedBytes: bytes, cached: cache[info.basename])
            if content.parsed { cache.insert(content.metadata, for: info.basename) }
            out.append(CompactSearchMessage.make(uid: uid, internalDate: Int64(info.internalDate), content: content))
        }
        return out
    }

    // MARK: Errors

    /// Maps store errors to what the client is told; unexpected errors are logged, never shown.
    static func failure(for error: any Error, logger: Logger) -> IMAPStoreFailure {
        guard let e = error as? MaildirError else {
            logger.error("IMAP store request failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
        switch e {
        case .folderNotFound(let n): return (try? MailboxName(n)).map { .nonexistent($0) } ?? .cannot(e.description)
        case .folderExists(let n): return (try? MailboxName(n)).map { .alreadyExists($0) } ?? .cannot(e.description)
        case .inboxCannotBeDeleted, .inboxCannotBeRenamed, .renameIntoItself, .tooManyKeywords, .invalidName,
            .noSuchMessage:
            return .cannot(Self.sentence(e.description))
        case .transientIO(let call) where call.code == ENAMETOOLONG:
            // A permanent refusal: retrying cannot help, so never UNAVAILABLE ("try again").
            return .cannot("The folder name is too long for the mail store; choose a shorter name")
        case .transientIO:
            logger.error("IMAP store request failed", metadata: ["error": "\(e)"])
            return .unavailable
        }
    }

    /// Store descriptions start lower-case; responses read better as sentences.
    private static func sentence(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
