import MailCore
import Synchronization

/// Quota usage of one account: bytes and messages, summed from the `S=` sizes.
public struct QuotaUsage: Sendable, Equatable {
    public var bytes: Int
    public var messages: Int
    public init(bytes: Int, messages: Int) { self.bytes = bytes; self.messages = messages }
}

/// Keeps usage in a Maildir++ `maildirsize` file at the account root: a header line, then one
/// `<bytes> <count>` line per change, appended (one small `O_APPEND` write, atomic between
/// processes). Reading sums the lines, so deliveries never rescan the Maildir. The file is a cache:
/// it is recalculated from the folders when missing, damaged (a line that does not parse, a
/// negative total) or longer than 5120 bytes (the Maildir++ rule), and removed when an update
/// cannot be written, so it heals itself. A process killed between a file operation and its
/// `record` leaves the cache off by that change, so each account's cache is also recalculated
/// the first time a process reads it: drift never outlives a restart.
public enum MaildirQuota {
    public static let fileName = "maildirsize"
    static let recalculateAbove = 5120
    /// Account roots whose cache this process has recalculated (or written) at least once.
    private static let verified = Mutex<Set<String>>([])

    /// Adds a change to the account's usage (best effort: on failure the cache is dropped).
    static func record(root: String?, bytes: Int, count: Int, ops: any FileOperations) {
        guard let root, bytes != 0 || count != 0 else { return }
        let path = root + "/" + fileName
        guard FileReader.size(path) != nil else { return }  // no cache yet: the next read computes it
        do {
            let fd = try ops.openAppend(path)
            defer { ops.close(fd) }
            try ops.write(fd, Array("\(bytes) \(count)\n".utf8), path: path)
        } catch {
            try? ops.unlink(path)
        }
    }

    /// The account's usage, from `maildirsize` when it is usable, otherwise by a full recalculation.
    public static func usage(root: String, writer: DurableWriter = DurableWriter()) throws -> QuotaUsage {
        let path = root + "/" + fileName
        let trusted = verified.withLock { $0.contains(root) }
        if trusted, let bytes = FileReader.readAll(path), bytes.count <= recalculateAbove, let usage = parse(bytes) {
            return usage
        }
        let usage = recalculate(root: root)
        try writer.replace(
            path, with: Array("0S,0C\n\(usage.bytes) \(usage.messages)\n".utf8),
            temporaryPath: root + "/tmp/" + fileName + ".\(UniqueNameGenerator.shared.next(size: 0))")
        verified.withLock { _ = $0.insert(root) }
        return usage
    }

    static func parse(_ bytes: [UInt8]) -> QuotaUsage? {
        guard bytes.last == UInt8(ascii: "\n") else { return nil }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        // The header is the quota definition (`<bytes>S,<count>C`); a file without one was
        // re-created by a late append after a recalculation removed it, and is recalculated.
        guard let header = lines.first, header.hasSuffix("S") || header.contains("S,") else { return nil }
        var usage = QuotaUsage(bytes: 0, messages: 0)
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let b = Int(parts[0]), let c = Int(parts[1]) else { return nil }
            usage.bytes += b
            usage.messages += c
        }
        return usage.bytes >= 0 && usage.messages >= 0 ? usage : nil
    }

    /// Sums the `S=` sizes of every message in every folder (INBOX and `.`-folders).
    public static func recalculate(root: String) -> QuotaUsage {
        var usage = QuotaUsage(bytes: 0, messages: 0)
        var folders = [root]
        for name in FileReader.list(root, includeHidden: true) ?? []
        where name.hasPrefix(".") && name != "." && name != ".." {
            if FileReader.isDirectory(root + "/" + name + "/cur") { folders.append(root + "/" + name) }
        }
        for folder in folders {
            for sub in ["/cur", "/new"] {
                for name in FileReader.list(folder + sub) ?? [] where MaildirFileName.isCandidate(name) {
                    usage.messages += 1
                    usage.bytes += MaildirFileName(name).size ?? FileReader.size(folder + sub + "/" + name) ?? 0
                }
            }
        }
        return usage
    }
}
