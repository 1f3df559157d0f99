import GovMailTestSupport
import MailCore
import SMTPProtocol
import XCTest

final class SMTPClientSessionTests: XCTestCase {
    private let alice = try! EmailAddress("alice@gov.vn")
    private let x = try! EmailAddress("x@example.com")
    private let y = try! EmailAddress("y@example.com")

    /// Drives a client through a scripted smarthost; returns the lines sent (log text) and the outcome.
    private func run(
        _ config: SMTPClientConfiguration, recipients: [EmailAddress], message: String = "Subject: t\r\n\r\n.hi\r\n",
        server: [String: String], tlsWorks: Bool = true
    )
        -> (sent: [String], outcome: [(EmailAddress, RelayRecipientOutcome)]?, rawSent: [UInt8])
    {
        var client = SMTPClientSession(
            configuration: config,
            envelope: RelayEnvelope(sender: alice, recipients: recipients, message: Array(message.utf8)))
        var sent: [String] = []
        var raw: [UInt8] = []
        var outcome: [(EmailAddress, RelayRecipientOutcome)]?
        var events: [SMTPClientEvent] = [
            .connected, .received(Array((server["greeting"] ?? "220 relay ESMTP\r\n").utf8)),
        ]
        var steps = 0
        while !events.isEmpty && steps < 100 {
            steps += 1
            for action in client.receive(events.removeFirst()) {
                switch action {
                case .send(let bytes, let log):
                    sent.append(log)
                    raw += bytes
                    let key = log.hasPrefix("<message") ? "." : log.split(separator: " ").first.map(String.init) ?? log
                    let answer = server[log] ?? server[key] ?? "250 2.0.0 ok\r\n"
                    events.append(.received(Array(answer.utf8)))
                case .startTLS: events.append(tlsWorks ? .tlsStarted(version: "TLSv1.3") : .connectionClosed)
                case .close: break
                case .finished(let results): outcome = results
                }
            }
        }
        return (sent, outcome, raw)
    }

    private let ehloWithTLS = "250-relay\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"

    func testRequiredTLSThenAuthPlainThenPerRecipientResults() {
        let config = SMTPClientConfiguration(
            heloName: "mx.gov.vn", tls: .required, username: "relayuser", password: Secret("pw"))
        let r = run(
            config, recipients: [x, y],
            server: [
                "EHLO": ehloWithTLS, "STARTTLS": "220 2.0.0 go\r\n", "AUTH": "235 2.7.0 ok\r\n",
                "RCPT TO:<y@example.com>": "550 5.1.1 no such user\r\n", "DATA": "354 go\r\n",
                ".": "250 2.0.0 queued\r\n",
                "QUIT": "221 bye\r\n",
            ])
        XCTAssertEqual(
            r.sent,
            [
                "EHLO mx.gov.vn", "STARTTLS", "EHLO mx.gov.vn", "AUTH PLAIN <redacted>",
                "MAIL FROM:<alice@gov.vn> SIZE=19", "RCPT TO:<x@example.com>", "RCPT TO:<y@example.com>",
                "DATA", "<message, 19 bytes>", "QUIT",
            ])
        XCTAssertEqual(r.outcome?.map(\.0), [x, y])
        XCTAssertEqual(r.outcome?[0].1, .delivered(SMTPReply(250, "2.0.0", "queued")))
        XCTAssertEqual(r.outcome?[1].1, .permanentFailure(SMTPReply(550, "5.1.1", "no such user")))
        let wire = String(decoding: r.rawSent, as: UTF8.self)
        XCTAssertTrue(wire.contains("AUTH PLAIN AHJlbGF5dXNlcgBwdw==\r\n"))
        XCTAssertTrue(wire.contains("Subject: t\r\n\r\n..hi\r\n.\r\n"), "the message is dot-stuffed")
    }

    func testRequiredTLSWithoutSTARTTLSSendsNothingAndRetriesLater() {
        let config = SMTPClientConfiguration(heloName: "mx.gov.vn", tls: .required)
        let r = run(config, recipients: [x], server: ["EHLO": "250-relay\r\n250 SIZE 1000\r\n"])
        XCTAssertEqual(r.sent, ["EHLO mx.gov.vn"])
        guard case .transientFailure(let reply)? = r.outcome?.first?.1 else {
            return XCTFail("\(String(describing: r.outcome))")
        }
        XCTAssertEqual(reply.enhancedCode, "4.7.0")
    }

    func testOpportunisticTLSFallsBackToPlaintextButNeverSendsThePasswordInClear() {
        let plain = SMTPClientConfiguration(heloName: "h", tls: .opportunistic)
        let r = run(plain, recipients: [x], server: ["EHLO": "250 relay\r\n", "DATA": "354 go\r\n"])
        XCTAssertEqual(
            r.sent,
            [
                "EHLO h", "MAIL FROM:<alice@gov.vn>", "RCPT TO:<x@example.com>", "DATA",
                "<message, 19 bytes>", "QUIT",
            ])
        XCTAssertEqual(r.outcome?.first?.1, .delivered(SMTPReply(250, "2.0.0", "ok")))

        let withAuth = SMTPClientConfiguration(heloName: "h", tls: .opportunistic, username: "u", password: Secret("p"))
        let s = run(withAuth, recipients: [x], server: ["EHLO": "250-relay\r\n250 AUTH PLAIN\r\n"])
        XCTAssertEqual(s.sent, ["EHLO h"])
        guard case .transientFailure? = s.outcome?.first?.1 else { return XCTFail() }
    }

    func testAuthLoginTwoSteps() {
        let config = SMTPClientConfiguration(heloName: "h", tls: .required, username: "u", password: Secret("p"))
        let r = run(
            config, recipients: [x],
            server: [
                "EHLO": "250-relay\r\n250-STARTTLS\r\n250 AUTH LOGIN\r\n", "STARTTLS": "220 go\r\n",
                "AUTH LOGIN": "334 VXNlcm5hbWU6\r\n", "<redacted>": "334 UGFzc3dvcmQ6\r\n", "DATA": "354 go\r\n",
            ])
        XCTAssertEqual(
            Array(r.sent.prefix(6)), ["EHLO h", "STARTTLS", "EHLO h", "AUTH LOGIN", "<redacted>", "<redacted>"])
        XCTAssertFalse(r.sent.joined().contains("cA=="), "no password in log text")
    }

    func testAuthFailureAndSenderRefusal() {
        let config = SMTPClientConfiguration(heloName: "h", tls: .required, username: "u", password: Secret("p"))
        let auth = run(
            config, recipients: [x],
            server: [
                "EHLO": ehloWithTLS, "STARTTLS": "220 go\r\n",
                "AUTH": "535 5.7.8 bad credentials\r\n",
            ])
        guard case .transientFailure? = auth.outcome?.first?.1 else {
            return XCTFail("a wrong relay password must not bounce mail")
        }

        let plain = SMTPClientConfiguration(heloName: "h", tls: .opportunistic)
        let refused = run(
            plain, recipients: [x, y], server: ["EHLO": "250 relay\r\n", "MAIL": "553 5.7.1 sender refused\r\n"])
        XCTAssertEqual(
            refused.outcome?.map(\.1),
            [
                .permanentFailure(SMTPReply(553, "5.7.1", "sender refused")),
                .permanentFailure(SMTPReply(553, "5.7.1", "sender refused")),
            ])
    }

    func testTransientDataReplyAndNoAcceptedRecipients() {
        let plain = SMTPClientConfiguration(heloName: "h", tls: .opportunistic)
        let later = run(
            plain, recipients: [x],
            server: ["EHLO": "250 relay\r\n", "DATA": "354 go\r\n", ".": "451 4.3.0 try later\r\n"])
        XCTAssertEqual(later.outcome?.first?.1, .transientFailure(SMTPReply(451, "4.3.0", "try later")))

        let none = run(plain, recipients: [x], server: ["EHLO": "250 relay\r\n", "RCPT": "450 4.2.1 busy\r\n"])
        XCTAssertEqual(none.sent.last, "QUIT")
        XCTAssertFalse(none.sent.contains("DATA"))
        XCTAssertEqual(none.outcome?.first?.1, .transientFailure(SMTPReply(450, "4.2.1", "busy")))
    }

    func testLostConnectionAndFailedHandshakeAreTransient() {
        let config = SMTPClientConfiguration(heloName: "h", tls: .required)
        let r = run(config, recipients: [x], server: ["EHLO": ehloWithTLS, "STARTTLS": "220 go\r\n"], tlsWorks: false)
        guard case .transientFailure(let reply)? = r.outcome?.first?.1 else { return XCTFail() }
        XCTAssertEqual(reply.code, 451)

        var client = SMTPClientSession(
            configuration: config, envelope: RelayEnvelope(sender: nil, recipients: [x], message: []))
        _ = client.receive(.connected)
        let actions = client.receive(.timeout)
        XCTAssertEqual(actions.count, 2)
        XCTAssertEqual(actions.last, .close)
        XCTAssertTrue(client.isFinished)
        XCTAssertEqual(client.receive(.connectionClosed), [], "finished is emitted once")
    }

    func testReplyParser() throws {
        var q = ByteQueue(Array("250-relay greets\r\n250-PIPELINING\r\n250 SIZE 10\r\n220".utf8))
        XCTAssertEqual(try SMTPReplyParser.parse(&q), SMTPReply(250, nil, ["relay greets", "PIPELINING", "SIZE 10"]))
        XCTAssertNil(try SMTPReplyParser.parse(&q))
        XCTAssertEqual(q.count, 3, "an incomplete reply consumes nothing")
        q.append(Array(" 2.0.0 Ready\r\n".utf8))
        XCTAssertEqual(try SMTPReplyParser.parse(&q), SMTPReply(220, "2.0.0", "Ready"))
        var partial = ByteQueue(Array("250-a\r\n250".utf8))
        XCTAssertNil(try SMTPReplyParser.parse(&partial))
        XCTAssertEqual(partial.count, 10)
        for bad in ["25x ok\r\n", "250-a\r\n251 b\r\n", "2\r\n", "250x\r\n"] {
            var b = ByteQueue(Array(bad.utf8))
            XCTAssertThrowsError(try SMTPReplyParser.parse(&b), bad)
        }
        var long = ByteQueue([UInt8](repeating: 65, count: 100))
        XCTAssertThrowsError(try SMTPReplyParser.parse(&long, lineLimit: 50))
        var wrongClass = ByteQueue(Array("550 2.0.0 odd\r\n".utf8))
        XCTAssertEqual(try SMTPReplyParser.parse(&wrongClass), SMTPReply(550, nil, "2.0.0 odd"))
    }

    func testDSNIsAMultipartReportWithHeadersOnly() {
        let original = Array("From: alice@gov.vn\r\nSubject: budget\r\n\r\nSECRET BODY\r\n".utf8)
        let dsn = DeliveryStatusNotification.build(
            reportingHost: "mx.gov.vn", originalSender: alice, originalMessage: original,
            failed: [
                DSNRecipient(address: x, status: "5.1.1", diagnostic: "550 5.1.1 no such user"),
                DSNRecipient(address: y, status: "4.4.7", diagnostic: nil),
            ],
            arrival: 0, now: 86_400, messageID: "dsn.1@mx.gov.vn")
        let text = String(decoding: dsn, as: UTF8.self)
        XCTAssertFalse(text.contains("SECRET BODY"), "a bounce never quotes the body")
        XCTAssertTrue(text.contains("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\""))
        XCTAssertTrue(
            text.contains(
                "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.gov.vn\r\nArrival-Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n"
            ))
        XCTAssertTrue(
            text.contains(
                "Final-Recipient: rfc822; x@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
            ))
        XCTAssertTrue(
            text.contains("Final-Recipient: rfc822; y@example.com\r\nAction: failed\r\nStatus: 4.4.7\r\n\r\n"))
        XCTAssertTrue(
            text.contains("Content-Type: text/rfc822-headers\r\n\r\nFrom: alice@gov.vn\r\nSubject: budget\r\n\r\n--"))
        XCTAssertTrue(text.hasPrefix("From: Mail Delivery System <MAILER-DAEMON@mx.gov.vn>\r\nTo: <alice@gov.vn>\r\n"))
        XCTAssertTrue(text.hasSuffix("--\r\n"))
        XCTAssertFalse(SMTPServerSessionTestsHelpers.hasBareLineEnding(dsn))
        XCTAssertEqual(HeaderSection(dsn).values("Auto-Submitted"), ["auto-replied"])
    }
}

enum SMTPServerSessionTestsHelpers {
    static func hasBareLineEnding(_ b: [UInt8]) -> Bool {
        for i in b.indices {
            if b[i] == 13 && (i + 1 == b.count || b[i + 1] != 10) { return true }
            if b[i] == 10 && (i == 0 || b[i - 1] != 13) { return true }
        }
        return false
    }
}
