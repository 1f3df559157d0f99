import MailCore

/// What the Received header records about how a message arrived (RFC 5321 §4.4).
public struct ReceivedInfo: Sendable, Equatable {
    /// The name the client gave in EHLO/HELO.
    public var heloName: String
    /// The client's IP address; nil leaves it out (privacy configuration).
    public var clientAddress: String?
    /// `TLSv1.3` etc.; nil when the session is not encrypted.
    public var tlsVersion: String?
    public var authenticated: Bool
    /// The host name of this server.
    public var hostname: String
    /// The session/transaction id, as in logs.
    public var id: String

    public init(
        heloName: String, clientAddress: String?, tlsVersion: String?, authenticated: Bool,
        hostname: String, id: String
    ) {
        self.heloName = heloName
        self.clientAddress = clientAddress
        self.tlsVersion = tlsVersion
        self.authenticated = authenticated
        self.hostname = hostname
        self.id = id
    }

    /// `ESMTP`, `ESMTPA`, `ESMTPS` or `ESMTPSA` (RFC 3848).
    public var protocolKeyword: String {
        "ESMTP" + (tlsVersion != nil ? "S" : "") + (authenticated ? "A" : "")
    }
}

/// Submission fixes of RFC 6409 §8, as pure functions of the message, a clock reading and names.
public enum SubmissionFixes {
    /// The message with a Received header prepended, and (when `addMissingFields`) Date and
    /// Message-ID added when missing (RFC 6409 §8.2, §8.3).
    public static func apply(
        to message: [UInt8], received: ReceivedInfo, now: Double, messageID: String,
        addMissingFields: Bool
    ) -> [UInt8] {
        var prefix = Array(receivedHeader(received, now: now).utf8)
        if addMissingFields {
            let headers = HeaderSection(message)
            if !headers.has("Date") { prefix += Array("Date: \(rfc5322Date(now))\r\n".utf8) }
            if !headers.has("Message-ID") { prefix += Array("Message-ID: <\(messageID)>\r\n".utf8) }
        }
        return prefix + message
    }

    /// `Received: from helo ([ip]) by host (GovMail) with ESMTPSA (TLSv1.3) id X; date` with CRLF.
    public static func receivedHeader(_ info: ReceivedInfo, now: Double) -> String {
        var from = "from \(sanitize(info.heloName))"
        if let ip = info.clientAddress { from += " ([\(sanitize(ip))])" }
        var with = "with \(info.protocolKeyword)"
        if let tls = info.tlsVersion { with += " (\(sanitize(tls)))" }
        return
            "Received: \(from)\r\n\tby \(info.hostname) (GovMail) \(with)\r\n\tid \(info.id); \(rfc5322Date(now))\r\n"
    }

    /// An RFC 5322 §3.3 date in UTC, e.g. `Fri, 27 Nov 2026 10:58:20 +0000`.
    public static func rfc5322Date(_ epochSeconds: Double) -> String {
        UTCDateTime(epochSeconds: epochSeconds).rfc5322
    }

    /// Client-given text placed in a header: no control characters, no line breaks.
    private static func sanitize(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.value >= 0x21 && $0.value != 0x7F }.prefix(255).map(Character.init))
    }
}

/// The header section of a message (up to the first empty line), unfolded, for lookups.
public struct HeaderSection: Sendable {
    /// (name, unfolded value) in order.
    public let fields: [(name: String, value: String)]

    public init(_ message: [UInt8]) {
        var fields: [(String, String)] = []
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < message.count {
            let b = message[i]
            if b == 10 {
                if current.last == 13 { current.removeLast() }
                if current.isEmpty { break }
                lines.append(current)
                current = []
            } else {
                current.append(b)
            }
            i += 1
        }
        var pending: [UInt8]? = nil
        func flush() {
            guard let field = pending, let colon = field.firstIndex(of: UInt8(ascii: ":")) else { return }
            let name = String(decoding: field[..<colon], as: UTF8.self).trimmingASCIIWhitespace()
            let value = String(decoding: field[(colon + 1)...], as: UTF8.self).trimmingASCIIWhitespace()
            fields.append((name, value))
        }
        for line in lines {
            if let first = line.first, first == 32 || first == 9 {
                pending = (pending ?? []) + line
            } else {
                flush()
                pending = line
            }
        }
        flush()
        self.fields = fields
    }

    public func has(_ name: String) -> Bool { fields.contains { $0.name.lowercased() == name.lowercased() } }
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }
}

/// The addresses in a message's From: header, for the "send only as yourself" check (RFC 6409 §8 policy).
public enum HeaderFrom {
    /// The mailbox addresses of every From: field, or nil when there is none or one fails to parse.
    public static func addresses(in message: [UInt8]) -> [EmailAddress]? {
        let values = HeaderSection(message).values("From")
        guard !values.isEmpty else { return nil }
        var result: [EmailAddress] = []
        for value in values {
            guard let parsed = parseAddressList(value), !parsed.isEmpty else { return nil }
            result += parsed
        }
        return result
    }

    /// Parses `mailbox-list` (RFC 5322 §3.4) leniently: display names, quotes, comments, groups.
    static func parseAddressList(_ value: String) -> [EmailAddress]? {
        var items: [String] = []
        var current = ""
        var inQuote = false, depth = 0, inAngle = false, escaped = false
        for ch in value {
            if escaped { escaped = false; if depth == 0 { current.append(ch) }; continue }
            if ch == "\\" && (inQuote || depth > 0) { escaped = true; continue }
            if depth > 0 {
                if ch == "(" { depth += 1 } else if ch == ")" { depth -= 1 }
                continue
            }
            if inQuote { if ch == "\"" { inQuote = false }; continue }
            switch ch {
            case "\"": inQuote = true
            case "(": depth = 1
            case "<": inAngle = true; current = "<"
            case ">": inAngle = false; current.append(">")
            case ":" where !inAngle: current = ""  // group name
            case ";" where !inAngle: break
            case "," where !inAngle: items.append(current); current = ""
            default: current.append(ch)
            }
        }
        if inQuote || depth > 0 || inAngle { return nil }
        items.append(current)
        var result: [EmailAddress] = []
        for item in items {
            var text = item.trimmingASCIIWhitespace()
            if text.isEmpty { continue }
            if let open = text.firstIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
                text = String(text[text.index(after: open)..<close])
            } else if text.contains(" ") {
                return nil
            }
            guard let address = try? EmailAddress(text) else { return nil }
            result.append(address)
        }
        return result
    }
}
