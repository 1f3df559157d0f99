import Synchronization

/// Removes files left in a folder's tmp/ by deliveries that were killed: anything older than
/// 36 hours, as the Maildir specification asks (a live delivery never takes that long). Run from a
/// folder's first synchronization in a process, then at most every `interval` seconds per folder,
/// always on a worker (it lists and unlinks).
enum MaildirTmpSweep {
    static let maximumAge: Double = 36 * 3600
    static let interval: Double = 6 * 3600
    private static let lastSweep = Mutex<[String: Double]>([:])

    /// Sweeps `folder`/tmp when it was not swept in the last `interval` seconds; returns the files removed.
    @discardableResult
    static func sweepIfDue(folder: String, now: Double, ops: any FileOperations) -> Int {
        let due = lastSweep.withLock { swept -> Bool in
            if let last = swept[folder], now - last < interval { return false }
            swept[folder] = now
            return true
        }
        return due ? sweep(folder: folder, now: now, ops: ops) : 0
    }

    /// Removes every regular file in `folder`/tmp last modified more than `maximumAge` before `now`.
    static func sweep(folder: String, now: Double, ops: any FileOperations) -> Int {
        let tmp = folder + "/tmp/"
        var removed = 0
        for name in FileReader.list(tmp, includeHidden: true) ?? [] where name != "." && name != ".." {
            guard let modified = FileReader.modificationTime(tmp + name), Double(modified) < now - maximumAge,
                !FileReader.isDirectory(tmp + name)
            else { continue }
            if (try? ops.unlink(tmp + name)) != nil { removed += 1 }
        }
        return removed
    }
}
