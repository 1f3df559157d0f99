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
    /// empty line (included in its range); without one, the whole range is header and the body is empty.
    /// Leniently, an entity whose first line is not a field has no header (a part that starts with text),
    /// and later lines that are neither fields nor continuations are skipped.
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
            guard let i = fieldColon(buf, s, stop) else { return }
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
                if fieldColon(buf, pos, lf) == nil {
                    // Not a field. As the first line (other than an mbox "From " line) it means the entity
                    // has no header and starts with text; later it is a broken line, skipped.
                    if pos == range.lowerBound && !startsWithMboxFrom(buf, pos, lf) {
                        return (HeaderSection(fields: [], range: pos..<pos), pos)
                    }
                    pos = lineEnd
                    continue
                }
                fieldStart = pos
            }
            pos = lineEnd
        }
        finish(upTo: end)
        return (HeaderSection(fields: fields, range: range.lowerBound..<end), bodyStart)
    }

    // field-name = 1*ftext (no blanks), then obsolete blanks before the colon — RFC 5322 §3.6.8, §4.5
    /// The colon ending a field name on the line starting at `pos`, or nil when the line is not a field.
    private static func fieldColon(_ buf: UnsafeBufferPointer<UInt8>, _ pos: Int, _ limit: Int) -> Int? {
        var i = pos
        var sawBlank = false
        while i < limit {
            let c = buf[i]
            if c == Ascii.colon { return i > pos && !Ascii.isBlank(buf[pos]) ? i : nil }
            if c == Ascii.lf || c == Ascii.cr { return nil }
            if Ascii.isBlank(c) { sawBlank = true } else if sawBlank { return nil }
            i += 1
        }
        return nil
    }

    private static func startsWithMboxFrom(_ buf: UnsafeBufferPointer<UInt8>, _ pos: Int, _ lf: Int) -> Bool {
        lf - pos >= 5 && Array(UnsafeBufferPointer(rebasing: buf[pos..<pos + 5])) == Array("From ".utf8)
    }
}
