/// One SMTP reply: a three-digit code, an RFC 3463 enhanced status code and text lines (RFC 5321 §4.2).
///
/// Its description is its wire form without CRLF, so test failures show what the client would see.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    /// `class.subject.detail`, e.g. `5.1.1`; nil only for the greeting and EHLO/HELO (RFC 2034 §3).
    public let enhancedCode: String?
    public let lines: [String]

    public init(_ code: Int, _ enhancedCode: String?, _ lines: [String]) {
        precondition(!lines.isEmpty, "a reply has at least one line")
        self.code = code
        self.enhancedCode = enhancedCode
        self.lines = lines
    }

    public init(_ code: Int, _ enhancedCode: String?, _ text: String) {
        self.init(code, enhancedCode, [text])
    }

    public var isPositive: Bool { code < 400 }
    public var isTransientFailure: Bool { code >= 400 && code < 500 }
    public var isPermanentFailure: Bool { code >= 500 }

    /// The reply's lines as sent, without CRLF: `250-first`, …, `250 last`.
    public var wireLines: [String] {
        lines.enumerated().map { index, text in
            let separator = index == lines.count - 1 ? " " : "-"
            let body = enhancedCode.map { "\($0) \(text)" } ?? text
            return "\(code)\(separator)\(body)"
        }
    }

    /// The reply encoded for the wire, each line ending in CRLF.
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        for line in wireLines { out.append(contentsOf: line.utf8); out.append(13); out.append(10) }
        return out
    }

    public var description: String { wireLines.joined(separator: "\\r\\n") }
}

/// An error that knows the reply the client should get; the one place errors become replies.
public protocol SMTPReplyConvertible: Error {
    var reply: SMTPReply { get }
}

/// Replies named by meaning, each with text that says what to do next (RFC 5321 §4.2, RFC 3463).
extension SMTPReply {
    public static func greeting(_ host: String) -> SMTPReply { SMTPReply(220, nil, "\(host) ESMTP GovMail ready") }
    public static func ehlo(host: String, client: String, extensions: [String]) -> SMTPReply {
        SMTPReply(250, nil, ["\(host) greets \(client)"] + extensions)
    }
    public static func helo(host: String) -> SMTPReply { SMTPReply(250, nil, host) }
    public static let ok = SMTPReply(250, "2.0.0", "Ok")
    public static let resetOK = SMTPReply(250, "2.0.0", "Ok: transaction reset")
    public static let senderOK = SMTPReply(250, "2.1.0", "Sender ok")
    public static let recipientOK = SMTPReply(250, "2.1.5", "Recipient ok")
    public static let recipientRelayOK = SMTPReply(250, "2.1.5", "Recipient ok; it will be relayed")
    public static func queued(_ id: String) -> SMTPReply { SMTPReply(250, "2.0.0", "Ok: queued as \(id)") }
    public static let bye = SMTPReply(221, "2.0.0", "Bye")
    public static let vrfyNotSupported = SMTPReply(
        252, "2.5.0", "Cannot verify the user; send the message and it will be delivered or bounced")
    public static let help = SMTPReply(
        214, "2.0.0",
        [
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH",
            "See RFC 5321; ask your mail administrator for client settings",
        ])
    public static let readyForTLS = SMTPReply(220, "2.0.0", "Ready to start TLS")
    public static let authSucceeded = SMTPReply(235, "2.7.0", "Authentication successful")
    public static let startMailInput = SMTPReply(354, nil, "End data with <CR><LF>.<CR><LF>")
    /// `334 ` continuation with a base64 challenge (RFC 4954 §4); empty for PLAIN.
    public static func authContinue(_ base64: String) -> SMTPReply { SMTPReply(334, nil, base64) }
    public static func bdatOK(_ size: Int) -> SMTPReply { SMTPReply(250, "2.0.0", "Ok: \(size) octets received") }

    // 4yz: try again later.
    public static let tooManyErrors = SMTPReply(
        421, "4.7.0", "Too many errors; closing the connection. Check your mail client's settings")
    public static let idleTimeout = SMTPReply(
        421, "4.4.2", "Idle for too long; closing the connection. Reconnect to continue")
    /// A command line, AUTH response or message transfer outlived `limits.command_timeout` (slowloris).
    public static let transferTooSlow = SMTPReply(
        421, "4.4.2", "The transfer took too long; closing the connection. Check your network and send again")
    public static let notAuthenticatedInTime = SMTPReply(
        421, "4.7.0", "Not authenticated within the time allowed; closing the connection. Reconnect and log in")
    public static let inputFlood = SMTPReply(
        421, "4.7.0", "Too much input sent without reading the replies; closing the connection")
    public static let shuttingDown = SMTPReply(421, "4.3.2", "Server is shutting down; try again in a few minutes")
    public static let localError = SMTPReply(451, "4.3.0", "Temporary server error; try again in a few minutes")
    public static let overQuota = SMTPReply(
        452, "4.2.2", "The recipient's mailbox is full; try again later or tell the recipient")
    public static let tooManyRecipients = SMTPReply(
        452, "4.5.3", "Too many recipients for one message; send the rest in another message")
    public static let authBlocked = SMTPReply(
        454, "4.7.0", "Too many failed logins; wait a few minutes and try again")
    public static let authBusy = SMTPReply(
        454, "4.7.0", "Too many logins at this moment; try again in a minute")
    public static let tlsNotAvailable = SMTPReply(454, "4.7.0", "TLS is not available right now; try again later")

    // 5yz: do not retry as is.
    public static let unknownCommand = SMTPReply(500, "5.5.1", "Unknown command; send HELP for the list")
    public static let lineTooLong = SMTPReply(500, "5.5.6", "Line too long; shorten the command")
    public static let bareLineFeed = SMTPReply(500, "5.5.2", "Command lines must end in CRLF")
    public static func syntax(_ what: String) -> SMTPReply { SMTPReply(501, "5.5.4", "Syntax error: \(what)") }
    public static func badAddress(_ what: String) -> SMTPReply {
        SMTPReply(501, "5.1.3", "Bad address syntax: \(what); write it as <name@domain>")
    }
    public static let authCancelled = SMTPReply(501, "5.7.0", "Authentication cancelled")
    public static let authNotBase64 = SMTPReply(501, "5.5.2", "The credentials are not valid base64; check your client")
    public static let authNotOnThisPort = SMTPReply(
        503, "5.5.1", "Authentication is not offered on this port; submit mail on port 587 or 465")
    public static let sendHelloFirst = SMTPReply(503, "5.5.1", "Send EHLO first")
    public static let alreadyAuthenticated = SMTPReply(503, "5.5.1", "Already authenticated")
    public static let authDuringTransaction = SMTPReply(503, "5.5.1", "Finish or RSET the mail transaction before AUTH")
    public static let nestedMail = SMTPReply(503, "5.5.1", "Sender already given; send RCPT, DATA or RSET")
    public static let needMail = SMTPReply(503, "5.5.1", "Send MAIL FROM first")
    public static let alreadyTLS = SMTPReply(503, "5.5.1", "TLS is already active")
    public static let bdatAfterData = SMTPReply(503, "5.5.1", "Do not mix DATA and BDAT in one transaction")
    public static let mechanismNotSupported = SMTPReply(
        504, "5.5.4", "Unknown authentication mechanism; use PLAIN or LOGIN")
    public static let authRequired = SMTPReply(530, "5.7.0", "Authentication required; log in with AUTH first")
    public static let startTLSFirst = SMTPReply(530, "5.7.0", "Must issue a STARTTLS command first")
    public static let authFailed = SMTPReply(
        535, "5.7.8", "Authentication failed; check the user name and password")
    public static let unknownUser = SMTPReply(550, "5.1.1", "No such user here; check the address")
    public static let relayDenied = SMTPReply(
        550, "5.7.1", "Relaying denied; this server only accepts mail for its own domains")
    public static let bareLineEndingInData = SMTPReply(
        550, "5.6.0", "Message refused: it contains a bare CR or LF; lines must end in CRLF")
    public static let noFromHeader = SMTPReply(
        550, "5.6.0", "Message refused: it has no valid From: header; add your address")
    public static let messageTooLarge = SMTPReply(
        552, "5.3.4", "Message too big for this server; send a smaller message")
    public static let tooLargeForAccount = SMTPReply(
        552, "5.2.2", "Message too big for the recipient's mailbox; send a smaller message")
    public static let senderNotAllowed = SMTPReply(
        553, "5.7.1", "You may only send as your own address or one of your aliases")
    public static let headerFromNotAllowed = SMTPReply(
        553, "5.7.1", "The From: header must be your own address or one of your aliases")
    public static let nullSenderNotAllowed = SMTPReply(
        553, "5.7.1", "An empty sender <> is not allowed for submission; use your own address")
    public static let needSMTPUTF8 = SMTPReply(
        553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter on MAIL FROM")
    public static let noValidRecipients = SMTPReply(554, "5.5.1", "No valid recipients; fix the recipient addresses")
    public static func unsupportedParameter(_ name: String) -> SMTPReply {
        SMTPReply(555, "5.5.4", "Parameter \(name) is not supported; remove it")
    }
}
