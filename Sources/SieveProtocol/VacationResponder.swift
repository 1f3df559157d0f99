import MailCore
import MessageFormat

/// Whether a vacation reply may be sent (RFC 5230 §4.5, RFC 3834 §2) and the reply itself.
/// The once-per-period memory lives with the caller (it is durable state); this is the pure rule.
public enum VacationResponder {
    public enum Decision: Sendable, Equatable {
        case reply(to: EmailAddress)
        /// Why not, for the log.
        case skip(String)
    }

    /// Sender local parts that are lists or robots (RFC 5230 §4.5).
    static let robotLocalParts = ["mailer-daemon", "listserv", "majordomo", "postmaster", "noreply", "no-reply"]

    /// - Parameters:
    ///   - recipient: the account the message was delivered to.
    ///   - ownAddresses: the account's other addresses (aliases); with `:addresses` they count as "me".
    public static func decide(
        _ request: VacationRequest, message: SieveMessage, recipient: EmailAddress, ownAddresses: [EmailAddress]
    ) -> Decision {
        guard !message.envelopeFrom.isEmpty, let sender = try? EmailAddress(message.envelopeFrom) else {
            return .skip("the message has the null return path <> (or an unusable one)")
        }
        if let auto = message.headerValues("Auto-Submitted").first, auto.lowercased() != "no" {
            return .skip("the message is automatic (Auto-Submitted: \(auto))")
        }
        if let precedence = message.headerValues("Precedence").first?.lowercased(),
            ["bulk", "list", "junk"].contains(precedence)
        {
            return .skip("the message is bulk or list mail (Precedence: \(precedence))")
        }
        if let list = message.header.fields.first(where: { $0.name.lowercased().hasPrefix("list-") }) {
            return .skip("the message came through a mailing list (\(list.name))")
        }
        if let suppress = message.headerValues("X-Auto-Response-Suppress").first?.lowercased(),
            suppress.contains("all") || suppress.contains("oof")
        {
            return .skip("the sender asked for no automatic replies (X-Auto-Response-Suppress)")
        }
        let local = sender.localPart.lowercased()
        if robotLocalParts.contains(local) || local.hasPrefix("owner-") || local.hasSuffix("-request") {
            return .skip("the sender \(sender) is a list or a robot")
        }
        let mine = Set([recipient] + ownAddresses + request.addresses.compactMap { try? EmailAddress($0) })
        if mine.contains(sender) { return .skip("the message is from the account itself") }
        let named = ["To", "Cc", "Bcc", "Resent-To", "Resent-Cc"].flatMap { message.addresses($0) }
            .compactMap(\.emailAddress)
        guard named.contains(where: mine.contains) else {
            return .skip("the account's address is not in To or Cc (a list, Bcc or forwarded copy)")
        }
        return .reply(to: sender)
    }

    /// The reply message (RFC 5230 §5): `Auto-Submitted: auto-replied`, threading headers, the
    /// subject "Auto: <original>" unless :subject is given, UTF-8 text as base64 with an encoded-word subject.
    public static func compose(
        _ request: VacationRequest, message: SieveMessage, from recipient: EmailAddress, to sender: EmailAddress,
        messageID: String, date: String
    ) -> [UInt8] {
        let originalSubject = message.headerValues("Subject").first ?? ""
        let subject = request.subject ?? ("Auto: " + originalSubject)
        var lines: [String] = []
        lines.append("From: " + (request.from.flatMap(headerSafe) ?? recipient.description))
        lines.append("To: <\(sender)>")
        lines.append(HeaderEncoding.field("Subject", subject))
        lines.append("Date: \(date)")
        lines.append("Message-ID: <\(messageID)>")
        if let original = message.header.first("Message-ID")?.value.trimmingSpaces(), !original.isEmpty,
            original.count < 998
        {
            lines.append("In-Reply-To: \(original)")
            let references = message.header.first("References")?.value.trimmingSpaces() ?? ""
            lines.append(
                HeaderEncoding.foldedReferences(references.isEmpty ? original : references + " " + original))
        }
        lines.append("Auto-Submitted: auto-replied (vacation)")
        lines.append("Precedence: bulk")
        lines.append("MIME-Version: 1.0")
        var text = lines.joined(separator: "\r\n") + "\r\n"
        if request.mime {
            text += Self.mimeEntity(request.reason)
        } else {
            let body = Array(Self.crlf(request.reason).utf8)
            if body.allSatisfy({ $0 < 128 }) && !body.isEmpty {
                text += "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                text += String(decoding: body, as: UTF8.self)
            } else {
                text += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                text += Base64.encodeMIMELines(body)
            }
        }
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        return Array(text.utf8)
    }

    /// A :from value is used only when it is one address without line breaks.
    private static func headerSafe(_ from: String) -> String? {
        guard !from.contains("\r"), !from.contains("\n"), !from.isEmpty else { return nil }
        let parsed = AddressList.parse(Array(from.utf8)).flatMap(\.mailboxes)
        guard parsed.count == 1, parsed[0].emailAddress != nil else { return nil }
        return from.unicodeScalars.allSatisfy(\.isASCII) ? from : parsed[0].address
    }

    /// A `:mime` reason is a MIME entity: its header lines, a blank line, its body (RFC 5230 §4.8).
    /// Only its Content-* fields join the reply's header, so a script cannot add To, Bcc or Subject.
    static func mimeEntity(_ reason: String) -> String {
        // "\r\n" is one Character in Swift, so this splits on CRLF line ends.
        let lines = crlf(reason).split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let blank = lines.firstIndex(where: \.isEmpty) else { return "\r\n" + crlf(reason) }
        var kept: [Substring] = []
        var keeping = false
        for line in lines[..<blank] {
            if line.first == " " || line.first == "\t" {
                if keeping { kept.append(line) }
                continue
            }
            keeping = line.lowercased().hasPrefix("content-")
            if keeping { kept.append(line) }
        }
        return (kept + [""] + lines[(blank + 1)...]).joined(separator: "\r\n")
    }

    static func crlf(_ s: String) -> String {
        var out = ""
        var previousCR = false
        for u in s.unicodeScalars {
            if u == "\n" && !previousCR { out += "\r" }
            out.unicodeScalars.append(u)
            previousCR = u == "\r"
        }
        return out
    }
}
