import Foundation
import GovMailTestSupport
import TLSEngine
#if canImport(Glibc)
    import Glibc
#endif

/// A one-connection SMTP sink on 127.0.0.1 for the smarthost client tests, run on its own thread
/// with blocking sockets; optionally offers STARTTLS with a development certificate.
final class RelayTestSink: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let tlsContext: TLSContext?
    private let rcptReply: @Sendable (String) -> String
    private let dataReply: String
    private let greet: Bool
    private let lock = NSLock()
    private var _commands: [(line: String, overTLS: Bool)] = []
    private var _data: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    /// Commands received, with whether TLS was on.
    var commands: [(line: String, overTLS: Bool)] { lock.lock(); defer { lock.unlock() }; return _commands }
    /// The DATA received (still dot-stuffed, without the final dot line).
    var data: [UInt8] { lock.lock(); defer { lock.unlock() }; return _data }

    init(
        tls: TLSContext? = nil, greet: Bool = true,
        rcptReply: @escaping @Sendable (String) -> String = { _ in "250 2.1.5 Ok" },
        dataReply: String = "250 2.0.0 Ok: queued as SINK1"
    ) throws {
        tlsContext = tls
        self.greet = greet
        self.rcptReply = rcptReply
        self.dataReply = dataReply
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = 0
        sin.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &sin) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = listen(fd, 4)
        _ = withUnsafeMutablePointer(to: &sin) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        port = Int(UInt16(bigEndian: sin.sin_port))
        listener = fd
        Thread.detachNewThread { [self] in
            serveOne(); done.signal()
        }
    }

    /// Waits until the sink's one dialog ended (the client closed).
    func wait() { done.wait(); close(listener) }

    /// A server context from a fresh development certificate for `host`.
    static func tlsContext(host: String, in dir: TemporaryDirectory) throws -> TLSContext {
        let cert = try DevelopmentCertificate.generate(host: host)
        try cert.certificatePEM.write(toFile: dir.file("sink-cert.pem"), atomically: true, encoding: .utf8)
        try cert.privateKeyPEM.write(toFile: dir.file("sink-key.pem"), atomically: true, encoding: .utf8)
        return try TLSContext.server(
            certificateChainPath: dir.file("sink-cert.pem"), privateKeyPath: dir.file("sink-key.pem"))
    }

    private func serveOne() {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var tls: TLSSession?
        var input: [UInt8] = []
        func write(_ text: String) {
            let bytes = Array(text.utf8)
            let out = (try? tls.map { try $0.send(bytes) }) ?? bytes
            _ = out.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        func readRaw() -> [UInt8]? {
            var buf = [UInt8](repeating: 0, count: 16_384)
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return n > 0 ? Array(buf[0..<n]) : nil
        }
        func fill() -> Bool {
            guard let raw = readRaw() else { return false }
            guard let tls else { input += raw; return true }
            let out = tls.receive(raw)
            if !out.ciphertext.isEmpty {
                _ = out.ciphertext.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
            if out.failure != nil { return false }
            input += out.plaintext
            return true
        }
        func line() -> String? {
            while true {
                if let i = input.firstIndex(of: 10) {
                    let l = String(decoding: input[..<i], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    input.removeFirst(i + 1)
                    return l
                }
                guard fill() else { return nil }
            }
        }
        guard greet else { _ = readRaw(); return }
        write("220 sink ESMTP\r\n")
        while let l = line() {
            lock.lock(); _commands.append((l, tls != nil)); lock.unlock()
            let verb = l.split(separator: " ").first.map { $0.uppercased() } ?? ""
            switch verb {
            case "EHLO":
                var ext = ["sink", "SIZE 10000000", "8BITMIME"]
                if tlsContext != nil && tls == nil { ext.append("STARTTLS") }
                if tls != nil { ext.append("AUTH PLAIN LOGIN") }
                write(ext.enumerated().map { "250\($0 == ext.count - 1 ? " " : "-")\($1)\r\n" }.joined())
            case "STARTTLS":
                write("220 2.0.0 Go ahead\r\n")
                guard let ctx = tlsContext, let session = try? TLSSession(context: ctx) else { return }
                input.removeAll()
                while !session.isHandshakeComplete {
                    guard let raw = readRaw() else { return }
                    let out = session.receive(raw)
                    if !out.ciphertext.isEmpty {
                        _ = out.ciphertext.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    }
                    if out.failure != nil { return }
                    // The client's first command can arrive in the same read as its Finished.
                    input += out.plaintext
                }
                tls = session
            case "AUTH": write("235 2.7.0 Authenticated\r\n")
            case "MAIL": write("250 2.1.0 Ok\r\n")
            case "RCPT": write(rcptReply(l) + "\r\n")
            case "DATA":
                write("354 Go ahead\r\n")
                let end: [UInt8] = Array("\r\n.\r\n".utf8)
                while true {
                    if let r = input.indices.first(where: { input[$0...].starts(with: end) }) {
                        lock.lock(); _data = Array(input[..<(r + 2)]); lock.unlock()
                        input.removeFirst(r + end.count)
                        break
                    }
                    guard fill() else { return }
                }
                write(dataReply + "\r\n")
            case "QUIT":
                write("221 2.0.0 Bye\r\n")
                if let tls {
                    let bye = tls.close();
                    _ = bye.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                return
            default: write("500 5.5.1 Unknown\r\n")
            }
        }
    }
}
