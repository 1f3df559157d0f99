import MailCore

/// Frames HTTP/1.1 requests from a byte stream (RFC 9112), strictly.
///
/// `next` returns a whole request, or nil when more bytes are needed, or throws an
/// `HTTPParseError` whose status the server sends before closing. It consumes input only when it
/// returns a request (and drops empty lines before a request line, RFC 9112 §2.2); progress through
/// a partial request is remembered, so a request trickled in one byte at a time costs linear time.
/// Between calls the caller may only append to the queue.
///
/// Refused on purpose (each closes the connection, so no second request can hide in a body):
/// bare CR or LF, obsolete line folding, whitespace before a field's colon, a missing or repeated
/// Host in HTTP/1.1, Content-Length together with Transfer-Encoding, differing Content-Lengths,
/// Transfer-Encoding in HTTP/1.0, `chunked` not last or given twice (all 400); transfer codings
/// other than `chunked` (501); POST or PUT with no length at all (411).
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPLimits

    /// Bytes of the header section already checked for line endings.
    private var scanned = 0
    private var requestLineEnd: Int?
    private var head: Head?
    private var chunks = ChunkedBody()

    public init(limits: HTTPLimits = HTTPLimits()) { self.limits = limits }

    /// True while part of a request has been buffered (the caller bounds how long it may take).
    public func hasPartialRequest(_ input: ByteQueue) -> Bool { head != nil || !input.isEmpty }

    /// True once the header section of an HTTP/1.1 request with `Expect: 100-continue` and a body is
    /// in: the client waits for "100 Continue" before it sends the body (RFC 9110 §10.1.1).
    public var expectsContinue: Bool {
        guard let head, head.version == .http1_1, head.headers.tokens("Expect").contains("100-continue") else {
            return false
        }
        if case .none = head.framing { return false }
        return true
    }

    public mutating func next(_ input: inout ByteQueue) throws(HTTPParseError) -> HTTPRequest? {
        if head == nil {
            guard let end = try scanHeaderSection(&input) else { return nil }
            head = try Self.parseHead(Array(input.readable.prefix(end)), limits: limits)
        }
        guard let head else { return nil }
        let body: [UInt8]
        let total: Int
        switch head.framing {
        case .none:
            body = []
            total = head.length
        case .length(let n):
            guard input.count >= head.length + n else { return nil }
            body = Array(input.readable.dropFirst(head.length).prefix(n))
            total = head.length + n
        case .chunked:
            if chunks.cursor < head.length { chunks.cursor = head.length }
            guard let end = try chunks.advance(input, limits: limits, headerLength: head.length) else { return nil }
            body = chunks.body
            total = end
        }
        input.discard(total)
        let request = HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: head.headers, body: body)
        self = HTTPRequestParser(limits: limits)
        return request
    }

    // MARK: - header section

    /// Finds the end of the header section (the offset after CRLF CRLF), checking every line ending.
    private mutating func scanHeaderSection(_ input: inout ByteQueue) throws(HTTPParseError) -> Int? {
        if scanned == 0 {
            // RFC 9112 §2.2: ignore empty lines before the request line.
            while input.count >= 2 && input[0] == 13 && input[1] == 10 { input.discard(2) }
            if input.count == 1 && input[0] == 13 { return nil }
        }
        let limit = min(input.count, limits.headerBytes)
        var i = scanned
        while i < limit {
            let b = input[i]
            let previousIsCR = i > 0 && input[i - 1] == 13
            if b == 10 {
                guard previousIsCR else { throw .bad("a line ends with a bare LF; end every line with CRLF") }
                if requestLineEnd == nil { requestLineEnd = i + 1 }
                if i >= 3 && input[i - 2] == 10 {
                    scanned = i + 1
                    return try checkedRequestLine(end: i + 1)
                }
            } else if previousIsCR {
                throw .bad("a bare CR in the request; end every line with CRLF")
            }
            i += 1
        }
        scanned = i
        if requestLineEnd == nil && scanned >= limits.requestLineLength {
            throw HTTPParseError(.uriTooLong, "the request line is too long; shorten the address")
        }
        _ = try checkedRequestLine(end: nil)
        if input.count >= limits.headerBytes {
            throw HTTPParseError(
                .headerFieldsTooLarge, "the request headers are too large; send fewer or shorter headers")
        }
        return nil
    }

    private func checkedRequestLine(end: Int?) throws(HTTPParseError) -> Int? {
        if let requestLineEnd, requestLineEnd > limits.requestLineLength {
            throw HTTPParseError(.uriTooLong, "the request line is too long; shorten the address")
        }
        return end
    }

    private struct Head: Sendable {
        var method: String
        var target: String
        var version: HTTPVersion
        var headers: HTTPHeaders
        var length: Int
        var framing: Framing
    }

    private enum Framing: Sendable { case none, length(Int), chunked }

    // request-line = method SP request-target SP HTTP-version   — RFC 9112 §3
    // field-line   = field-name ":" OWS field-value OWS          — RFC 9112 §5
    private static func parseHead(_ bytes: [UInt8], limits: HTTPLimits) throws(HTTPParseError) -> Head {
        let lines = splitCRLF(bytes.dropLast(4))
        let requestLine = lines[0]
        let parts = requestLine.split(separator: 32, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(isTokenByte) else {
            throw .bad("the request line is not \"METHOD /path HTTP/1.1\"")
        }
        guard !parts[1].isEmpty, parts[1].allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw .bad("the request target is empty or has characters that must be percent-encoded")
        }
        let versionText = String(decoding: parts[2], as: UTF8.self)
        guard let version = HTTPVersion(rawValue: versionText) else {
            let v = Array(parts[2])
            if v.count == 8, versionText.hasPrefix("HTTP/"), isDigit(v[5]), v[6] == UInt8(ascii: "."), isDigit(v[7]) {
                throw HTTPParseError(.versionNotSupported, "only HTTP/1.1 and HTTP/1.0 are spoken here")
            }
            throw .bad("the request line does not end with an HTTP version such as HTTP/1.1")
        }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            if headers.fields.count >= limits.headerCount {
                throw HTTPParseError(
                    .headerFieldsTooLarge, "too many header fields; send at most \(limits.headerCount)")
            }
            let (name, value) = try parseField(line)
            headers.add(name, value)
        }
        let framing = try framing(
            headers, version: version, method: String(decoding: parts[0], as: UTF8.self), limits: limits)
        let hosts = headers.values("Host")
        if version == .http1_1 && hosts.count != 1 || hosts.count > 1 {
            throw .bad("an HTTP/1.1 request needs exactly one Host header")
        }
        return Head(
            method: String(decoding: parts[0], as: UTF8.self), target: String(decoding: parts[1], as: UTF8.self),
            version: version, headers: headers, length: bytes.count, framing: framing)
    }

    static func parseField(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        if let first = line.first, first == 32 || first == 9 {
            throw .bad("obsolete line folding in a header; put each header on one line")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .bad("a header line has no colon; write it as \"Name: value\"")
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .bad("a header name is empty or has spaces or other characters not allowed in a name")
        }
        let rawValue = line[(colon + 1)...]
        guard rawValue.allSatisfy({ $0 == 9 || $0 >= 32 && $0 != 127 }) else {
            throw .bad("a header value has control characters")
        }
        return (String(decoding: name, as: UTF8.self), trimOWS(Substring(decoding: rawValue, as: UTF8.self)))
    }

    /// How the body's end is known (RFC 9112 §6.3), refusing every ambiguous combination.
    private static func framing(
        _ headers: HTTPHeaders, version: HTTPVersion, method: String, limits: HTTPLimits
    ) throws(HTTPParseError) -> Framing {
        let codings = headers.tokens("Transfer-Encoding")
        let lengths = headers.values("Content-Length")
        if !headers.values("Transfer-Encoding").isEmpty {
            guard version == .http1_1 else { throw .bad("Transfer-Encoding is not allowed in HTTP/1.0") }
            guard lengths.isEmpty else {
                throw .bad("both Content-Length and Transfer-Encoding were sent; send only one")
            }
            guard codings.last == "chunked" else {
                if codings.contains("chunked") { throw .bad("chunked must be the last transfer coding") }
                throw HTTPParseError(.notImplemented, "only the chunked transfer coding is supported")
            }
            guard codings.count == 1 else {
                if codings.filter({ $0 == "chunked" }).count > 1 { throw .bad("chunked was applied twice") }
                throw HTTPParseError(.notImplemented, "only the chunked transfer coding is supported")
            }
            return .chunked
        }
        if !lengths.isEmpty {
            let values = Set(
                lengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { trimOWS($0) })
            guard values.count == 1, let text = values.first, !text.isEmpty, text.count <= 18,
                text.utf8.allSatisfy(isDigit), let n = Int(text)
            else { throw .bad("Content-Length must be one decimal number") }
            if n > limits.bodyBytes {
                throw HTTPParseError(
                    .contentTooLarge, "the request body is too large; send at most \(limits.bodyBytes) bytes")
            }
            return n == 0 ? .none : .length(n)
        }
        if method == "POST" || method == "PUT" {
            throw HTTPParseError(.lengthRequired, "a \(method) request needs a Content-Length header")
        }
        return .none
    }
}

/// Progress through a chunked body (RFC 9112 §7.1), remembered between calls.
struct ChunkedBody: Sendable {
    enum Phase: Sendable, Equatable { case size, data(Int), trailers }
    var cursor = 0
    var phase = Phase.size
    var body: [UInt8] = []
    var trailerFields = 0

    // chunked-body = *chunk last-chunk trailer-section CRLF
    // chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    /// The offset just past the body once it is complete, nil while more bytes are needed.
    mutating func advance(_ input: ByteQueue, limits: HTTPLimits, headerLength: Int) throws(HTTPParseError) -> Int? {
        while true {
            switch phase {
            case .size:
                guard let line = try nextLine(input, max: limits.chunkLineLength, what: "chunk size line") else {
                    return nil
                }
                let digits = line.prefix { hexValue($0) != nil }
                // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): ignored.
                let rest = line.dropFirst(digits.count).drop { $0 == 32 || $0 == 9 }
                guard !digits.isEmpty, digits.count <= 8, rest.isEmpty || rest.first == 59
                else { throw .bad("a chunk size is not a hexadecimal number") }
                let size = digits.reduce(0) { $0 << 4 | Int(hexValue($1)!) }
                if body.count + size > limits.bodyBytes {
                    throw HTTPParseError(
                        .contentTooLarge, "the request body is too large; send at most \(limits.bodyBytes) bytes")
                }
                phase = size == 0 ? .trailers : .data(size)
            case .data(let size):
                guard input.count >= cursor + size + 2 else { return nil }
                body += input.readable.dropFirst(cursor).prefix(size)
                guard input[cursor + size] == 13 && input[cursor + size + 1] == 10 else {
                    throw .bad("chunk data is not followed by CRLF; the chunk size is wrong")
                }
                cursor += size + 2
                phase = .size
            case .trailers:
                guard let line = try nextLine(input, max: limits.headerBytes, what: "trailer") else { return nil }
                if line.isEmpty { return cursor }
                trailerFields += 1
                if trailerFields > limits.headerCount || cursor - headerLength > limits.headerBytes {
                    throw HTTPParseError(.headerFieldsTooLarge, "the trailer section is too large")
                }
                _ = try HTTPRequestParser.parseField(line)
            }
        }
    }

    /// The next CRLF-terminated line from `cursor` (advancing past it), refusing bare CR/LF and over-long lines.
    private mutating func nextLine(_ input: ByteQueue, max: Int, what: String) throws(HTTPParseError) -> ArraySlice<
        UInt8
    >? {
        let available = input.readable.dropFirst(cursor).prefix(max)
        guard let lf = available.firstIndex(of: 10) else {
            if available.contains(13), let cr = available.firstIndex(of: 13),
                cr != available.index(before: available.endIndex)
            {
                throw .bad("a bare CR in the \(what); end every line with CRLF")
            }
            if available.count >= max { throw .bad("the \(what) is too long") }
            return nil
        }
        let line = available[available.startIndex..<lf]
        guard line.last == 13 else { throw .bad("the \(what) ends with a bare LF; end every line with CRLF") }
        let content = line.dropLast()
        if content.contains(13) { throw .bad("a bare CR in the \(what); end every line with CRLF") }
        cursor += line.count + 1
        return content
    }
}

private func splitCRLF(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var out: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var i = bytes.startIndex
    while i < bytes.endIndex {
        if bytes[i] == 13 && i + 1 < bytes.endIndex && bytes[i + 1] == 10 {
            out.append(bytes[start..<i])
            i += 2
            start = i
        } else {
            i += 1
        }
    }
    out.append(bytes[start..<bytes.endIndex])
    return out
}

// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA — RFC 9110 §5.6.2
func isTokenByte(_ b: UInt8) -> Bool {
    switch b {
    case 48...57, 65...90, 97...122: true
    case 33, 35, 36, 37, 38, 39, 42, 43, 45, 46, 94, 95, 96, 124, 126: true
    default: false
    }
}

func isDigit(_ b: UInt8) -> Bool { (48...57).contains(b) }
