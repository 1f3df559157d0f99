#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lock that serializes every change to one folder's UID list, between threads and processes.
///
/// Why `flock(2)` on `govmail-uidlist.flock` rather than Dovecot's `dovecot-uidlist.lock` dotlock:
/// a flock is released by the kernel when its holder exits or crashes, so there is no stale-lock
/// guessing (Dovecot's dotlock needs a timeout and can break a slow live holder), and each
/// acquisition opens its own file description, so it also serializes threads of one process.
/// Dovecot and GovMail are not run on the same Maildir at the same time (migration is offline),
/// so Dovecot's own dotlock does not need to be honoured; a separate file name keeps Dovecot from
/// ever mistaking our lock for one of its own.
struct FolderLock {
    static let fileName = "govmail-uidlist.flock"

    /// Runs `body` holding the locks of several folders, taken in one global order (by path)
    /// so that two operations locking the same pair in opposite roles cannot deadlock.
    static func withLocks<T>(folders: [String], _ body: () throws -> T) throws -> T {
        let ordered = Array(Set(folders)).sorted()
        func nest(_ i: Int) throws -> T {
            guard i < ordered.count else { return try body() }
            return try withLock(folder: ordered[i]) { try nest(i + 1) }
        }
        return try nest(0)
    }

    /// Runs `body` while holding the folder's exclusive lock (blocking until it is free).
    static func withLock<T>(folder: String, _ body: () throws -> T) throws -> T {
        let path = folder + "/" + fileName
        var fd: Int32
        repeat { fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            if errno == ENOENT { throw MaildirError.folderNotFound(MaildirFolder.displayName(path: folder)) }
            throw MaildirError.transientIO(SystemCallError("open", path, errno))
        }
        defer { close(fd) }  // closing the descriptor releases the lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw MaildirError.transientIO(SystemCallError("flock", path, errno)) }
        }
        return try body()
    }
}
