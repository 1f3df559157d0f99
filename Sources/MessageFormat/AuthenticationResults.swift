/// Authentication-Results header fields (RFC 8601): recognising the ones that claim to come from
/// this server, so a client cannot forge them (§5), and writing this server's own.
public enum AuthenticationResults {
    public static let fieldName = "Authentication-Results"

    // authres-header-field = "Authentication-Results:" authserv-id [ CFWS authres-version ]
    //                        ( no-result / 1*resinfo ) CRLF
    // authserv-id = value   ; token or quoted-string (RFC 2045 §5.1)    — RFC 8601 §2.2
    /// The authserv-id of a field value, lowercased and without a trailing dot; nil when empty.
    public static func authservID(_ value: [UInt8]) -> String? {
        var i = 0
        MIMEValueParser.skipBlanksAndComments(value, &i)
        var id: [UInt8] = []
        if i < value.count && value[i] == Ascii.quote {
            id = MIMEValueParser.quotedString(value, &i)
        } else {
            while i < value.count, !Ascii.isWhitespace(value[i]), value[i] != Ascii.semicolon,
                value[i] != Ascii.openParen
            {
                id.append(value[i])
                i += 1
            }
        }
        while id.last == UInt8(ascii: ".") { id.removeLast() }
        return id.isEmpty ? nil : Ascii.lowercased(id)
    }

    /// `message` without the top-level Authentication-Results fields whose authserv-id is
    /// `authservID` (case and a trailing dot ignored); other fields and the body are untouched.
    public static func removingFields(of ourID: String, from message: [UInt8]) -> [UInt8] {
        var ours = Ascii.lowercased(ourID.utf8)
        while ours.hasSuffix(".") { ours.removeLast() }
        let (header, _) = MessageParser.parseHeader(message)
        let forged = header.all(fieldName).filter { authservID($0.unfoldedValueBytes) == ours }
        guard !forged.isEmpty else { return message }
        var out: [UInt8] = []
        out.reserveCapacity(message.count)
        var at = 0
        for field in forged {
            out += message[at..<field.range.lowerBound]
            at = field.range.upperBound
        }
        out += message[at...]
        return out
    }

    /// One result for a field: `method=result (reason) ptype.property=value …` (RFC 8601 §2.2).
    public struct Result: Sendable, Equatable {
        public var method: String
        public var result: String
        /// Free text shown as a comment; parentheses, backslashes and control characters are dropped.
        public var reason: String?
        /// e.g. ("header.from", "alice@example.gov.vn").
        public var properties: [(String, String)]

        public init(method: String, result: String, reason: String? = nil, properties: [(String, String)] = []) {
            self.method = method
            self.result = result
            self.reason = reason
            self.properties = properties
        }

        public static func == (a: Result, b: Result) -> Bool {
            a.method == b.method && a.result == b.result && a.reason == b.reason
                && a.properties.elementsEqual(b.properties, by: { $0 == $1 })
        }
    }

    /// The whole field, folded after the authserv-id, CRLF at the end:
    /// `Authentication-Results: host;\r\n\tsmime=pass header.from=alice@example.gov.vn\r\n`.
    public static func field(authservID: String, _ result: Result) -> String {
        var line = "\(result.method)=\(result.result)"
        if let reason = result.reason {
            let text = reason.unicodeScalars.filter {
                $0.value >= 0x20 && $0.value != 0x7F && !"()\\".unicodeScalars.contains($0)
            }
            if !text.isEmpty { line += " (\(String(String.UnicodeScalarView(text))))" }
        }
        for (name, value) in result.properties { line += " \(name)=\(pvalue(value))" }
        return "\(fieldName): \(authservID);\r\n\t\(line)\r\n"
    }

    // pvalue = [CFWS] ( value / [ [ local-part ] "@" ] domain-name ) [CFWS]    — RFC 8601 §2.2
    /// An address as a pvalue: as is when it is a plain dot-atom address (UTF-8 allowed, RFC 6532),
    /// otherwise as a quoted string.
    static func pvalue(_ s: String) -> String {
        let special = Set("()<>[]:;\\,\" \t\r\n".unicodeScalars)
        let plain =
            !s.isEmpty && s.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !special.contains($0) }
        if plain { return s }
        let escaped = s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map { c -> String in
            c == "\"" || c == "\\" ? "\\\(c)" : String(c)
        }
        return "\"" + escaped.joined() + "\""
    }
}
