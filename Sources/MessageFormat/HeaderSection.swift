/// One header field exactly as it arrived, plus its unfolded value (RFC 5322 §2.2, §2.2.3).
public struct HeaderField: Sendable, Hashable, Codable {
    /// The field name as written (case kept; compare with `hasName`).
    public let name: String
    /// Every byte of the field: name, colon, folded value and the final line ending, as received.
    public let raw: [UInt8]
    /// Where `raw` sits in the message bytes the structure was parsed from.
    public let range: Range<Int>
    /// Offset of the first value byte (just after the colon) within `raw`.
    let valueOffset: Int

    /// Whether this field's name is `other`, ignoring ASCII case.
    public func hasName(_ other: String) -> Bool { Ascii.equalsIgnoringCase(name, other) }

    /// The value with line breaks removed and surrounding blanks trimmed, bytes as received.
    public var unfoldedValueBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count - valueOffset)
        for b in raw[valueOffset...] where b != Ascii.cr && b != Ascii.lf { out.append(b) }
        return Ascii.trimmingBlanks(out)
    }

    /// The unfolded value as text (UTF-8, or Windows-1252 when the bytes are not UTF-8); encoded words kept.
    public var value: String { Charset.bestEffort(unfoldedValueBytes) }

    /// The unfolded value with RFC 2047 encoded words decoded (for unstructured fields such as Subject).
    public var decodedValue: String { EncodedWords.decodeUnstructured(unfoldedValueBytes) }
}

/// The header of a message or of a MIME part: its fields in order and the bytes it spans.
public struct HeaderSection: Sendable, Hashable, Codable {
    /// The fields in the order they appear.
    public let fields: [HeaderField]
    /// The header bytes including the empty line that ends it (what BODY[HEADER] and BODY[n.MIME] return).
    public let range: Range<Int>

    /// The first field with this name, ignoring case.
    public func first(_ name: String) -> HeaderField? { fields.first { $0.hasName(name) } }

    /// Every field with this name, ignoring case, in order.
    public func all(_ name: String) -> [HeaderField] { fields.filter { $0.hasName(name) } }

    /// The raw bytes of the fields named (or, with `excluding`, not named) in `names`, followed by an
    /// empty line: the body of BODY[HEADER.FIELDS (…)] and BODY[HEADER.FIELDS.NOT (…)] (RFC 3501 §6.4.5).
    public func fieldBytes(_ names: [String], excluding: Bool = false) -> [UInt8] {
        let wanted = Set(names.map { $0.lowercased() })
        var out: [UInt8] = []
        for f in fields where wanted.contains(f.name.lowercased()) != excluding {
            out.append(contentsOf: f.raw)
            if f.raw.last != Ascii.lf { out.append(contentsOf: [Ascii.cr, Ascii.lf]) }
        }
        out.append(contentsOf: [Ascii.cr, Ascii.lf])
        return out
    }
}

/// Splits a header from its body at the first empty line (CRLF or bare LF) and cuts it into fields.
enum HeaderParser {
    /// Parses `range` of `buf`; returns the header and where the body starts. The header ends at the first
    /// empty line (included in its range) or, leniently, before the first line that is neither a field
    /// nor a continuation; without either, the whole range is header and the body is empty at its end.
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (HeaderSection, bodyStart: Int) {
        var fields: [HeaderField] = []
        var pos = range.lowerBound
        let end = range.upperBound
        var fieldStart: Int? = nil
        var bodyStart = end

        func finish(upTo stop: Int) {
            guard let s = fieldStart else { return }
            fieldStart = nil
            // name = bytes before the first colon on the first line, trailing blanks dropped (obs-optional)
            var i = s
            while i < stop && buf[i] != Ascii.colon && buf[i] != Ascii.lf { i += 1 }
            guard i < stop, buf[i] == Ascii.colon else { return }
            var nameEnd = i
            while nameEnd > s && Ascii.isBlank(buf[nameEnd - 1]) { nameEnd -= 1 }
            guard nameEnd > s else { return }
            let name = Charset.bestEffort(UnsafeBufferPointer(rebasing: buf[s..<nameEnd]))
            let raw = Array(UnsafeBufferPointer(rebasing: buf[s..<stop]))
            fields.append(HeaderField(name: name, raw: raw, range: s..<stop, valueOffset: i + 1 - s))
        }

        while pos < end {
            var lf = pos
            while lf < end && buf[lf] != Ascii.lf { lf += 1 }
            let lineEnd = lf < end ? lf + 1 : end
            let isEmptyLine = lf < end && (lf == pos || (lf == pos + 1 && buf[pos] == Ascii.cr))
            if isEmptyLine {
                finish(upTo: pos)
                bodyStart = lineEnd
                return (HeaderSection(fields: fields, range: range.lowerBound..<lineEnd), bodyStart)
            }
            if !Ascii.isBlank(buf[pos]) {
                finish(upTo: pos)
                // A line that is neither a field nor a continuation means the header is over and the body
                // began without its empty line (a part that starts with text); read it as body.
                var colon = pos
                while colon < lf && buf[colon] != Ascii.colon { colon += 1 }
                if colon == lf {
                    return (HeaderSection(fields: fields, range: range.lowerBound..<pos), pos)
                }
                fieldStart = pos
            }
            pos = lineEnd
        }
        finish(upTo: end)
        return (HeaderSection(fields: fields, range: range.lowerBound..<end), bodyStart)
    }
}
