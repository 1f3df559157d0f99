#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Socket set-up helpers: listening sockets for IPv4 and IPv6, accepted-socket options, addresses as text.
enum Socket {
    /// Creates a non-blocking listening socket on `address` (IPv4 or IPv6 literal) and `port` (0 = any free port).
    /// "::" listens on IPv6 and IPv4 (dual stack); other IPv6 addresses are IPv6 only.
    static func listen(address: String, port: Int, backlog: Int32 = 1024) throws(SystemCallError) -> (
        fd: Int32, port: Int
    ) {
        var storage = sockaddr_storage()
        var length: socklen_t
        let family: Int32
        if address.contains(":") {
            family = AF_INET6
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, address, &sin6.sin6_addr) == 1 else {
                throw SystemCallError(call: "inet_pton(\(address))", errno: EINVAL)
            }
            withUnsafeBytes(of: &sin6) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            family = AF_INET
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET, address, &sin.sin_addr) == 1 else {
                throw SystemCallError(call: "inet_pton(\(address))", errno: EINVAL)
            }
            withUnsafeBytes(of: &sin) { src in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: src) } }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        #if canImport(Glibc)
            let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
            let type = SOCK_STREAM
        #endif
        let fd = socket(family, type, 0)
        guard fd >= 0 else { throw SystemCallError(call: "socket", errno: errno) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            var v6only: Int32 = address == "::" ? 0 : 1
            _ = setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &v6only, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard rc == 0 else {
            let e = errno; close(fd); throw SystemCallError(call: "bind(\(address) port \(port))", errno: e)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno; close(fd); throw SystemCallError(call: "listen", errno: e)
        }
        let bound = localAddress(fd)?.port ?? port
        return (fd, bound)
    }

    /// Accepts one connection as a non-blocking, close-on-exec socket with TCP_NODELAY.
    static func accept(_ listener: Int32) throws(SystemCallError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = try systemCall("accept") {
            Int(
                withUnsafeMutablePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
                })
        }
        guard case .done(let n) = result else { return nil }
        let fd = Int32(n)
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        return (fd, address(of: storage) ?? SocketAddress(host: "unknown", port: 0))
    }

    static func localAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return rc == 0 ? address(of: storage) : nil
    }

    static func address(of storage: sockaddr_storage) -> SocketAddress? {
        var storage = storage
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin -> SocketAddress? in
                    var addr = sin.pointee.sin_addr
                    guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                    return SocketAddress(
                        host: String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                        port: Int(UInt16(bigEndian: sin.pointee.sin_port)))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 -> SocketAddress? in
                    var addr = sin6.pointee.sin6_addr
                    guard inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count)) != nil else { return nil }
                    var host = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if host.hasPrefix("::ffff:") && host.contains(".") { host.removeFirst(7) }  // IPv4-mapped
                    return SocketAddress(host: host, port: Int(UInt16(bigEndian: sin6.pointee.sin6_port)))
                }
            }
        default:
            return nil
        }
    }
}
