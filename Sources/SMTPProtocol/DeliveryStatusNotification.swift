import MailCore

/// One recipient a bounce reports (RFC 3464 §2.3).
public struct DSNRecipient: Sendable, Equatable {
    public var address: EmailAddress
    /// RFC 3463 status, e.g. `5.1.1`.
    public var status: String
    /// The remote server's reply as text, e.g. `550 5.1.1 No such user`; nil when none was received.
    public var diagnostic: String?

    public init(address: EmailAddress, status: String, diagnostic: String?) {
        self.address = address
        self.status = status
        self.diagnostic = diagnostic
    }
}

/// Builds bounce messages: multipart/report with message/delivery-status (RFC 3464, RFC 6522).
public enum DeliveryStatusNotification {
    /// A complete bounce for `originalSender`, quoting only the original headers (never the body).
    /// Send it with the null reverse path `<>` so it cannot bounce again (RFC 5321 §4.5.5).
    public static func build(
        reportingHost: String, originalSender: EmailAddress, originalMessage: [UInt8],
        failed: [DSNRecipient], arrival: Double, now: Double, messageID: String
    ) -> [UInt8] {
        let boundary =
            "=_govmail_dsn_\(messageID.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 })"
        var text = ""
        func line(_ s: String = "") { text += s + "\r\n" }
        line("From: Mail Delivery System <MAILER-DAEMON@\(reportingHost)>")
        line("To: <\(originalSender)>")
        line("Subject: Undelivered Mail Returned to Sender")
        line("Date: \(SubmissionFixes.rfc5322Date(now))")
        line("Message-ID: <\(messageID)>")
        line("Auto-Submitted: auto-replied")
        line("MIME-Version: 1.0")
        line("Content-Type: multipart/report; report-type=delivery-status;")
        line("\tboundary=\"\(boundary)\"")
        line()
        line("This is a MIME-encapsulated message.")
        line()
        line("--\(boundary)")
        line("Content-Type: text/plain; charset=utf-8")
        line("Content-Transfer-Encoding: 8bit")
        line()
        line("Your message could not be delivered to the following recipients.")
        line("Check each address and try again, or contact your mail administrator.")
        line()
        for r in failed {
            line("  <\(r.address)>: \(oneLine(r.diagnostic ?? "status \(r.status)"))")
        }
        line()
        line("--\(boundary)")
        line("Content-Type: message/delivery-status")
        line()
        line("Reporting-MTA: dns; \(reportingHost)")
        line("Arrival-Date: \(SubmissionFixes.rfc5322Date(arrival))")
        for r in failed {
            line()
            line("Final-Recipient: \(r.address.isASCII ? "rfc822" : "utf-8"); \(r.address)")
            line("Action: failed")
            line("Status: \(r.status)")
            if let d = r.diagnostic { line("Diagnostic-Code: smtp; \(oneLine(d))") }
        }
        line()
        line("--\(boundary)")
        line("Content-Type: text/rfc822-headers")
        line()
        var out = Array(text.utf8)
        out += headerBytes(of: originalMessage)
        out += Array("\r\n--\(boundary)--\r\n".utf8)
        return out
    }

    /// The header section of `message` (through its last header line, CRLF included).
    static func headerBytes(of message: [UInt8]) -> [UInt8] {
        var i = 0
        while i + 1 < message.count {
            if message[i] == 13 && message[i + 1] == 10 {
                if i == 0 { return [] }
                if i + 3 < message.count && message[i + 2] == 13 && message[i + 3] == 10 {
                    return Array(message[..<(i + 2)])
                }
            }
            i += 1
        }
        var all = message
        if !(all.count >= 2 && all[all.count - 2] == 13 && all.last == 10) { all += [13, 10] }
        return all
    }

    private static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
