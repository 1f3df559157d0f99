// MessageFormat entry point. Pure Swift (no Foundation): bytes in, values out, never throws.
// Invariants: offsets in every result are positions in the bytes given to `parse`; no body byte is
// copied while parsing (only header fields are); nesting depth and part count are bounded by
// `MessageFormatLimits`; every scan is linear in the input, so hostile input cannot hang a caller.

/// Limits that keep hostile messages from costing unbounded time, memory or stack.
public struct MessageFormatLimits: Sendable, Hashable {
    /// Deepest nesting of multiparts and message/rfc822 parts parsed; deeper entities become opaque.
    public var maxNestingDepth = 20
    /// Most MIME parts parsed per message; the rest of a multipart stays in its last parsed part.
    public var maxParts = 5_000

    public init(maxNestingDepth: Int = 20, maxParts: Int = 5_000) {
        self.maxNestingDepth = maxNestingDepth
        self.maxParts = maxParts
    }
}

/// Parses message bytes into a `MessageStructure` (RFC 5322, RFC 2045, RFC 2046). Never fails: any input
/// yields a structure, malformed parts are read the way common servers read them.
public enum MessageParser {
    /// Parses a whole message.
    public static func parse(_ bytes: [UInt8], limits: MessageFormatLimits = .init()) -> MessageStructure {
        bytes.withUnsafeBufferPointer { parse(buffer: $0, limits: limits) }
    }

    /// Parses a message held in raw memory (e.g. `Data.withUnsafeBytes` or a mapped file).
    public static func parse(buffer: UnsafeRawBufferPointer, limits: MessageFormatLimits = .init()) -> MessageStructure
    {
        parse(buffer: buffer.bindMemory(to: UInt8.self), limits: limits)
    }

    /// Parses a message in a byte buffer; offsets in the result are relative to the buffer start.
    public static func parse(buffer: UnsafeBufferPointer<UInt8>, limits: MessageFormatLimits = .init())
        -> MessageStructure
    {
        var state = State(buf: buffer, limits: limits)
        return state.message(0..<buffer.count, depth: 0)
    }

    struct State {
        let buf: UnsafeBufferPointer<UInt8>
        let limits: MessageFormatLimits
        var partCount = 0

        mutating func message(_ range: Range<Int>, depth: Int) -> MessageStructure {
            let root = entity(range, depth: depth, defaultType: .textPlainDefault)
            return MessageStructure(range: range, root: root, envelope: Envelope(header: root.header))
        }

        mutating func entity(_ range: Range<Int>, depth: Int, defaultType: ContentType) -> MessagePart {
            partCount += 1
            let (header, bodyStart) = HeaderParser.parse(buf, range)
            let bodyRange = bodyStart..<range.upperBound
            var contentType =
                header.first("Content-Type").flatMap { ContentType.parse($0.unfoldedValueBytes) } ?? defaultType
            let cte =
                header.first("Content-Transfer-Encoding").map { Ascii.lowercased($0.unfoldedValueBytes) } ?? "7bit"
            var truncated = false
            var parts: [MessagePart] = []
            var encapsulated: EncapsulatedMessage? = nil

            if contentType.isMultipart {
                if let boundary = contentType.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 {
                    if depth >= limits.maxNestingDepth || partCount >= limits.maxParts {
                        truncated = true
                    } else {
                        let childDefault: ContentType =
                            contentType.subtype == "digest" ? .messageRFC822Default : .textPlainDefault
                        for r in MultipartSplitter.parts(
                            buf, bodyRange, boundary: Array(boundary.utf8),
                            maxParts: max(1, limits.maxParts - partCount))
                        {
                            parts.append(entity(r, depth: depth + 1, defaultType: childDefault))
                        }
                        if parts.isEmpty {
                            // A multipart must have a part for BODYSTRUCTURE: an empty text part at the end.
                            let end = bodyRange.upperBound
                            parts.append(
                                MessagePart(
                                    header: HeaderSection(fields: [], range: end..<end), bodyRange: end..<end,
                                    contentType: .textPlainDefault, contentTransferEncoding: "7bit",
                                    contentLanguage: [],
                                    bodyLineCount: 0, parts: [], isTruncatedByLimit: false))
                        }
                    }
                } else {
                    contentType = .textPlainDefault  // no boundary: nothing to split on, read as text
                }
            } else if contentType.isMessageRFC822 {
                if depth >= limits.maxNestingDepth || partCount >= limits.maxParts {
                    truncated = true
                } else if cte == "7bit" || cte == "8bit" || cte == "binary" {
                    encapsulated = EncapsulatedMessage(message(bodyRange, depth: depth + 1))
                }
            }
            if truncated {
                contentType = ContentType(
                    type: "application", subtype: "octet-stream", parameters: MIMEParameters(raw: []))
            }

            let disposition = header.first("Content-Disposition").flatMap { f -> ContentDisposition? in
                let (head, params) = MIMEValueParser.parse(f.unfoldedValueBytes)
                return head.isEmpty ? nil : ContentDisposition(type: head, parameters: params)
            }
            let language =
                header.first("Content-Language").map { f in
                    f.value.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
                } ?? []
            return MessagePart(
                header: header, bodyRange: bodyRange, contentType: contentType, contentTransferEncoding: cte,
                contentID: header.first("Content-ID")?.value,
                contentDescription: header.first("Content-Description")?.value,
                contentMD5: header.first("Content-MD5")?.value,
                contentLocation: header.first("Content-Location")?.value,
                contentLanguage: language, disposition: disposition, bodyLineCount: lineCount(bodyRange),
                parts: parts, encapsulated: encapsulated, isTruncatedByLimit: truncated)
        }

        func lineCount(_ r: Range<Int>) -> Int {
            guard !r.isEmpty else { return 0 }
            var n = 0
            for i in r where buf[i] == Ascii.lf { n += 1 }
            if buf[r.upperBound - 1] != Ascii.lf { n += 1 }
            return n
        }
    }
}

/// Finds the parts of a multipart body (RFC 2046 §5.1.1): a delimiter is `--boundary` at the start of a
/// line, followed only by blanks (or `--` for the close delimiter); the line break before it belongs to
/// the delimiter. Preamble and epilogue are skipped; a missing close delimiter ends the last part at the
/// end of the body.
enum MultipartSplitter {
    static func parts(_ buf: UnsafeBufferPointer<UInt8>, _ body: Range<Int>, boundary: [UInt8], maxParts: Int)
        -> [Range<Int>]
    {
        var result: [Range<Int>] = []
        var partStart: Int? = nil
        var lineStart = body.lowerBound
        let end = body.upperBound
        while lineStart < end {
            var lf = lineStart
            while lf < end && buf[lf] != Ascii.lf { lf += 1 }
            let nextLine = lf < end ? lf + 1 : end
            if let close = delimiter(buf, at: lineStart, lineEnd: lf, boundary: boundary) {
                if let s = partStart {
                    // Drop the line break before the delimiter (CRLF or bare LF).
                    var e = lineStart
                    if e > s && buf[e - 1] == Ascii.lf { e -= 1 }
                    if e > s && buf[e - 1] == Ascii.cr { e -= 1 }
                    if result.count + 1 >= maxParts {
                        result.append(s..<end)  // limit reached: the rest stays in this part
                        return result
                    }
                    result.append(s..<e)
                }
                if close { return result }
                partStart = nextLine
            }
            lineStart = nextLine
        }
        if let s = partStart { result.append(s..<max(s, end)) }
        return result
    }

    /// nil when the line is not a delimiter; true for the close delimiter.
    private static func delimiter(_ buf: UnsafeBufferPointer<UInt8>, at s: Int, lineEnd: Int, boundary: [UInt8])
        -> Bool?
    {
        let need = 2 + boundary.count
        guard lineEnd - s >= need, buf[s] == Ascii.dash, buf[s + 1] == Ascii.dash else { return nil }
        for (k, b) in boundary.enumerated() where buf[s + 2 + k] != b { return nil }
        var i = s + need
        var close = false
        if i + 1 < lineEnd, buf[i] == Ascii.dash, buf[i + 1] == Ascii.dash {
            close = true
            i += 2
        }
        while i < lineEnd {
            let c = buf[i]
            if !(Ascii.isBlank(c) || c == Ascii.cr) { return nil }
            i += 1
        }
        return close
    }
}
