import GovMailTestSupport
import TLSEngine
import XCTest

/// A development certificate and key for mail.test, written once for every test here.
enum TestCertificateFiles {
    static let directory = TemporaryDirectory(prefix: "tls-engine")
    static let paths: (cert: String, key: String) = {
        let generated = try! DevelopmentCertificate.generate(host: "mail.test")
        let cert = directory.file("cert.pem"), key = directory.file("key.pem")
        try! generated.certificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
        try! generated.privateKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
        return (cert, key)
    }()
}

/// The memory-BIO engine against an in-memory OpenSSL client: no sockets.
final class TLSSessionTests: XCTestCase {
    private static let paths = TestCertificateFiles.paths

    private func serverContext(_ min: TLSMinimumVersion = .v1_2) throws -> TLSContext {
        try TLSContext.server(
            certificateChainPath: Self.paths.cert, privateKeyPath: Self.paths.key, minimumVersion: min)
    }

    /// Shuttles ciphertext both ways until neither side has anything to say; returns plaintext each side received.
    @discardableResult
    private func pump(client: TLSSession, server: TLSSession, clientFirst: [UInt8]) -> (
        toServer: [UInt8], toClient: [UInt8], server: TLSSession.Output?, client: TLSSession.Output?
    ) {
        var toServer = clientFirst, serverPlain: [UInt8] = [], clientPlain: [UInt8] = []
        var lastServer: TLSSession.Output?, lastClient: TLSSession.Output?
        for _ in 0..<20 {
            if toServer.isEmpty { break }
            let s = server.receive(toServer)
            lastServer = s
            serverPlain += s.plaintext
            toServer = []
            if s.failure != nil || s.ciphertext.isEmpty { break }
            let c = client.receive(s.ciphertext)
            lastClient = c
            clientPlain += c.plaintext
            toServer = c.ciphertext
            if c.failure != nil { break }
        }
        return (serverPlain, clientPlain, lastServer, lastClient)
    }

    private func connectedPair() throws -> (client: TLSSession, server: TLSSession) {
        let client = try TLSSession(context: try TLSContext.client(verifyPeer: false), serverName: "mail.test")
        let server = try TLSSession(context: try serverContext())
        pump(client: client, server: server, clientFirst: client.startHandshake().ciphertext)
        return (client, server)
    }

    func testVerifyingClientChecksTheChainAndTheHostName() throws {
        let trusted = try TLSContext.client(caFile: Self.paths.cert)
        let good = try TLSSession(context: trusted, serverName: "mail.test")
        let goodServer = try TLSSession(context: try serverContext())
        let ok = pump(client: good, server: goodServer, clientFirst: good.startHandshake().ciphertext)
        XCTAssertTrue(
            good.isHandshakeComplete,
            "trusted certificate for the right name: \(String(describing: ok.client?.failure))")

        let wrongName = try TLSSession(context: trusted, serverName: "other.test")
        let r1 = pump(
            client: wrongName, server: try TLSSession(context: try serverContext()),
            clientFirst: wrongName.startHandshake().ciphertext)
        XCTAssertFalse(wrongName.isHandshakeComplete)
        XCTAssertNotNil(r1.client?.failure, "a certificate for mail.test must not pass for other.test")

        let untrusted = try TLSSession(context: try TLSContext.client(), serverName: "mail.test")
        let r2 = pump(
            client: untrusted, server: try TLSSession(context: try serverContext()),
            clientFirst: untrusted.startHandshake().ciphertext)
        XCTAssertFalse(untrusted.isHandshakeComplete)
        XCTAssertNotNil(r2.client?.failure, "a self-signed certificate is not trusted without the CA file")

        XCTAssertThrowsError(try TLSContext.client(caFile: "/nonexistent/ca.pem"))
    }

    func testHandshakeCompletesAndReportsVersionAndCipher() throws {
        let (client, server) = try connectedPair()
        XCTAssertTrue(client.isHandshakeComplete)
        XCTAssertTrue(server.isHandshakeComplete)
        XCTAssertEqual(server.protocolVersion, "TLSv1.3")
        XCTAssertNotNil(server.cipherName)
        XCTAssertFalse(server.isResumed)
    }

    func testDataFlowsBothWays() throws {
        let (client, server) = try connectedPair()
        let request = Array("EHLO client.example\r\n".utf8)
        let fromClient = server.receive(try client.send(request))
        XCTAssertEqual(fromClient.plaintext, request)
        let big = [UInt8](repeating: 0x41, count: 100_000)  // several records
        let fromServer = client.receive(try server.send(big))
        XCTAssertEqual(fromServer.plaintext, big)
    }

    func testCiphertextSplitIntoSingleBytesStillDecrypts() throws {
        let (client, server) = try connectedPair()
        let message = Array("A1 NOOP\r\n".utf8)
        var plain: [UInt8] = []
        for byte in try client.send(message) { plain += server.receive([byte]).plaintext }
        XCTAssertEqual(plain, message)
    }

    func testCloseNotifyIsSeenByThePeer() throws {
        let (client, server) = try connectedPair()
        let notify = server.close()
        XCTAssertFalse(notify.isEmpty)
        let out = client.receive(notify)
        XCTAssertTrue(out.peerClosed)
        XCTAssertNil(out.failure)
        XCTAssertThrowsError(try server.send([1]))
    }

    func testTransportEOFWithoutCloseNotifyIsReported() throws {
        let (_, server) = try connectedPair()
        let out = server.receiveEOF()
        XCTAssertEqual(out.failure?.kind, .unexpectedEOF)
    }

    func testGarbageInsteadOfClientHelloFailsWithAnAlert() throws {
        let server = try TLSSession(context: try serverContext())
        let out = server.receive(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        XCTAssertEqual(out.failure?.kind, .protocolFailure)
        XCTAssertTrue(out.plaintext.isEmpty)
        XCTAssertTrue(server.hasFailed)
        // Further input is refused, not interpreted.
        XCTAssertNotNil(server.receive([0x16, 0x03, 0x01]).failure)
    }

    func testGarbageAfterHandshakeFails() throws {
        let (_, server) = try connectedPair()
        let out = server.receive([0x17, 0x03, 0x03, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32))
        XCTAssertNotNil(out.failure)
        XCTAssertTrue(out.plaintext.isEmpty)
    }

    func testTLS11ClientIsRefused() throws {
        // The client may be unable to offer 1.1 at all (security level); either way no session is established.
        let clientContext = try TLSContext.client(minimumVersion: .v1_2, maximumVersion: .v1_2, verifyPeer: false)
        let client = try TLSSession(context: clientContext)
        let server = try TLSSession(context: try serverContext(.v1_3))
        let result = pump(client: client, server: server, clientFirst: client.startHandshake().ciphertext)
        XCTAssertFalse(server.isHandshakeComplete)
        XCTAssertNotNil(result.server?.failure)
    }

    func testResumptionWithSavedSession() throws {
        let clientContext = try TLSContext.client(verifyPeer: false)
        let serverCtx = try serverContext()
        let first = try TLSSession(context: clientContext, serverName: "mail.test")
        let server1 = try TLSSession(context: serverCtx)
        pump(client: first, server: server1, clientFirst: first.startHandshake().ciphertext)
        // TLS 1.3 tickets arrive after the handshake; the pump delivered them to the client.
        let saved = try XCTUnwrap(first.savedSession())
        let second = try TLSSession(context: clientContext, serverName: "mail.test", resuming: saved)
        let server2 = try TLSSession(context: serverCtx)
        pump(client: second, server: server2, clientFirst: second.startHandshake().ciphertext)
        XCTAssertTrue(server2.isHandshakeComplete)
        XCTAssertTrue(server2.isResumed)
    }

    func testMismatchedKeyIsAClearConfigurationError() throws {
        let other = try DevelopmentCertificate.generate(host: "other.test")
        let keyPath = TestCertificateFiles.directory.file("other-key.pem")
        try other.privateKeyPEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TLSContext.server(certificateChainPath: Self.paths.cert, privateKeyPath: keyPath)) {
            error in
            let e = error as? TLSError
            XCTAssertEqual(e?.kind, .configuration)
            XCTAssertTrue(e?.message.contains("does not match") ?? false, e?.message ?? "")
        }
    }

    func testMissingFileSaysWhatToDo() {
        XCTAssertThrowsError(
            try TLSContext.server(certificateChainPath: "/nonexistent/cert.pem", privateKeyPath: Self.paths.key)
        ) { error in
            XCTAssertTrue("\(error)".contains("govmail cert dev"))
        }
    }

    func testDevelopmentCertificateIsPEM() throws {
        let c = try DevelopmentCertificate.generate(host: "mail.example.gov.vn")
        XCTAssertTrue(c.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        XCTAssertTrue(c.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }
}

/// Session tickets under the process-wide rotating key ring.
final class TicketKeyRingTests: XCTestCase {
    private static let paths = TestCertificateFiles.paths

    private func serverContext() throws -> TLSContext {
        try TLSContext.server(certificateChainPath: Self.paths.cert, privateKeyPath: Self.paths.key)
    }

    /// Client sessions kept alive: OpenSSL marks a session not resumable when its connection is
    /// freed without a shutdown.
    private var clients: [TLSSession] = []

    /// One handshake to completion; whether the server resumed, and the client's session to offer next.
    private func handshake(_ server: TLSContext, _ client: TLSContext, resuming: TLSSavedSession? = nil) throws -> (
        resumed: Bool, saved: TLSSavedSession?
    ) {
        let c = try TLSSession(context: client, serverName: "mail.test", resuming: resuming)
        let s = try TLSSession(context: server)
        var toServer = c.startHandshake().ciphertext
        for _ in 0..<20 {
            if toServer.isEmpty { break }
            let out = s.receive(toServer)
            XCTAssertNil(out.failure)
            if out.ciphertext.isEmpty { break }
            toServer = c.receive(out.ciphertext).ciphertext
        }
        XCTAssertTrue(s.isHandshakeComplete)
        clients.append(c)
        return (s.isResumed, c.savedSession())
    }

    func testTicketsSurviveAReloadAndOneRotationButNotTwo() throws {
        // Each ticket is offered once, as clients do with TLS 1.3 tickets.
        let client = try TLSContext.client(verifyPeer: false)
        let first = try handshake(try serverContext(), client)
        XCTAssertFalse(first.resumed)
        // A certificate reload builds a new context: the ticket still resumes.
        let reloaded = try handshake(try serverContext(), client, resuming: try XCTUnwrap(first.saved))
        XCTAssertTrue(reloaded.resumed)
        // After one rotation the previous key still decrypts (and the ticket is renewed)...
        TicketKeyRing.shared.rotate()
        let rotated = try handshake(try serverContext(), client, resuming: try XCTUnwrap(reloaded.saved))
        XCTAssertTrue(rotated.resumed)
        // ...two rotations later that key is gone: a full handshake, which still succeeds.
        TicketKeyRing.shared.rotate()
        TicketKeyRing.shared.rotate()
        let late = try handshake(try serverContext(), client, resuming: try XCTUnwrap(rotated.saved))
        XCTAssertFalse(late.resumed)
        XCTAssertNotNil(late.saved)
    }
}
