/// One `attribute=value` pair as written in a MIME header (value unquoted; RFC 2045 §5.1).
public struct MIMEParameter: Sendable, Hashable, Codable {
    /// The attribute, lowercased, including any RFC 2231 `*n` / `*` suffix.
    public let name: String
    public let value: String
}

/// The parameters of a Content-Type or Content-Disposition field.
public struct MIMEParameters: Sendable, Hashable, Codable {
    /// As written, in order (what BODYSTRUCTURE reports; RFC 3501 §7.4.2 body-fld-param).
    public let raw: [MIMEParameter]
    /// RFC 2231 continuations joined and charset-decoded, names lowercased without suffixes.
    public let decoded: [MIMEParameter]

    public init(raw: [MIMEParameter]) {
        self.raw = raw
        self.decoded = MIMEParameters.combine(raw)
    }

    /// The decoded value of a parameter, ignoring case in the name.
    public subscript(_ name: String) -> String? {
        let n = name.lowercased()
        return decoded.first { $0.name == n }?.value
    }

    // RFC 2231 §3 (continuations) and §4 (charset'language'%XX): join name*0, name*1*, … in index order.
    private static func combine(_ raw: [MIMEParameter]) -> [MIMEParameter] {
        struct Segment { var index: Int; var encoded: Bool; var value: String }
        var order: [String] = []
        var segments: [String: [Segment]] = [:]
        for p in raw {
            var name = Substring(p.name)
            var encoded = false
            var index = 0
            if name.hasSuffix("*") { encoded = true; name = name.dropLast() }
            if let star = name.lastIndex(of: "*"), let n = Int(name[name.index(after: star)...]), n >= 0, n < 10_000 {
                index = n
                name = name[..<star]
            }
            let key = String(name)
            if segments[key] == nil { order.append(key) }
            // A plain duplicate (no continuation) keeps the first value, as most clients do.
            if segments[key]?.contains(where: { $0.index == index }) == true { continue }
            segments[key, default: []].append(Segment(index: index, encoded: encoded, value: p.value))
        }
        return order.map { key in
            let segs = segments[key]!.sorted { $0.index < $1.index }
            var charset = Charset.utf8
            var bytes: [UInt8] = []
            var anyEncoded = false
            for (i, seg) in segs.enumerated() {
                if seg.encoded {
                    anyEncoded = true
                    var text = Substring(seg.value)
                    if i == 0, seg.index == 0 {
                        let parts = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                        if parts.count == 3 {
                            charset = parts[0].isEmpty ? .usASCII : Charset(name: String(parts[0]))
                            text = parts[2]
                        }
                    }
                    bytes.append(contentsOf: percentDecode(text.utf8))
                } else {
                    bytes.append(contentsOf: seg.value.utf8)
                }
            }
            let value = anyEncoded ? charset.decodeOrKeep(bytes) : EncodedWords.decode(Charset.bestEffort(bytes))
            return MIMEParameter(name: key, value: value)
        }
    }

    private static func percentDecode(_ s: Substring.UTF8View) -> [UInt8] {
        let b = Array(s)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = Ascii.hexValue(b[i + 1]),
                let l = Ascii.hexValue(b[i + 2])
            {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return out
    }
}

/// A `type/subtype; params` value (Content-Type, RFC 2045 §5.1) or `type; params` (Content-Disposition,
/// RFC 2183), parsed leniently: comments skipped, unquoted values with blanks read up to the next `;`.
enum MIMEValueParser {
    static func parse(_ bytes: [UInt8]) -> (head: String, parameters: MIMEParameters) {
        var i = 0
        var head: [UInt8] = []
        skipBlanksAndComments(bytes, &i)
        while i < bytes.count && bytes[i] != Ascii.semicolon {
            if bytes[i] == Ascii.openParen { skipComment(bytes, &i); continue }
            if !Ascii.isWhitespace(bytes[i]) { head.append(Ascii.lower(bytes[i])) }
            i += 1
        }
        var params: [MIMEParameter] = []
        while i < bytes.count, params.count < 256 {
            i += 1  // the ';'
            skipBlanksAndComments(bytes, &i)
            var name: [UInt8] = []
            while i < bytes.count && bytes[i] != Ascii.equals && bytes[i] != Ascii.semicolon {
                if !Ascii.isWhitespace(bytes[i]) { name.append(Ascii.lower(bytes[i])) }
                i += 1
            }
            guard i < bytes.count, bytes[i] == Ascii.equals else { continue }
            i += 1
            skipBlanksAndComments(bytes, &i)
            var value: [UInt8] = []
            if i < bytes.count && bytes[i] == Ascii.quote {
                value = quotedString(bytes, &i)
                while i < bytes.count && bytes[i] != Ascii.semicolon { i += 1 }
            } else {
                while i < bytes.count && bytes[i] != Ascii.semicolon {
                    if bytes[i] == Ascii.openParen { break }
                    value.append(bytes[i])
                    i += 1
                }
                while i < bytes.count && bytes[i] != Ascii.semicolon { i += 1 }
                value = Ascii.trimmingBlanks(value)
            }
            if !name.isEmpty {
                params.append(
                    MIMEParameter(name: String(decoding: name, as: UTF8.self), value: Charset.bestEffort(value)))
            }
        }
        return (String(decoding: head, as: UTF8.self), MIMEParameters(raw: params))
    }

    // quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]   — RFC 5322 §3.2.4
    /// Reads the quoted string whose opening quote is at `i`, quoted pairs unescaped; `i` ends just
    /// after the closing quote (or at the end of the input when it is missing).
    static func quotedString(_ b: [UInt8], _ i: inout Int) -> [UInt8] {
        var out: [UInt8] = []
        i += 1
        while i < b.count && b[i] != Ascii.quote {
            if b[i] == Ascii.backslash && i + 1 < b.count { i += 1 }
            out.append(b[i])
            i += 1
        }
        i = min(i + 1, b.count)
        return out
    }

    static func skipBlanksAndComments(_ b: [UInt8], _ i: inout Int) {
        while i < b.count {
            if Ascii.isWhitespace(b[i]) {
                i += 1
            } else if b[i] == Ascii.openParen {
                skipComment(b, &i)
            } else {
                return
            }
        }
    }

    /// Skips a comment with nested parentheses and quoted pairs (RFC 5322 §3.2.2); depth is bounded by
    /// counting, not recursion.
    static func skipComment(_ b: [UInt8], _ i: inout Int) {
        var depth = 0
        while i < b.count {
            let c = b[i]
            if c == Ascii.backslash { i += 2; continue }
            if c == Ascii.openParen {
                depth += 1
            } else if c == Ascii.closeParen {
                depth -= 1
                if depth == 0 { i += 1; return }
            }
            i += 1
        }
    }
}
