import Foundation
import GovMailConfig
import GovMailTestSupport
import Logging
import MailCore
@testable import Relay
import SMTPProtocol
import XCTest
@testable import GovMailServer

/// The smarthost client against a real socket: an in-process sink on 127.0.0.1.
final class RelaySmarthostClientTests: XCTestCase {
    private let message = Array("From: an@so.gov.vn\r\nSubject: x\r\n\r\n.leading dot\r\nbody\r\n".utf8)

    private func client(
        port: Int, tls: Config.RelayTLS, verify: Bool = false, username: String = "",
        timeout: Double = 10, caFile: String = ""
    ) -> SmarthostClient {
        var c = Config()
        c.hostname = "mail.so.gov.vn"
        c.smtp.relay.host = "127.0.0.1"
        c.smtp.relay.port = port
        c.smtp.relay.tls = tls
        c.smtp.relay.verifyCertificate = verify
        c.smtp.relay.caFile = caFile
        c.smtp.relay.username = username
        c.smtp.relay.password = Secret(username.isEmpty ? "" : "relay-s3cret")
        return SmarthostClient(config: c, timeout: timeout, logger: Logger(label: "test.smarthost"))
    }

    private func envelope(_ recipients: [String]) throws -> RelayEnvelope {
        RelayEnvelope(
            sender: try EmailAddress("an@so.gov.vn"), recipients: try recipients.map(EmailAddress.init),
            message: message)
    }

    func testPlaintextOpportunisticDeliversWithEnvelopeAndDotStuffing() throws {
        let sink = try RelayTestSink()
        let outcomes = client(port: sink.port, tls: .opportunistic).deliver(
            try envelope(["b@example.com"]), itemID: "t1")
        sink.wait()
        XCTAssertEqual(outcomes.map(\.1), [.delivered(SMTPReply(250, "2.0.0", "Ok: queued as SINK1"))])
        XCTAssertEqual(
            sink.commands.map(\.line),
            [
                "EHLO mail.so.gov.vn", "MAIL FROM:<an@so.gov.vn> SIZE=\(message.count)",
                "RCPT TO:<b@example.com>", "DATA", "QUIT",
            ])
        XCTAssertEqual(
            String(decoding: sink.data, as: UTF8.self),
            "From: an@so.gov.vn\r\nSubject: x\r\n\r\n..leading dot\r\nbody\r\n")
    }

    func testStartTLSRequiredWithAuthSendsCredentialsOnlyOverTLS() throws {
        let dir = TemporaryDirectory()
        let sink = try RelayTestSink(tls: try RelayTestSink.tlsContext(host: "localhost", in: dir))
        let outcomes = client(port: sink.port, tls: .required, username: "govmail").deliver(
            try envelope(["b@example.com"]), itemID: "t2")
        sink.wait()
        XCTAssertEqual(outcomes.count, 1)
        guard case .delivered = outcomes[0].1 else { return XCTFail("not delivered: \(outcomes)") }
        let commands = sink.commands
        XCTAssertEqual(commands.filter { !$0.overTLS }.map(\.line), ["EHLO mail.so.gov.vn", "STARTTLS"])
        XCTAssertEqual(commands.first { $0.line.hasPrefix("AUTH") }?.overTLS, true)
        XCTAssertTrue(commands.contains { $0.line.hasPrefix("MAIL FROM:<an@so.gov.vn>") && $0.overTLS })
        XCTAssertEqual(sink.data.count, message.count + 1, "one dot added by stuffing")
    }

    func testSelfSignedCertificateIsRefusedWhenVerifying() throws {
        let dir = TemporaryDirectory()
        let sink = try RelayTestSink(tls: try RelayTestSink.tlsContext(host: "localhost", in: dir))
        let outcomes = client(port: sink.port, tls: .required, verify: true).deliver(
            try envelope(["b@example.com"]), itemID: "t3")
        sink.wait()
        guard case .transientFailure(let reply) = outcomes.first?.1 else {
            return XCTFail("expected a retry: \(outcomes)")
        }
        XCTAssertTrue(reply.lines.joined().contains("certificate verify failed"), "\(reply)")
        XCTAssertFalse(sink.commands.contains { $0.line.hasPrefix("MAIL") }, "nothing sent without a verified TLS")
    }

    func testCertificateTrustedThroughTheConfiguredCAFileIsAccepted() throws {
        let dir = TemporaryDirectory()
        let sink = try RelayTestSink(tls: try RelayTestSink.tlsContext(host: "localhost", in: dir))
        let outcomes = client(port: sink.port, tls: .required, verify: true, caFile: dir.file("sink-cert.pem")).deliver(
            try envelope(["b@example.com"]), itemID: "t3b")
        sink.wait()
        guard case .delivered = outcomes.first?.1 else { return XCTFail("expected delivery: \(outcomes)") }
        XCTAssertTrue(sink.commands.contains { $0.line.hasPrefix("MAIL") && $0.overTLS })
    }

    func testRequiredTLSWithoutStartTLSSendsNothing() throws {
        let sink = try RelayTestSink()
        let outcomes = client(port: sink.port, tls: .required).deliver(try envelope(["b@example.com"]), itemID: "t4")
        sink.wait()
        guard case .transientFailure(let reply) = outcomes.first?.1 else {
            return XCTFail("expected a retry: \(outcomes)")
        }
        XCTAssertEqual(reply.code, 454)
        XCTAssertFalse(sink.commands.contains { $0.line.hasPrefix("MAIL") })
    }

    func testPerRecipientRefusals() throws {
        let sink = try RelayTestSink(rcptReply: { $0.contains("nobody") ? "550 5.1.1 No such user" : "250 2.1.5 Ok" })
        let outcomes = client(port: sink.port, tls: .opportunistic).deliver(
            try envelope(["nobody@example.com", "b@example.com"]),
            itemID: "t5")
        sink.wait()
        XCTAssertEqual(
            outcomes.map(\.1),
            [
                .permanentFailure(SMTPReply(550, "5.1.1", "No such user")),
                .delivered(SMTPReply(250, "2.0.0", "Ok: queued as SINK1")),
            ])
    }

    func testNothingListeningIsATransientFailure() throws {
        let sink = try RelayTestSink(greet: false)
        let port = sink.port
        // Connect once so the sink's accept returns, then nobody listens on the port any more.
        _ = client(port: port, tls: .opportunistic, timeout: 1).deliver(try envelope(["b@example.com"]), itemID: "t6a")
        sink.wait()
        let outcomes = client(port: port, tls: .opportunistic, timeout: 5).deliver(
            try envelope(["b@example.com"]), itemID: "t6")
        guard case .transientFailure(let reply) = outcomes.first?.1 else {
            return XCTFail("expected a retry: \(outcomes)")
        }
        XCTAssertEqual(reply.enhancedCode, "4.4.1")
        XCTAssertTrue(reply.lines.joined().contains("Cannot reach the smarthost"), "\(reply)")
    }

    func testSilentSmarthostTimesOut() throws {
        let sink = try RelayTestSink(greet: false)
        let outcomes = client(port: sink.port, tls: .opportunistic, timeout: 1).deliver(
            try envelope(["b@example.com"]), itemID: "t7")
        sink.wait()
        guard case .transientFailure(let reply) = outcomes.first?.1 else {
            return XCTFail("expected a retry: \(outcomes)")
        }
        XCTAssertTrue(reply.lines.joined().contains("did not answer in time"), "\(reply)")
    }
}

/// Collects every log line (message and metadata) at trace level.
final class CollectingLogHandler: LogHandler, @unchecked Sendable {
    final class Box: @unchecked Sendable {
        let lock = NSLock()
        var lines: [String] = []
        var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
    }
    let box: Box
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    init(_ box: Box) { self.box = box }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        box.lock.lock()
        box.lines.append("\(event.message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        box.lock.unlock()
    }
}

final class RelayTraceRedactionTests: XCTestCase {
    func testTraceLogHasTheDialogButNoPasswordOrMessageText() throws {
        let dir = TemporaryDirectory()
        let sink = try RelayTestSink(tls: try RelayTestSink.tlsContext(host: "localhost", in: dir))
        let box = CollectingLogHandler.Box()
        var c = Config()
        c.smtp.relay.host = "127.0.0.1"
        c.smtp.relay.port = sink.port
        c.smtp.relay.verifyCertificate = false
        c.smtp.relay.username = "govmail"
        c.smtp.relay.password = Secret("relay-s3cret")
        let client = SmarthostClient(
            config: c, timeout: 10, logger: Logger(label: "t") { _ in CollectingLogHandler(box) })
        let message = Array("Subject: x\r\n\r\nTUYỆT MẬT body\r\n".utf8)
        let outcomes = client.deliver(
            RelayEnvelope(
                sender: try EmailAddress("an@so.gov.vn"), recipients: [try EmailAddress("b@example.com")],
                message: message), itemID: "t8")
        sink.wait()
        guard case .delivered = outcomes.first?.1 else { return XCTFail("not delivered: \(outcomes)") }
        let log = box.text
        XCTAssertTrue(log.contains("RCPT TO:<b@example.com>"), log)
        XCTAssertTrue(log.contains("AUTH PLAIN <redacted>"), log)
        XCTAssertFalse(log.contains("relay-s3cret"))
        XCTAssertFalse(log.contains(Base64.encode([0] + Array("govmail".utf8) + [0] + Array("relay-s3cret".utf8))))
        XCTAssertFalse(log.contains("TUYỆT MẬT"))
    }
}
