import MailCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// MOVE that a crash cannot turn into a duplicate, and the repair that finishes one a crash cut short.
//
// Invariant: while a message is linked in the destination and not yet unlinked from the source,
// a durable journal in the source folder names both basenames. Whoever next holds the source
// folder's lock and finds a journal knows its writer died (the writer held that lock throughout),
// and finishes the move message by message: a source whose copy exists in the destination is
// removed; a source whose copy never got there stays. Nothing is lost, nothing ends up twice.
extension MaildirFolder {
    static let moveJournalName = "govmail-move-journal"
    var moveJournalPath: String { path + "/" + Self.moveJournalName }

    /// MOVE (RFC 6851): link into `destination`, then unlink here, under both folder locks and a
    /// journal (see above). Returns source → destination UIDs.
    public func move(_ uids: [UID], to destination: MaildirFolder) throws -> [(source: UID, destination: UID)] {
        try FolderLock.withLocks(folders: [path, destination.path]) {
            var copies: Set<String> = []
            let pairs: [(source: UID, destination: UID)]
            do {
                pairs = try copyLocked(uids, to: destination) { planned in
                    let journal = MoveJournal(
                        destination: destination.path,
                        entries: planned.map { .init(source: $0.source.basename, destination: $0.basename) })
                    try writer.replace(
                        moveJournalPath, with: journal.serialized, temporaryPath: moveJournalPath + ".tmp")
                    copies = Set(planned.map(\.basename))
                }
            } catch {
                // A failed MOVE changes nothing: take back the copies made so far, then the journal.
                // If that fails too, the journal stays and the next repair finishes the move instead.
                if !copies.isEmpty, (try? destination.removeMessages(basenames: copies)) != nil {
                    try? removeMoveJournal()
                }
                throw error
            }
            // From here the sources go; a failure leaves the journal, so the repair finishes the job.
            _ = try expungeLocked(pairs.map(\.source), repairing: false)
            if !copies.isEmpty { try removeMoveJournal() }
            return pairs
        }
    }

    /// Call under the folder lock: finishes a MOVE a crash interrupted, and sweeps tmp/ when due.
    func repairAfterCrashLocked() throws {
        MaildirTmpSweep.sweepIfDue(folder: path, now: clock.now(), ops: writer.ops)
        guard let bytes = FileReader.readAll(moveJournalPath) else { return }
        guard let journal = MoveJournal(parsing: bytes) else {
            // Torn or foreign: nothing was linked before a journal was whole (it is renamed into
            // place), so the move had not started; the sources stay.
            try removeMoveJournal()
            return
        }
        let copies = Self.basenames(in: journal.destination)
        let moved = Set(journal.entries.filter { copies.contains($0.destination) }.map(\.source))
        let removed = try removeMessages(basenames: moved)
        MaildirQuota.record(root: accountRoot, bytes: -removed.bytes, count: -removed.count, ops: writer.ops)
        try removeMoveJournal()
    }

    private func removeMoveJournal() throws {
        do {
            try writer.ops.unlink(moveJournalPath)
            try writer.ops.fsyncDirectory(path)
        } catch { throw MaildirError.transient(error) }
    }

    /// Unlinks the messages with these basenames from cur/ and new/, durably; returns how many and their size.
    @discardableResult
    func removeMessages(basenames: Set<String>) throws -> (count: Int, bytes: Int) {
        guard !basenames.isEmpty else { return (0, 0) }
        var count = 0, bytes = 0
        do {
            for sub in ["/cur/", "/new/"] {
                for name in FileReader.list(path + sub) ?? [] where MaildirFileName.isCandidate(name) {
                    let base = MaildirFileName(name).basename
                    guard basenames.contains(base) else { continue }
                    bytes += MaildirFileName.field("S", in: base) ?? FileReader.size(path + sub + name) ?? 0
                    try writer.ops.unlink(path + sub + name)
                    count += 1
                }
                try writer.ops.fsyncDirectory(path + sub)
            }
        } catch { throw MaildirError.transient(error) }
        return (count, bytes)
    }

    /// Basenames of the messages in a folder's cur/ and new/.
    static func basenames(in folder: String) -> Set<String> {
        var out = Set<String>()
        for sub in ["/cur", "/new"] {
            for name in FileReader.list(folder + sub) ?? [] where MaildirFileName.isCandidate(name) {
                out.insert(MaildirFileName(name).basename)
            }
        }
        return out
    }
}

/// The journal of one MOVE: the destination folder and, per message, the source and copy basenames.
///
///     govmail-move 1
///     /var/lib/govmail/mail/tinh.gov.vn/an/.Archive
///     1790000000.M1P2Q3.host,S=1234<TAB>1790000100.M5P2Q9.host,S=1234
struct MoveJournal: Equatable {
    struct Entry: Equatable {
        var source: String
        var destination: String
    }
    static let header = "govmail-move 1"
    var destination: String
    var entries: [Entry]

    var serialized: [UInt8] {
        Array(
            ([Self.header, destination] + entries.map { "\($0.source)\t\($0.destination)" })
                .joined(separator: "\n").utf8) + [10]
    }

    /// Nil unless the whole journal is there (header, destination, well-formed lines, final newline).
    init?(parsing bytes: [UInt8]) {
        guard bytes.last == 10 else { return nil }
        let lines = String(decoding: bytes.dropLast(), as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == Self.header, !lines[1].isEmpty else { return nil }
        destination = String(lines[1])
        var entries: [Entry] = []
        for line in lines.dropFirst(2) {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            entries.append(Entry(source: String(parts[0]), destination: String(parts[1])))
        }
        self.entries = entries
    }

    init(destination: String, entries: [Entry]) {
        self.destination = destination
        self.entries = entries
    }
}
