import GovMailConfig
import Logging
import MailCore
import SMTPProtocol
import TLSEngine

/// Hands one message to the next hop and reports every recipient's outcome; the runner calls it
/// on its own relay pool (it may block). Tests substitute a scripted transport.
public protocol RelayTransport: Sendable {
    func deliver(_ envelope: RelayEnvelope, itemID: String) -> [(EmailAddress, RelayRecipientOutcome)]
}

/// The configured smarthost (`smtp.relay`): runs `SMTPClientSession` over a blocking socket,
/// with STARTTLS through a memory-BIO `TLSSession` (RFC 3207) and AUTH only after TLS (RFC 4954).
///
/// Certificate checking follows `smtp.relay.verify_certificate`: the chain is checked against the
/// system CAs (the host name is sent as SNI). The protocol trace is logged at trace level with
/// the session's redacted log text: no AUTH data, no message text.
public struct SmarthostClient: RelayTransport {
    public let host: String
    public let port: Int
    public let configuration: SMTPClientConfiguration
    /// Seconds for connecting and for each read or write (RFC 5321 §4.5.3.2 suggests minutes; one bound keeps it simple).
    public let timeout: Double
    private let tlsContext: TLSContext?
    private let tlsProblem: String?
    private let logger: Logger

    public init(config: Config, timeout: Double = 120, logger: Logger) {
        let relay = config.smtp.relay
        host = relay.host
        port = relay.port
        configuration = SMTPClientConfiguration(
            heloName: config.hostname, tls: relay.tls == .required ? .required : .opportunistic,
            username: relay.username.isEmpty ? nil : relay.username,
            password: relay.username.isEmpty ? nil : relay.password)
        self.timeout = timeout
        self.logger = logger
        do {
            tlsContext = try TLSContext.client(
                verifyPeer: relay.verifyCertificate,
                caFile: relay.caFile.isEmpty ? nil : config.resolve(relay.caFile))
            tlsProblem = nil
        } catch {
            tlsContext = nil
            tlsProblem = "\(error)"
        }
    }

    public func deliver(_ envelope: RelayEnvelope, itemID: String) -> [(EmailAddress, RelayRecipientOutcome)] {
        let socket: RelaySocket
        do {
            socket = try RelaySocket.connect(host: host, port: port, timeout: timeout)
        } catch {
            let reply = SMTPReply(451, "4.4.1", "Cannot reach the smarthost: \(error.description)")
            return envelope.recipients.map { ($0, .transientFailure(reply)) }
        }
        defer { socket.close() }
        var session = SMTPClientSession(configuration: configuration, envelope: envelope)
        var tls: TLSSession?
        var problem: String?
        var result: [(EmailAddress, RelayRecipientOutcome)]?
        var closed = false
        var actions = session.receive(.connected)
        while true {
            var next: [SMTPClientAction] = []
            for action in actions {
                switch action {
                case .send(let bytes, let logText):
                    logger.trace("relay >", metadata: ["item": "\(itemID)", "line": "\(logText)"])
                    do {
                        try socket.write(try tls.map { try $0.send(bytes) } ?? bytes)
                    } catch {
                        problem = problem ?? "\(error)"
                        next += session.receive(.connectionClosed)
                    }
                case .startTLS:
                    do {
                        let established = try handshake(on: socket)
                        tls = established
                        next += session.receive(.tlsStarted(version: established.protocolVersion ?? "TLS"))
                    } catch {
                        problem = "TLS with the smarthost failed: \(error)"
                        next += session.receive(.connectionClosed)
                    }
                case .close:
                    if let tls { try? socket.write(tls.close()) }
                    socket.close()
                    closed = true
                case .finished(let outcomes):
                    result = outcomes
                }
            }
            actions = next
            if !actions.isEmpty { continue }
            if session.isFinished || closed { break }
            do {
                guard let bytes = try socket.read() else {
                    problem = problem ?? "the smarthost closed the connection"
                    actions = session.receive(.connectionClosed)
                    continue
                }
                guard let tls else {
                    actions = session.receive(.received(bytes))
                    continue
                }
                let out = tls.receive(bytes)
                if !out.ciphertext.isEmpty { try socket.write(out.ciphertext) }
                actions = out.plaintext.isEmpty ? [] : session.receive(.received(out.plaintext))
                if let failure = out.failure {
                    problem = problem ?? failure.message
                    actions += session.receive(.connectionClosed)
                } else if out.peerClosed {
                    actions += session.receive(.connectionClosed)
                }
            } catch {
                // A timeout already has its own reply text from the session.
                if error.kind != .timeout { problem = problem ?? error.description }
                actions = session.receive(error.kind == .timeout ? .timeout : .connectionClosed)
            }
        }
        let outcomes =
            result
            ?? envelope.recipients.map {
                ($0, .transientFailure(SMTPReply(451, "4.4.2", "The smarthost dialog ended early")))
            }
        guard let problem else { return outcomes }
        // The session only knows "connection lost"; the transport knows why, which helps `queue list`.
        return outcomes.map { address, outcome in
            if case .transientFailure(let reply) = outcome, reply.enhancedCode == "4.4.2" {
                return (
                    address,
                    .transientFailure(SMTPReply(451, "4.4.2", "\(reply.lines.joined(separator: " ")): \(problem)"))
                )
            }
            return (address, outcome)
        }
    }

    /// Runs the client handshake to completion over the blocking socket.
    private func handshake(on socket: RelaySocket) throws -> TLSSession {
        guard let tlsContext else { throw TLSError(.configuration, tlsProblem ?? "no TLS context") }
        let isAddressLiteral = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let session = try TLSSession(context: tlsContext, serverName: isAddressLiteral ? nil : host)
        var out = session.startHandshake()
        while true {
            if !out.ciphertext.isEmpty { try socket.write(out.ciphertext) }
            if let failure = out.failure { throw failure }
            if session.isHandshakeComplete { return session }
            guard let bytes = try socket.read() else {
                throw TLSError(.unexpectedEOF, "the smarthost closed the connection during the handshake")
            }
            out = session.receive(bytes)
        }
    }
}
