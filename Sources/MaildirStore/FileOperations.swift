#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call: which call, on which path, and errno.
public struct SystemCallError: Error, Equatable, CustomStringConvertible {
    public let call: String
    public let path: String
    public let code: Int32
    public init(_ call: String, _ path: String, _ code: Int32) { self.call = call; self.path = path; self.code = code }
    public var description: String { "\(call)(\(path)) failed: \(String(cString: strerror(code))) (errno \(code))" }
}

/// The file-system calls the store makes, so tests can make any one of them fail (disk full, EIO).
///
/// Implementations must be thread-safe; `POSIXFileOperations` is stateless.
public protocol FileOperations: Sendable {
    /// Creates a new file exclusively (`O_CREAT|O_EXCL|O_WRONLY`) and returns its descriptor.
    func createExclusive(_ path: String) throws -> Int32
    /// Opens a file for appending (`O_WRONLY|O_APPEND|O_CREAT`).
    func openAppend(_ path: String) throws -> Int32
    /// Writes all of `bytes` (retrying short writes and EINTR).
    func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws
    /// Flushes a file's data and metadata to stable storage.
    func fsync(_ fd: Int32, path: String) throws
    /// Sets a file's access and modification time (the IMAP internal date).
    func setModificationTime(_ fd: Int32, seconds: Int, path: String) throws
    func close(_ fd: Int32)
    /// Hard-links `from` to `to`; fails with EEXIST if `to` exists, EXDEV across file systems.
    func link(_ from: String, _ to: String) throws
    /// Atomically renames `from` over `to`.
    func rename(_ from: String, _ to: String) throws
    /// Removes a file; a missing file is not an error.
    func unlink(_ path: String) throws
    /// Flushes a directory so that the names created or removed in it are durable.
    func fsyncDirectory(_ path: String) throws
}

/// The real file system.
public struct POSIXFileOperations: FileOperations {
    public init() {}

    public func createExclusive(_ path: String) throws -> Int32 {
        let fd = retrying { Glibc.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw SystemCallError("open", path, errno) }
        return fd
    }

    public func openAppend(_ path: String) throws -> Int32 {
        let fd = retrying { Glibc.open(path, O_CREAT | O_APPEND | O_WRONLY | O_CLOEXEC, 0o600) }
        guard fd >= 0 else { throw SystemCallError("open", path, errno) }
        return fd
    }

    public func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        try bytes.withUnsafeBytes { buf in
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("write", path, errno)
                }
                offset += n
            }
        }
    }

    public func fsync(_ fd: Int32, path: String) throws {
        guard retrying({ Glibc.fsync(fd) }) == 0 else { throw SystemCallError("fsync", path, errno) }
    }

    public func setModificationTime(_ fd: Int32, seconds: Int, path: String) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        guard futimens(fd, &times) == 0 else { throw SystemCallError("futimens", path, errno) }
    }

    public func close(_ fd: Int32) { _ = Glibc.close(fd) }

    public func link(_ from: String, _ to: String) throws {
        guard Glibc.link(from, to) == 0 else { throw SystemCallError("link", to, errno) }
    }

    public func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else { throw SystemCallError("rename", to, errno) }
    }

    public func unlink(_ path: String) throws {
        guard Glibc.unlink(path) == 0 || errno == ENOENT else { throw SystemCallError("unlink", path, errno) }
    }

    public func fsyncDirectory(_ path: String) throws {
        let fd = retrying { Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { throw SystemCallError("open", path, errno) }
        defer { _ = Glibc.close(fd) }
        guard retrying({ Glibc.fsync(fd) }) == 0 else { throw SystemCallError("fsync", path, errno) }
    }

    private func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let r = call()
            if r < 0 && errno == EINTR { continue }
            return r
        }
    }
}
