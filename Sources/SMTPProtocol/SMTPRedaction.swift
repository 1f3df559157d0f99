import MailCore

// Descriptions that are safe to log: no message text, no AUTH data (STYLE.md "Secrets are a type").

extension SMTPCommand: CustomStringConvertible {
    /// The command as a log may show it; AUTH initial responses are redacted.
    public var description: String {
        switch self {
        case .ehlo(let name): return "EHLO \(name)"
        case .helo(let name): return "HELO \(name)"
        case .mail(let m): return "MAIL FROM:<\(m.reversePath?.description ?? "")>\(m.size.map { " SIZE=\($0)" } ?? "")"
        case .rcpt(let r): return "RCPT TO:<\(r.forwardPath?.description ?? "Postmaster")>"
        case .data: return "DATA"
        case .bdat(let size, let last): return "BDAT \(size)\(last ? " LAST" : "")"
        case .rset: return "RSET"
        case .noop: return "NOOP"
        case .quit: return "QUIT"
        case .vrfy: return "VRFY <redacted>"
        case .help: return "HELP"
        case .startTLS: return "STARTTLS"
        case .auth(let mechanism, let response):
            return "AUTH \(mechanism.rawValue)\(response == nil ? "" : " <redacted>")"
        }
    }
}

extension Delivery: CustomStringConvertible {
    /// Envelope and size only, never the message.
    public var description: String {
        "Delivery(\(transactionID), from <\(sender?.description ?? "")>, \(recipients.count) recipient(s), \(message.count) bytes)"
    }
}

extension RelayEnvelope: CustomStringConvertible {
    public var description: String {
        "RelayEnvelope(from <\(sender?.description ?? "")>, \(recipients.count) recipient(s), \(message.count) bytes)"
    }
}

extension SMTPServerEvent: CustomStringConvertible {
    /// Received bytes are shown as a count (they may hold AUTH data or message text).
    public var description: String {
        switch self {
        case .connected(let peer): return "connected(\(peer.sessionID), tls: \(peer.tlsVersion ?? "no"))"
        case .received(let bytes): return "received(\(bytes.count) bytes)"
        case .tlsStarted(let version): return "tlsStarted(\(version))"
        case .authenticationResult(let r): return "authenticationResult(\(r))"
        case .senderCheckResult(let r): return "senderCheckResult(\(r))"
        case .recipientCheckResult(let r): return "recipientCheckResult(\(r))"
        case .deliveryResult(let r): return "deliveryResult(\(r))"
        case .timeout: return "timeout"
        case .deadlineExpired: return "deadlineExpired"
        case .preAuthenticationExpired: return "preAuthenticationExpired"
        case .shutdown: return "shutdown"
        }
    }
}

extension SMTPClientEvent: CustomStringConvertible {
    public var description: String {
        switch self {
        case .connected: return "connected"
        case .received(let bytes): return "received(\(bytes.count) bytes)"
        case .tlsStarted(let version): return "tlsStarted(\(version))"
        case .connectionClosed: return "connectionClosed"
        case .timeout: return "timeout"
        }
    }
}

extension SMTPClientAction: CustomStringConvertible {
    public var description: String {
        switch self {
        case .send(_, let log): return "send(\(log))"
        case .startTLS: return "startTLS"
        case .close: return "close"
        case .finished(let results): return "finished(\(results.count) recipient(s))"
        }
    }
}
