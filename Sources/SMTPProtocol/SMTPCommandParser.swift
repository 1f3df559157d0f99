import MailCore

/// Why a command line was refused; each case knows its reply.
public enum SMTPParseError: Error, Equatable, SMTPReplyConvertible {
    case unknownCommand
    case syntax(String)
    case badAddress(String)
    case unsupportedParameter(String)
    case unsupportedMechanism
    /// A line without CRLF within the limit (an abuse limit, not a syntax error).
    case lineTooLong
    /// A line ending in LF without CR.
    case bareLineFeed
    /// The client speaks HTTP (`GET /`, `POST …`): close at once, no reply.
    case httpRequest

    public var reply: SMTPReply {
        switch self {
        case .unknownCommand: return .unknownCommand
        case .syntax(let what): return .syntax(what)
        case .badAddress(let what): return .badAddress(what)
        case .unsupportedParameter(let name): return .unsupportedParameter(name)
        case .unsupportedMechanism: return .mechanismNotSupported
        case .lineTooLong: return .lineTooLong
        case .bareLineFeed: return .bareLineFeed
        case .httpRequest: return .unknownCommand
        }
    }
}

/// Splits CRLF-terminated lines off a byte queue, with a length limit.
public enum SMTPLineReader {
    /// The next line without its CRLF, consumed from `buffer`; nil (nothing consumed) when more
    /// bytes are needed. Throws `.lineTooLong` when no line end appears within `limit` bytes
    /// (nothing consumed: the caller discards through the next LF), and `.bareLineFeed` for a
    /// line ending in a lone LF (that line is consumed).
    public static func nextLine(_ buffer: inout ByteQueue, limit: Int) throws(SMTPParseError) -> [UInt8]? {
        guard let lf = buffer.firstIndex(of: 10) else {
            if buffer.count > limit { throw .lineTooLong }
            return nil
        }
        if lf + 1 > limit { throw .lineTooLong }
        if lf == 0 || buffer[lf - 1] != 13 {
            buffer.discard(lf + 1)
            throw .bareLineFeed
        }
        let line = buffer.consume(lf + 1)
        return Array(line.dropLast(2))
    }
}

/// The SMTP command parser: pure, incremental, one verb table (RFC 5321 §4.1).
public enum SMTPCommandParser {
    /// Parses the next command from `buffer`. Returns nil when more bytes are needed (nothing
    /// consumed). A complete line is consumed whether or not it parses, so the session can answer
    /// it and go on; `.lineTooLong` consumes nothing.
    public static func parse(_ buffer: inout ByteQueue, lineLimit: Int) throws(SMTPParseError) -> SMTPCommand? {
        guard let line = try SMTPLineReader.nextLine(&buffer, limit: lineLimit) else {
            if looksLikeHTTP(buffer.readable) { throw .httpRequest }
            return nil
        }
        return try parse(line: line)
    }

    /// Parses one complete command line (without CRLF).
    public static func parse(line: [UInt8]) throws(SMTPParseError) -> SMTPCommand {
        if looksLikeHTTP(line[...]) { throw .httpRequest }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw .syntax("the command is not valid UTF-8")
        }
        let (verb, rest) = splitVerb(text)
        guard let handler = verbs[verb.uppercased()] else { throw .unknownCommand }
        return try handler(rest)
    }

    /// HTTP request lines seen on SMTP ports; such a client is closed at once.
    static func looksLikeHTTP(_ bytes: ArraySlice<UInt8>) -> Bool {
        for prefix in ["GET /", "POST ", "HEAD /", "PUT /", "CONNECT ", "OPTIONS "] {
            let p = Array(prefix.utf8)
            if bytes.count >= p.count && bytes.prefix(p.count).elementsEqual(p) { return true }
        }
        return false
    }

    private static func splitVerb(_ text: String) -> (String, String) {
        guard let space = text.firstIndex(of: " ") else { return (text, "") }
        return (String(text[..<space]), String(text[text.index(after: space)...]))
    }

    /// The verb table: one line per command.
    private static let verbs: [String: @Sendable (String) throws(SMTPParseError) -> SMTPCommand] = [
        "EHLO": { a throws(SMTPParseError) in .ehlo(try parseHelloDomain(a)) },
        "HELO": { a throws(SMTPParseError) in .helo(try parseHelloDomain(a)) },
        "MAIL": { a throws(SMTPParseError) in .mail(try parseMailFrom(a)) },
        "RCPT": { a throws(SMTPParseError) in .rcpt(try parseRcptTo(a)) },
        "DATA": { a throws(SMTPParseError) in try noArguments(a, .data) },
        "BDAT": { a throws(SMTPParseError) in try parseBdat(a) },
        "RSET": { a throws(SMTPParseError) in try noArguments(a, .rset) },
        "NOOP": { _ throws(SMTPParseError) in .noop },  // NOOP [ SP String ] — the string is ignored
        "QUIT": { a throws(SMTPParseError) in try noArguments(a, .quit) },
        "VRFY": { a throws(SMTPParseError) in
            if a.isEmpty { throw .syntax("VRFY needs an argument") }
            return .vrfy(a)
        },
        "HELP": { a throws(SMTPParseError) in .help(a.isEmpty ? nil : a) },
        "STARTTLS": { a throws(SMTPParseError) in try noArguments(a, .startTLS) },
        "AUTH": { a throws(SMTPParseError) in try parseAuth(a) },
    ]

    private static func noArguments(_ rest: String, _ command: SMTPCommand) throws(SMTPParseError) -> SMTPCommand {
        guard rest.trimmingASCIIWhitespace().isEmpty else { throw .syntax("this command takes no arguments") }
        return command
    }

    // ehlo = "EHLO" SP ( Domain / address-literal ) CRLF   — RFC 5321 §4.1.1.1
    // helo = "HELO" SP Domain CRLF
    // Lenient on purpose: clients send bare hostnames and odd literals; the name is only logged.
    static func parseHelloDomain(_ rest: String) throws(SMTPParseError) -> String {
        let name = rest.trimmingASCIIWhitespace()
        guard !name.isEmpty, !name.contains(" ") else {
            throw .syntax("EHLO needs your host name, e.g. EHLO client.example.org")
        }
        guard name.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw .syntax("the host name contains control characters")
        }
        return name
    }

    // mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF   — RFC 5321 §4.1.1.2
    // Reverse-path = Path / "<>"
    // Mail-parameters = esmtp-param *(SP esmtp-param); esmtp-param = esmtp-keyword ["=" esmtp-value]
    static func parseMailFrom(_ rest: String) throws(SMTPParseError) -> MailFrom {
        let (path, params) = try splitPathArgument(rest, prefix: "FROM:")
        var result = MailFrom(reversePath: path.isEmpty ? nil : try parseMailbox(path))
        for param in params {
            let (key, value) = splitParameter(param)
            switch key {
            case "SIZE":
                guard let v = value, v.utf8.count <= 18, let n = Int(v), n >= 0 else {
                    throw .syntax("SIZE needs a number of bytes")
                }
                result.size = n
            case "BODY":
                guard let v = value, let body = MailBodyType(rawValue: v.uppercased()) else {
                    throw .syntax("BODY must be 7BIT or 8BITMIME")
                }
                result.body = body
            case "SMTPUTF8":
                guard value == nil else { throw .syntax("SMTPUTF8 takes no value") }
                result.smtpUTF8 = true
            default:
                throw .unsupportedParameter(key)
            }
        }
        return result
    }

    // rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" / Forward-path ) [SP Rcpt-parameters] CRLF
    //                                                           — RFC 5321 §4.1.1.3
    static func parseRcptTo(_ rest: String) throws(SMTPParseError) -> RcptTo {
        let (path, params) = try splitPathArgument(rest, prefix: "TO:")
        if let first = params.first { throw .unsupportedParameter(splitParameter(first).0) }
        if path.isEmpty { throw .badAddress("the recipient cannot be empty") }
        if path.lowercased() == "postmaster" { return RcptTo(forwardPath: nil) }
        return RcptTo(forwardPath: try parseMailbox(path))
    }

    // bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF; end-marker = "LAST"   — RFC 3030 §4
    static func parseBdat(_ rest: String) throws(SMTPParseError) -> SMTPCommand {
        let parts = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2, parts[0].utf8.count <= 18,
            parts[0].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let size = Int(parts[0])
        else { throw .syntax("BDAT needs a chunk size, e.g. BDAT 1000 LAST") }
        if parts.count == 2 && parts[1].uppercased() != "LAST" { throw .syntax("the only BDAT option is LAST") }
        return .bdat(size: size, last: parts.count == 2)
    }

    // auth-command = "AUTH" SP sasl-mech [SP initial-response] CRLF   — RFC 4954 §4
    // initial-response = base64 / "="
    static func parseAuth(_ rest: String) throws(SMTPParseError) -> SMTPCommand {
        let parts = rest.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 1 || parts.count == 2 else { throw .syntax("AUTH needs a mechanism, e.g. AUTH PLAIN") }
        guard let mechanism = SASLMechanism(rawValue: parts[0].uppercased()) else { throw .unsupportedMechanism }
        return .auth(mechanism: mechanism, initialResponse: parts.count == 2 ? String(parts[1]) : nil)
    }

    /// Splits `FROM:<path> params` (tolerating a space after the colon, as many clients send).
    private static func splitPathArgument(_ rest: String, prefix: String) throws(SMTPParseError) -> (
        String, [Substring]
    ) {
        guard rest.uppercased().hasPrefix(prefix) else { throw .syntax("expected \(prefix)<address>") }
        var s = Substring(rest.dropFirst(prefix.count))
        while s.first == " " { s.removeFirst() }
        guard s.first == "<", let close = s.firstIndex(of: ">") else {
            throw .badAddress("the address must be in angle brackets")
        }
        var path = s[s.index(after: s.startIndex)..<close]
        // A source route (`@a,@b:user@d`) must be accepted and ignored (RFC 5321 §4.1.2, appendix C).
        if path.first == "@", let colon = path.firstIndex(of: ":") { path = path[path.index(after: colon)...] }
        let after = s[s.index(after: close)...]
        if !after.isEmpty && after.first != " " { throw .syntax("put a space between the address and the parameters") }
        return (String(path), after.split(separator: " ", omittingEmptySubsequences: true))
    }

    private static func splitParameter(_ param: Substring) -> (String, String?) {
        guard let eq = param.firstIndex(of: "=") else { return (param.uppercased(), nil) }
        return (param[..<eq].uppercased(), String(param[param.index(after: eq)...]))
    }

    private static func parseMailbox(_ text: String) throws(SMTPParseError) -> EmailAddress {
        if text.contains("\"") { throw .badAddress("quoted local parts are not accepted") }
        do { return try EmailAddress(text) } catch {
            throw .badAddress((error as? EmailAddress.Problem)?.description ?? "not a valid address")
        }
    }
}

extension EmailAddress {
    /// True when the address needs SMTPUTF8 to travel (RFC 6531).
    public var isASCII: Bool { description.utf8.allSatisfy { $0 < 0x80 } }
}
