// Invariants of a folder on disk (every operation below keeps them):
// 1. A message file never changes once it is in new/ or cur/: it is only renamed (flags, new/ → cur/)
//    or unlinked (expunge). Its basename, the part before `:2,`, never changes.
// 2. Changes to dovecot-uidlist, dovecot-keywords and names in cur/ happen only under the folder lock
//    (FolderLock). Deliveries into new/ need no lock: that is Maildir's lock-free drop box.
// 3. A UID is appended only for a durable file, and a file leaves new/ only after its UID is durable.
// 4. A line leaves the UID list only after its file is gone; N (the next UID) never decreases, so
//    within one UIDVALIDITY a UID is never given to a second message.
// 5. A damaged UID list is never partly trusted: all files are renumbered under a UIDVALIDITY above
//    any seen before.
import MailCore
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// One Maildir folder (INBOX or a Maildir++ subfolder): synchronization with its UID list,
/// append, flag changes, expunge, copy and reading messages.
///
/// Thread-safe: every operation that reads or changes the UID list, the keyword table or file
/// names runs under the folder's cross-process lock (`FolderLock`). All calls block on disk I/O;
/// call them from worker queues.
public final class MaildirFolder: Sendable {
    public static let uidListName = "dovecot-uidlist"
    public static let keywordsName = "dovecot-keywords"

    public let path: String
    /// The account root, whose `maildirsize` is kept up to date; nil to skip quota accounting.
    public let accountRoot: String?
    let writer: DurableWriter
    let names: UniqueNameGenerator
    let clock: any MailClock

    /// What re-synchronization may reuse; only a speed-up, never the truth.
    private struct Cache {
        /// The last parsed UID list and the file identity it came from (skips re-parsing when unchanged).
        var identity: [Int]?
        var list: UIDList?
        /// Internal dates already read (message files never change once written).
        var dates: [String: Int] = [:]
        /// The whole last state and the stamp of new/, cur/, the UID list and the keywords it was read under.
        var stamp: [Int]?
        var state: State?
        /// The snapshot of the scan numbered `snapshotGeneration` (saves sorting 10,000 messages per NOOP).
        var snapshot: FolderSnapshot?
        var snapshotGeneration: UInt64 = 0
    }
    /// Numbers every full scan in this process, so views can tell "same scan as before" in O(1).
    private static let generations = Atomic<UInt64>(0)
    private let cache = Mutex(Cache())

    public init(
        path: String, accountRoot: String?, writer: DurableWriter = DurableWriter(),
        names: UniqueNameGenerator = .shared, clock: any MailClock = SystemClock()
    ) {
        self.path = path
        self.accountRoot = accountRoot
        self.writer = writer
        self.names = names
        self.clock = clock
    }

    var uidListPath: String { path + "/" + Self.uidListName }
    var keywordsPath: String { path + "/" + Self.keywordsName }

    // MARK: Public operations

    /// Assigns UIDs to files not yet listed (in order of arrival), moves new/ to cur/, and returns the folder's messages.
    /// With `claimingRecent: false` (EXAMINE, STATUS) files stay in new/, so they remain `\Recent` for the
    /// next session that selects the folder (RFC 3501 §6.3.2).
    public func synchronize(claimingRecent: Bool = true) throws -> FolderSnapshot {
        try FolderLock.withLock(folder: path) {
            let state = try synchronizeLocked(claimingRecent: claimingRecent)
            var snapshot: FolderSnapshot
            if state.movedFromNew.isEmpty,
                let cached = cache.withLock({ $0.snapshotGeneration == state.generation ? $0.snapshot : nil })
            {
                snapshot = cached
            } else {
                snapshot = state.snapshot
                if state.movedFromNew.isEmpty {
                    cache.withLock {
                        $0.snapshot = snapshot; $0.snapshotGeneration = state.generation
                    }
                }
            }
            snapshot.recent = try recentLocked(state, claiming: claimingRecent)
            return snapshot
        }
    }

    /// `\Recent` under the lock: claims (and records) every unclaimed message, or only reports them.
    private func recentLocked(_ state: State, claiming: Bool) throws -> Set<UID> {
        let watermark = RecentWatermark(folderPath: path)
        let first = try watermark.load(creatingWith: state.list.nextUID, writer: writer)
        var recent = state.movedFromNew
        let newDirectory = path + "/new/"
        for (uid, info) in state.byUID where uid.value >= first || (!claiming && info.path.hasPrefix(newDirectory)) {
            recent.insert(uid)
        }
        if claiming && first < state.list.nextUID { try watermark.store(state.list.nextUID, writer: writer) }
        return recent
    }

    /// APPEND (RFC 3501 §6.3.11): stores a message durably with `flags` and internal date; returns its UID.
    public func append(_ bytes: [UInt8], flags: Set<Flag> = [], internalDate: Int? = nil) throws -> UID {
        try FolderLock.withLock(folder: path) {
            var state = try synchronizeLocked(claimingRecent: false)
            let letters = try lettersUpdatingKeywords(flags, state: &state)
            let base = names.next(size: bytes.count)
            let name = MaildirFileName(basename: base, letters: letters).curName
            try writer.writeNew(
                bytes, temporaryPath: path + "/tmp/" + base, destinations: [path + "/cur/" + name],
                modificationTime: internalDate)
            let uids = try register([base], state: &state)
            MaildirQuota.record(root: accountRoot, bytes: bytes.count, count: 1, ops: writer.ops)
            return uids[0]
        }
    }

    /// STORE (RFC 3501 §6.4.6): changes flags by UID, renaming each file atomically; returns the updated messages.
    /// UIDs that no longer exist are skipped.
    @discardableResult
    public func changeFlags(_ uids: [UID], _ change: FlagChange) throws -> [MessageInfo] {
        try FolderLock.withLock(folder: path) {
            var state = try synchronizeLocked(claimingRecent: false)
            var updated: [MessageInfo] = []
            for uid in uids {
                guard let message = state.byUID[uid] else { continue }
                let newFlags = change.apply(to: message.flags)
                let letters = try lettersUpdatingKeywords(newFlags, state: &state)
                let newPath = path + "/cur/" + MaildirFileName(basename: message.basename, letters: letters).curName
                if newPath != message.path {
                    do { try writer.ops.rename(message.path, newPath) } catch { throw MaildirError.transient(error) }
                }
                let info = MessageInfo(
                    uid: uid, basename: message.basename, path: newPath,
                    flags: MaildirFlags.flags(fromLetters: letters, keywords: state.keywords),
                    size: message.size, internalDate: message.internalDate)
                state.byUID[uid] = info
                updated.append(info)
            }
            return updated
        }
    }

    /// Removes messages, rewrites the UID list atomically, and returns the UIDs removed (ascending).
    /// EXPUNGE (RFC 3501 §6.4.3): `expunge()` removes every `\Deleted` message. UID EXPUNGE (RFC 4315 §2.1):
    /// `expunge(uids, onlyDeleted: true)`. MOVE and administrative removal: `expunge(uids)`.
    /// The `\Deleted` test uses the flags on disk at the time of the call, under the folder lock.
    @discardableResult
    public func expunge(_ uids: [UID]? = nil, onlyDeleted: Bool = false) throws -> [UID] {
        try FolderLock.withLock(folder: path) { try expungeLocked(uids, onlyDeleted: onlyDeleted) }
    }

    /// `expunge` for a caller that holds the folder lock (MOVE, whose own journal is not a crash's).
    func expungeLocked(_ uids: [UID]?, onlyDeleted: Bool = false, repairing: Bool = true) throws -> [UID] {
        do {
            var state = try synchronizeLocked(claimingRecent: false, repairing: repairing)
            let needsDeleted = onlyDeleted || uids == nil
            let targets = (uids ?? state.list.entries.map(\.uid)).compactMap { state.byUID[$0] }
                .filter { !needsDeleted || $0.flags.contains(.deleted) }
            guard !targets.isEmpty else { return [] }
            var removed: [UID] = []
            var bytes = 0
            for message in targets {
                do { try writer.ops.unlink(message.path) } catch { throw MaildirError.transient(error) }
                removed.append(message.uid)
                bytes += message.size
                state.byUID[message.uid] = nil
            }
            do {
                try writer.ops.fsyncDirectory(path + "/cur")
                try writer.ops.fsyncDirectory(path + "/new")
            } catch { throw MaildirError.transient(error) }
            try rewriteUIDList(&state)
            MaildirQuota.record(root: accountRoot, bytes: -bytes, count: -removed.count, ops: writer.ops)
            return removed.sorted()
        }
    }

    /// COPY (RFC 3501 §6.4.7, UIDPLUS COPYUID): hard-links the messages into `destination` keeping
    /// their flags (keywords re-mapped to the destination's table); returns source → destination UIDs.
    public func copy(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, destination: UID)] {
        // Both locks for the whole copy, so no other session can rename or expunge a source file
        // between finding it and linking it.
        try FolderLock.withLocks(folders: [path, destination.path]) { try copyLocked(uids, to: destination) }
    }

    /// `copy` for a caller that holds both folder locks. `beforeLinking` receives each source
    /// message with the basename its copy will have, before the first link is made (MOVE's journal).
    func copyLocked(
        _ uids: [UID], to destination: MaildirFolder,
        beforeLinking: ([(source: MessageInfo, basename: String)]) throws -> Void = { _ in }
    ) throws -> [(source: UID, destination: UID)] {
        do {
            let sourceState = try synchronizeLocked(claimingRecent: false)
            let sources = uids.sorted().compactMap { sourceState.byUID[$0] }
            guard !sources.isEmpty else { return [] }
            var state =
                destination.path == path ? sourceState : try destination.synchronizeLocked(claimingRecent: false)
            var planned: [(source: MessageInfo, basename: String, letters: String)] = []
            for message in sources {
                let letters = try destination.lettersUpdatingKeywords(message.flags, state: &state)
                planned.append((message, destination.names.next(size: message.size), letters))
            }
            try beforeLinking(planned.map { ($0.source, $0.basename) })
            var basenames: [String] = []
            var copied: [UID] = []
            var bytes = 0
            for (message, base, letters) in planned {
                let target = destination.path + "/cur/" + MaildirFileName(basename: base, letters: letters).curName
                try destination.writer.linkExisting(message.path, to: target)
                basenames.append(base)
                copied.append(message.uid)
                bytes += message.size
            }
            let newUIDs = try destination.register(basenames, state: &state)
            MaildirQuota.record(
                root: destination.accountRoot, bytes: bytes, count: copied.count, ops: destination.writer.ops)
            return Array(zip(copied, newUIDs)).map { (source: $0.0, destination: $0.1) }
        }
    }

    /// The bytes of a message, found by UID even if another session renamed it meanwhile.
    public func read(_ uid: UID, hint: MessageInfo? = nil) throws -> [UInt8] {
        if let hint, hint.uid == uid, let bytes = FileReader.readAll(hint.path) { return bytes }
        let snapshot = try synchronize(claimingRecent: false)
        guard let message = snapshot.messages.first(where: { $0.uid == uid }),
            let bytes = FileReader.readAll(message.path)
        else { throw MaildirError.noSuchMessage(uid) }
        return bytes
    }

    // MARK: Synchronization under the lock

    struct State: Sendable {
        var list: UIDList
        var keywords: KeywordTable
        var byUID: [UID: MessageInfo]
        var movedFromNew: Set<UID>
        /// Some messages were left in new/ (a scan that did not claim them); such a state is never cached.
        var leftInNew = false
        /// Which full scan this state came from (changed copies made by an operation are never cached).
        var generation: UInt64 = 0
        var snapshot: FolderSnapshot {
            FolderSnapshot(
                uidValidity: list.uidValidity, nextUID: list.nextUID,
                messages: byUID.keys.sorted().map { byUID[$0]! }, movedFromNew: movedFromNew,
                generation: generation)
        }
    }

    /// Call only while holding the folder lock. Writers (append, flags, expunge, copy) pass
    /// `claimingRecent: false`: moving new/ to cur/ is what hands out \Recent, and only a session's
    /// SELECT may claim it, never another session's write (RFC 3501 §2.3.2).
    func synchronizeLocked(claimingRecent: Bool = true, repairing: Bool = true) throws -> State {
        if repairing { try repairAfterCrashLocked() }
        let state = try stateLocked(claimingRecent: claimingRecent)
        // A folder's first look records which messages are old, before any writer adds one.
        _ = try RecentWatermark(folderPath: path).load(creatingWith: state.list.nextUID, writer: writer)
        return state
    }

    private func stateLocked(claimingRecent: Bool) throws -> State {
        // Nothing changed since the last scan when new/, cur/, the UID list and the keyword table
        // still have the same identity. Modification times have coarse ticks, so a stamp is only
        // trusted when it was already over two seconds old when taken: any later change then
        // necessarily gives a different time (Dovecot applies the same rule to Maildir mtimes).
        let stamp = folderStamp()
        let settled = stamp.enumerated().filter { $0.offset % 4 == 2 }.map(\.element).max()! + 2 <= Int(clock.now())
        if settled, let cached = cache.withLock({ $0.stamp == stamp ? $0.state : nil }) { return cached }
        let result = try scanLocked(moveNew: claimingRecent)
        var reusable = result
        reusable.movedFromNew = []
        let keep = settled && !result.leftInNew
        cache.withLock {
            $0.stamp = keep ? stamp : nil; $0.state = keep ? reusable : nil
        }
        return result
    }

    private func folderStamp() -> [Int] {
        [path + "/new", path + "/cur", uidListPath, keywordsPath].flatMap {
            FileReader.identity($0) ?? [-1, -1, -1, -1]
        }
    }

    private func scanLocked(moveNew: Bool) throws -> State {
        // new/ before cur/: a file moved from new/ to cur/ between the two listings is still seen.
        guard let newNames = FileReader.list(path + "/new"), let curNames = FileReader.list(path + "/cur") else {
            throw MaildirError.folderNotFound(Self.displayName(path: path))
        }
        let keywords = KeywordTable(parsing: String(decoding: FileReader.readAll(keywordsPath) ?? [], as: UTF8.self))

        // basename → current file name and whether it is still in new/.
        var files: [String: (name: String, inNew: Bool)] = [:]
        for name in curNames where MaildirFileName.isCandidate(name) {
            files[MaildirFileName(name).basename] = (name, false)
        }
        for name in newNames where MaildirFileName.isCandidate(name) {
            let base = MaildirFileName(name).basename
            if files[base] == nil { files[base] = (name, true) }
        }

        var list = try loadUIDList()
        var known = Set<String>()
        var byUID: [UID: MessageInfo] = [:]
        var movedFromNew = Set<UID>()
        var dates = cache.withLock { $0.dates }
        var pendingMoves: [(from: String, to: String, uid: UID?)] = []
        var leftInNew = false

        func info(uid: UID, base: String, file: (name: String, inNew: Bool)) -> MessageInfo {
            let letters = MaildirFileName(file.name).letters  // a delivery agent may already have set flags
            let current = path + (file.inNew ? "/new/" : "/cur/") + file.name
            let finalPath =
                file.inNew && moveNew
                ? path + "/cur/" + MaildirFileName(basename: base, letters: letters).curName : current
            let date = dates[base] ?? FileReader.modificationTime(current) ?? 0
            dates[base] = date
            let size = MaildirFileName.field("S", in: base) ?? FileReader.size(current) ?? 0
            if file.inNew {
                if moveNew { pendingMoves.append((current, finalPath, uid)) } else { leftInNew = true }
            }
            return MessageInfo(
                uid: uid, basename: base, path: finalPath,
                flags: MaildirFlags.flags(fromLetters: letters, keywords: keywords),
                size: size, internalDate: date)
        }

        for entry in list.entries {
            // A basename listed twice keeps its first UID; the later line is dropped below.
            guard known.insert(entry.basename).inserted, let file = files[entry.basename] else { continue }
            byUID[entry.uid] = info(uid: entry.uid, base: entry.basename, file: file)
        }
        if byUID.count != list.entries.count {
            // Files removed outside an expunge (or after a failed rewrite): drop their lines now, so a
            // file that reappears later gets a new UID instead of resurrecting one already expunged.
            var state = State(list: list, keywords: keywords, byUID: byUID, movedFromNew: [])
            try rewriteUIDList(&state)
            list = state.list
        }
        let unknown = files.keys.filter { !known.contains($0) }.sorted(by: Self.arrivalOrder)
        if !unknown.isEmpty {
            var state = State(list: list, keywords: keywords, byUID: byUID, movedFromNew: [])
            _ = try register(unknown, state: &state)
            list = state.list
            let firstNew = list.entries.count - unknown.count
            for entry in list.entries[firstNew...] {
                byUID[entry.uid] = info(uid: entry.uid, base: entry.basename, file: files[entry.basename]!)
            }
        }
        // new/ → cur/ only after the UIDs are durable, so a crash never leaves a message without one.
        for move in pendingMoves {
            do { try writer.ops.rename(move.from, move.to) } catch { throw MaildirError.transient(error) }
            if let uid = move.uid { movedFromNew.insert(uid) }
        }
        let present = Set(byUID.values.map(\.basename))
        cache.withLock { $0.dates = dates.filter { present.contains($0.key) } }
        return State(
            list: list, keywords: keywords, byUID: byUID, movedFromNew: movedFromNew, leftInNew: leftInNew,
            generation: Self.generations.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    /// Reads the UID list, reusing the parsed copy when the file is unchanged. A missing list is
    /// created; a damaged one is rebuilt from the files with a new UIDVALIDITY.
    private func loadUIDList() throws -> UIDList {
        let identity = FileReader.identity(uidListPath)
        if let identity, let cached = cache.withLock({ $0.identity == identity ? $0.list : nil }) { return cached }
        guard identity != nil else {
            // No list yet (a new folder, or one that lost it): a new UIDVALIDITY for whatever is there.
            let fresh = UIDList(uidValidity: UIDValidity.next(after: nil, clock: clock))
            try writeWholeList(fresh)
            return fresh
        }
        guard let bytes = FileReader.readAll(uidListPath) else {
            // The list exists but cannot be read now: never rebuild (and so renumber) on a passing error.
            throw MaildirError.transientIO(SystemCallError("read", uidListPath, errno))
        }
        do {
            let list = try UIDList(parsing: bytes)
            cache.withLock {
                $0.identity = identity; $0.list = list
            }
            return list
        } catch {
            // Never trust part of a damaged list: every file gets a new UID under a new UIDVALIDITY,
            // which tells clients to drop what they cached (RFC 3501 §2.3.1.1).
            let fresh = UIDList(uidValidity: UIDValidity.next(after: UIDValidity.salvage(bytes), clock: clock))
            try writeWholeList(fresh)
            return fresh
        }
    }

    /// Gives `basenames` the next UIDs, appending them durably to the UID list (call under the lock).
    func register(_ basenames: [String], state: inout State) throws -> [UID] {
        guard !basenames.isEmpty else { return [] }
        var list = state.list
        let added = list.assign(basenames)
        try writer.append(UIDList.appendText(added), to: uidListPath)
        state.list = list
        cache.withLock {
            $0.identity = FileReader.identity(uidListPath); $0.list = list
        }
        return added.map(\.uid)
    }

    private func rewriteUIDList(_ state: inout State) throws {
        let present = Set(state.byUID.keys)
        state.list.entries.removeAll { !present.contains($0.uid) }
        try writeWholeList(state.list)
    }

    private func writeWholeList(_ list: UIDList) throws {
        try writer.replace(uidListPath, with: list.serialized, temporaryPath: uidListPath + ".tmp")
        cache.withLock {
            $0.identity = FileReader.identity(uidListPath); $0.list = list
        }
    }

    /// Letters for `flags`, writing the keyword table first when a new keyword needs a letter.
    func lettersUpdatingKeywords(_ flags: Set<Flag>, state: inout State) throws -> String {
        var table = state.keywords
        let letters = try MaildirFlags.letters(for: flags, keywords: &table)
        if table != state.keywords {
            try writer.replace(keywordsPath, with: Array(table.serialized.utf8), temporaryPath: keywordsPath + ".tmp")
            state.keywords = table
        }
        return letters
    }

    /// The mailbox name a folder path stands for, for messages to users (never the path itself).
    static func displayName(path: String) -> String {
        let leaf = DurableWriter.fileName(of: path)
        return MaildirLayout.mailbox(forDirectory: leaf)?.name ?? "INBOX"
    }

    /// Orders `<secs>.M<usecs>P…` names by time of delivery, then by name.
    static func arrivalOrder(_ a: String, _ b: String) -> Bool {
        let ka = arrivalKey(a), kb = arrivalKey(b)
        return ka != kb ? ka < kb : a < b
    }

    private static func arrivalKey(_ name: String) -> Int {
        let parts = name.split(separator: ".", maxSplits: 2)
        guard parts.count >= 2, let secs = Int(parts[0]) else { return Int.max }
        var usecs = 0
        if parts[1].first == "M" { usecs = Int(parts[1].dropFirst().prefix { $0.isNumber }) ?? 0 }
        return secs * 1_000_000 + usecs
    }
}
