import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one helper through which every durable write of the store goes:
/// write to a temporary file, fsync it, link or rename it into place, fsync the directory.
///
/// Stateless and thread-safe. On failure nothing is left at the destinations and the temporary
/// file is removed; the error is `MaildirError.transient`, so callers may retry later (SMTP 451).
public struct DurableWriter: Sendable {
    public let ops: any FileOperations

    public init(ops: any FileOperations = POSIXFileOperations()) { self.ops = ops }

    /// Writes `bytes` to `temporaryPath` (which must not exist), hard-links it to every path in
    /// `destinations` (copying where a link crosses file systems), removes the temporary name
    /// and fsyncs each destination directory. Returns only when all destinations are durable.
    public func writeNew(
        _ bytes: [UInt8], temporaryPath: String, destinations: [String],
        modificationTime: Int? = nil
    ) throws {
        try writeTemporary(bytes, temporaryPath, modificationTime: modificationTime)
        var linked: [String] = []
        do {
            for destination in destinations {
                do {
                    try ops.link(temporaryPath, destination)
                } catch let e as SystemCallError where e.code == EXDEV || e.code == EPERM {
                    // Another file system (or one without hard links): a full durable copy instead.
                    let copyTemp =
                        Self.directory(of: destination) + "/../tmp/" + Self.fileName(of: destination) + ".copy"
                    try writeTemporary(bytes, copyTemp, modificationTime: modificationTime)
                    do { try ops.link(copyTemp, destination) } catch { try? ops.unlink(copyTemp); throw error }
                    try? ops.unlink(copyTemp)
                }
                linked.append(destination)
            }
            try? ops.unlink(temporaryPath)
            try fsyncDirectories(of: destinations)
        } catch {
            for path in linked { try? ops.unlink(path) }
            try? ops.unlink(temporaryPath)
            throw MaildirError.transient(error)
        }
    }

    /// Atomically replaces `path` with `bytes` (through `temporaryPath`), then fsyncs the directory.
    public func replace(_ path: String, with bytes: [UInt8], temporaryPath: String) throws {
        try? ops.unlink(temporaryPath)  // a leftover from a crashed writer holding the same lock
        try writeTemporary(bytes, temporaryPath, modificationTime: nil)
        do {
            try ops.rename(temporaryPath, path)
            try ops.fsyncDirectory(Self.directory(of: path))
        } catch {
            try? ops.unlink(temporaryPath)
            throw MaildirError.transient(error)
        }
    }

    /// Appends `bytes` to an existing file (one `O_APPEND` write) and fsyncs it.
    /// On failure the file is cut back to its old length, so a half-written line never damages it.
    public func append(_ bytes: [UInt8], to path: String) throws {
        let oldSize = FileReader.size(path)
        do {
            let fd = try ops.openAppend(path)
            defer { ops.close(fd) }
            do {
                try ops.write(fd, bytes, path: path)
                try ops.fsync(fd, path: path)
            } catch {
                if let oldSize { _ = ftruncate(fd, off_t(oldSize)) }
                throw error
            }
        } catch {
            throw MaildirError.transient(error)
        }
    }

    /// Makes an existing file durable under a second name (COPY/MOVE of an immutable message file).
    public func linkExisting(_ source: String, to destination: String) throws {
        do {
            try ops.link(source, destination)
        } catch let e as SystemCallError where e.code == EXDEV || e.code == EPERM {
            guard let bytes = FileReader.readAll(source) else { throw MaildirError.transient(e) }
            let temp = Self.directory(of: destination) + "/../tmp/" + Self.fileName(of: destination) + ".copy"
            try writeNew(
                bytes, temporaryPath: temp, destinations: [destination],
                modificationTime: FileReader.modificationTime(source))
            return
        } catch {
            throw MaildirError.transient(error)
        }
        do { try ops.fsyncDirectory(Self.directory(of: destination)) } catch {
            try? ops.unlink(destination)
            throw MaildirError.transient(error)
        }
    }

    /// Fsyncs each distinct directory once; many (a fan-out to thousands of recipients) are synced
    /// by up to 8 threads at once, as each fsync mostly waits for the disk.
    private func fsyncDirectories(of paths: [String]) throws {
        var seen = Set<String>()
        let dirs = paths.map(Self.directory(of:)).filter { seen.insert($0).inserted }
        guard dirs.count > 1 else {
            if let dir = dirs.first { try ops.fsyncDirectory(dir) }
            return
        }
        let width = min(8, dirs.count)
        let firstError = Mutex<(any Error)?>(nil)
        let ops = self.ops
        DispatchQueue.concurrentPerform(iterations: width) { stripe in
            for i in stride(from: stripe, to: dirs.count, by: width) {
                do { try ops.fsyncDirectory(dirs[i]) } catch {
                    firstError.withLock { if $0 == nil { $0 = error } }
                    return
                }
            }
        }
        if let error = firstError.withLock({ $0 }) { throw error }
    }

    private func writeTemporary(_ bytes: [UInt8], _ path: String, modificationTime: Int?) throws {
        let fd: Int32
        do { fd = try ops.createExclusive(path) } catch { throw MaildirError.transient(error) }
        do {
            try ops.write(fd, bytes, path: path)
            if let modificationTime { try ops.setModificationTime(fd, seconds: modificationTime, path: path) }
            try ops.fsync(fd, path: path)
            ops.close(fd)
        } catch {
            ops.close(fd)
            try? ops.unlink(path)
            throw MaildirError.transient(error)
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    static func fileName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
