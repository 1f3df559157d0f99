#if canImport(Glibc)
    import Glibc
#endif

/// Why the relay's socket stopped: the text goes into the queue's last result and the log.
public struct RelaySocketError: Error, CustomStringConvertible {
    public enum Kind: Sendable { case connect, timeout, io }
    public let kind: Kind
    public let description: String
}

/// A blocking TCP client socket with per-operation timeouts.
///
/// Why blocking: the relay runs at most a handful of outbound dialogs at a time, each a strict
/// request/reply exchange, and name resolution (`getaddrinfo`) blocks anyway. Blocking calls run
/// only on the relay's own bounded pool (`RelayRunner`), never on a connection queue or a shared
/// worker pool, and every call is bounded: connect by `poll`, reads and writes by SO_RCVTIMEO /
/// SO_SNDTIMEO. The Dispatch machinery would buy nothing here but complexity.
public final class RelaySocket {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close() }

    /// Resolves `host` and connects to the first address that answers within `timeout` seconds.
    public static func connect(host: String, port: Int, timeout: Double) throws(RelaySocketError) -> RelaySocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw RelaySocketError(
                kind: .connect, description: "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastProblem = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastProblem = String(cString: strerror(errno)); continue }
            if let problem = connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen, timeout: timeout) {
                Glibc.close(fd)
                lastProblem = problem
                continue
            }
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return RelaySocket(fd: fd)
        }
        throw RelaySocketError(kind: .connect, description: "cannot connect to \(host) port \(port): \(lastProblem)")
    }

    /// Non-blocking connect bounded by `poll`, then back to blocking mode; nil on success.
    private static func connect(
        _ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
        timeout: Double
    ) -> String? {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS || errno == EINTR else { return String(cString: strerror(errno)) }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&p, 1, Int32(timeout * 1000)) } while ready < 0 && errno == EINTR
            guard ready > 0 else {
                return ready == 0 ? "no answer within \(Int(timeout)) s" : String(cString: strerror(errno))
            }
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            guard soError == 0 else { return String(cString: strerror(soError)) }
        }
        _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK)
        return nil
    }

    /// Writes every byte (or throws).
    public func write(_ bytes: [UInt8]) throws(RelaySocketError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { offset += n; continue }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw RelaySocketError(kind: .timeout, description: "the smarthost stopped reading")
            }
            throw RelaySocketError(kind: .io, description: "write failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads what is available (blocking up to the timeout); nil at end of stream.
    public func read() throws(RelaySocketError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { return Array(buffer[0..<n]) }
            if n == 0 { return nil }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK {
                throw RelaySocketError(kind: .timeout, description: "the smarthost did not answer in time")
            }
            throw RelaySocketError(kind: .io, description: "read failed: \(String(cString: strerror(errno)))")
        }
    }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }
}
