import MailCore
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What LIST/STATUS need about one folder (RFC 3501 §6.3.8, §6.3.10; RFC 3348 children).
public struct FolderStatus: Sendable, Equatable {
    public let name: MailboxName
    /// False for a name that only exists because a child does (IMAP `\Noselect`).
    public let isSelectable: Bool
    public let hasChildren: Bool
    /// Files in cur/ and new/.
    public let messages: Int
    /// Messages without `\Seen`.
    public let unseen: Int
    /// Files still in new/ (not yet seen by any session).
    public let recent: Int
}

/// One account's Maildir++ tree: folder create/delete/rename/list, opening folders, quota usage.
///
/// Thread-safe (holds no mutable state). Folder create/delete/rename are single renames or
/// directory creations; a rename with children renames each child directory in turn.
public struct MaildirAccount: Sendable {
    public let root: String
    public let writer: DurableWriter
    public let names: UniqueNameGenerator

    public init(root: String, writer: DurableWriter = DurableWriter(), names: UniqueNameGenerator = .shared) {
        self.root = root
        self.writer = writer
        self.names = names
    }

    /// The folder's directory; the name was validated by `MailboxName`, so it stays inside `root`.
    public func path(of mailbox: MailboxName) -> String { MaildirLayout.folderPath(root: root, mailbox) }

    /// Whether a selectable folder (with cur/) exists.
    public func exists(_ mailbox: MailboxName) -> Bool { FileReader.isDirectory(path(of: mailbox) + "/cur") }

    /// An existing folder, ready for `synchronize()` or a `MailboxView`.
    public func folder(_ mailbox: MailboxName) throws -> MaildirFolder {
        guard exists(mailbox) else { throw MaildirError.folderNotFound(mailbox.name) }
        return MaildirFolder(path: path(of: mailbox), accountRoot: root, writer: writer, names: names)
    }

    /// CREATE (RFC 3501 §6.3.3).
    public func createFolder(_ mailbox: MailboxName) throws {
        try Self.checkFitsFileSystem(mailbox)
        guard !exists(mailbox) else { throw MaildirError.folderExists(mailbox.name) }
        do {
            try MaildirLayout.createMaildir(at: path(of: mailbox), isSubfolder: !mailbox.isInbox)
            try writer.ops.fsyncDirectory(root)
        } catch {
            throw MaildirError.transient(error)
        }
    }

    /// DELETE (RFC 3501 §6.3.4): removes the folder and its messages; children stay (as Maildir++ keeps them).
    /// The directory is first renamed away, so the folder disappears at once even if removal is slow.
    public func deleteFolder(_ mailbox: MailboxName) throws {
        guard !mailbox.isInbox else { throw MaildirError.inboxCannotBeDeleted }
        guard FileReader.isDirectory(path(of: mailbox)) else { throw MaildirError.folderNotFound(mailbox.name) }
        let trash = root + "/tmp/deleted-" + names.next(size: 0)
        do {
            try writer.ops.rename(path(of: mailbox), trash)
            try writer.ops.fsyncDirectory(root)
        } catch {
            throw MaildirError.transient(error)
        }
        Self.removeTree(trash)
        _ = try? MaildirQuota.recalculateCache(root: root, writer: writer)
    }

    /// RENAME (RFC 3501 §6.3.5): renames the folder and every folder below it.
    public func renameFolder(_ from: MailboxName, to: MailboxName) throws {
        guard !from.isInbox else { throw MaildirError.inboxCannotBeRenamed }
        guard !to.isInbox, !to.isWithin(from) else { throw MaildirError.renameIntoItself(from.name) }
        guard FileReader.isDirectory(path(of: from)) else { throw MaildirError.folderNotFound(from.name) }
        guard !FileReader.isDirectory(path(of: to)) else { throw MaildirError.folderExists(to.name) }
        let moves = allDirectories().filter { $0.name.isWithin(from) }.map { folder -> (String, String) in
            let suffix = folder.name.components.dropFirst(from.components.count)
            let target = try! MailboxName((to.components + suffix).joined(separator: "."))
            return (path(of: folder.name), path(of: target))
        }
        try Self.checkFitsFileSystem(to)
        for (_, target) in moves where DurableWriter.fileName(of: target).utf8.count > Self.maxDirectoryNameBytes {
            throw MaildirError.invalidName(Self.tooLongText)
        }
        for (_, target) in moves where FileReader.isDirectory(target) {
            throw MaildirError.folderExists(String(target.dropFirst(root.count + 2)))
        }
        do {
            for (source, target) in moves { try writer.ops.rename(source, target) }
            try writer.ops.fsyncDirectory(root)
        } catch {
            throw MaildirError.transient(error)
        }
    }

    /// NAME_MAX of Linux file systems: a Maildir++ directory (`.` + encoded name) must fit in it.
    static let maxDirectoryNameBytes = 255
    static let tooLongText =
        "the folder name is too long for the mail store (at most 255 bytes once encoded, fewer for Vietnamese letters); choose a shorter name"

    /// A name whose directory cannot exist is a permanent refusal, never a "try again" (issue 18).
    static func checkFitsFileSystem(_ mailbox: MailboxName) throws {
        guard !mailbox.isInbox else { return }
        if MaildirLayout.directoryName(mailbox).utf8.count + 1 > maxDirectoryNameBytes {
            throw MaildirError.invalidName(tooLongText)
        }
    }

    /// RENAME INBOX (RFC 3501 §6.3.5): creates `to` and moves every INBOX message into it with its
    /// flags (hard links registered in the new folder's uidlist, then expunged from INBOX), so INBOX
    /// stays, empty, with its UIDVALIDITY; INBOX's sub-folders are not moved.
    public func renameInbox(to: MailboxName) throws {
        guard !to.isInbox else { throw MaildirError.renameIntoItself(MailboxName.inbox.name) }
        try Self.checkFitsFileSystem(to)
        guard !FileReader.isDirectory(path(of: to)) else { throw MaildirError.folderExists(to.name) }
        let inbox = try folder(.inbox)
        try createFolder(to)
        let uids = try inbox.synchronize(claimingRecent: false).messages.map(\.uid)
        if !uids.isEmpty { _ = try inbox.move(uids, to: folder(to)) }
    }

    /// LIST (RFC 3501 §6.3.8) with counts: every folder, INBOX first, then by name; names that exist
    /// only as parents of other folders are listed as not selectable.
    public func listFolders() -> [FolderStatus] {
        let existing = allDirectories()
        var names = Set(existing.map(\.name))
        names.insert(.inbox)
        var all = names
        for name in names { var p = name.parent; while let q = p { all.insert(q); p = q.parent } }
        let sorted = all.sorted { a, b in a.isInbox != b.isInbox ? a.isInbox : a.name < b.name }
        return sorted.map { name in
            let hasChildren = all.contains { $0.components.count > name.components.count && $0.isWithin(name) }
            let dir = path(of: name)
            guard FileReader.isDirectory(dir + "/cur") else {
                return FolderStatus(
                    name: name, isSelectable: false, hasChildren: hasChildren, messages: 0, unseen: 0, recent: 0)
            }
            let cur = (FileReader.list(dir + "/cur") ?? []).filter(MaildirFileName.isCandidate)
            let new = (FileReader.list(dir + "/new") ?? []).filter(MaildirFileName.isCandidate)
            let unseen = cur.filter { !MaildirFileName($0).letters.contains("S") }.count + new.count
            return FolderStatus(
                name: name, isSelectable: true, hasChildren: hasChildren,
                messages: cur.count + new.count, unseen: unseen, recent: new.count)
        }
    }

    /// Bytes and messages in the whole account, cheap (read from `maildirsize`).
    public func usage() throws -> QuotaUsage { try MaildirQuota.usage(root: root, writer: writer) }

    /// The `.`-folders on disk that decode to valid mailbox names.
    private func allDirectories() -> [(name: MailboxName, dir: String)] {
        (FileReader.list(root, includeHidden: true) ?? []).compactMap { entry in
            guard let name = MaildirLayout.mailbox(forDirectory: entry), FileReader.isDirectory(root + "/" + entry)
            else { return nil }
            return (name, entry)
        }
    }

    static func removeTree(_ path: String) {
        for name in FileReader.list(path, includeHidden: true) ?? [] {
            let child = path + "/" + name
            if FileReader.isRealDirectory(child) { removeTree(child) } else { _ = unlink(child) }
        }
        _ = rmdir(path)
    }
}

extension MaildirQuota {
    /// Drops and recomputes the cache (after deleting a folder).
    static func recalculateCache(root: String, writer: DurableWriter) throws -> QuotaUsage {
        try? writer.ops.unlink(root + "/" + fileName)
        return try usage(root: root, writer: writer)
    }
}
