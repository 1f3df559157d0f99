#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The outcome of a non-blocking system call: done with a count, or "would block" as a value.
public enum IOResult: Equatable, Sendable {
    case done(Int)
    case wouldBlock
}

/// A failed system call: which call and its errno, with the system's text.
public struct SystemCallError: Error, CustomStringConvertible, Sendable, Equatable {
    public let call: String
    public let errno: Int32
    public init(call: String, errno: Int32) { self.call = call; self.errno = errno }
    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}

/// The one syscall wrapper: retries EINTR, returns EAGAIN/EWOULDBLOCK as `.wouldBlock`, throws anything else.
@inline(__always)
public func systemCall(_ name: String, _ body: () -> Int) throws(SystemCallError) -> IOResult {
    while true {
        let rc = body()
        if rc >= 0 { return .done(rc) }
        let e = errno
        if e == EINTR { continue }
        if e == EAGAIN || e == EWOULDBLOCK { return .wouldBlock }
        throw SystemCallError(call: name, errno: e)
    }
}
