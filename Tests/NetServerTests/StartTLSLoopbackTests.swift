import Dispatch
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import NetServer
import TLSEngine
import XCTest

/// STARTTLS through the real connection code: plaintext sent after the command is discarded,
/// never interpreted inside the TLS session (RFC 3207 §4.2, CVE-2011-0411).
final class StartTLSLoopbackTests: XCTestCase {
    final class Driver: ProtocolDriver {
        var framer = LineFramer(maxLength: 100)
        func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] { [.send(Array("hi\r\n".utf8))] }
        func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
            var out: [ConnectionAction] = []
            while case .line(let line)? = framer.next(from: &input) {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if text == "STARTTLS" && context.canStartTLS {
                    return out + [.send(Array("220 go\r\n".utf8)), .startTLS]
                }
                out.append(.send(Array("ok \(text)\r\n".utf8)))
            }
            return out
        }
        func tlsEstablished(_ context: ConnectionContext) -> [ConnectionAction] {
            framer = LineFramer(maxLength: 100)
            return [.send(Array("secure \(context.tls?.version ?? "?")\r\n".utf8))]
        }
    }

    /// A blocking client socket with a receive timeout.
    struct Client {
        let fd: Int32
        init(port: Int) {
            fd = LoopbackSocket.connect(port: port)
        }
        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        func receive() -> [UInt8] {
            var buf = [UInt8](repeating: 0, count: 65_536)
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            return n > 0 ? Array(buf[0..<n]) : []
        }
    }

    func testPlaintextBufferedAfterStartTLSIsDiscarded() throws {
        let dir = TemporaryDirectory(prefix: "starttls")
        let generated = try DevelopmentCertificate.generate(host: "mail.test")
        try generated.certificatePEM.write(toFile: dir.file("c.pem"), atomically: true, encoding: .utf8)
        try generated.privateKeyPEM.write(toFile: dir.file("k.pem"), atomically: true, encoding: .utf8)
        let tls = try TLSContext.server(certificateChainPath: dir.file("c.pem"), privateKeyPath: dir.file("k.pem"))
        let server = NetServer(
            settings: ConnectionSettings(), tlsContext: tls, clock: SystemClock(), logger: Logger(label: "test"))
        let factory = DriverFactory(makeDriver: { _ in Driver() }, refusal: { _ in [] })
        let port = try XCTUnwrap(
            try server.bind([
                ListenerSpec(name: "s", address: "127.0.0.1", port: 0, tlsMode: .starttls, drivers: factory)
            ])["s"])
        server.start()

        let client = Client(port: port)
        defer { close(client.fd) }
        XCTAssertEqual(String(decoding: client.receive(), as: UTF8.self), "hi\r\n")
        client.send(Array("STARTTLS\r\nINJECTED\r\n".utf8))
        XCTAssertEqual(String(decoding: client.receive(), as: UTF8.self), "220 go\r\n")

        let session = try TLSSession(context: try TLSContext.client(verifyPeer: false), serverName: "mail.test")
        client.send(session.startHandshake().ciphertext)
        var plaintext: [UInt8] = []
        while !session.isHandshakeComplete || !plaintext.contains(10) {
            let bytes = client.receive()
            XCTAssertFalse(bytes.isEmpty, "server closed during the handshake")
            if bytes.isEmpty { return }
            let out = session.receive(bytes)
            client.send(out.ciphertext)
            plaintext += out.plaintext
        }
        client.send(try session.send(Array("AFTER\r\n".utf8)))
        while !String(decoding: plaintext, as: UTF8.self).contains("ok ") {
            let bytes = client.receive()
            if bytes.isEmpty { break }
            plaintext += session.receive(bytes).plaintext
        }
        XCTAssertEqual(String(decoding: plaintext, as: UTF8.self), "secure TLSv1.3\r\nok AFTER\r\n")

        let done = DispatchSemaphore(value: 0)
        server.shutdown(grace: 0) { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }
}
