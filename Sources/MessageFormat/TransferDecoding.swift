import MailCore

/// Content-Transfer-Encoding decoders (RFC 2045 §6): base64 and quoted-printable; other encodings
/// (7bit, 8bit, binary, unknown) pass through unchanged.
public enum TransferDecoding {
    /// Decodes a part body given its lowercased Content-Transfer-Encoding.
    public static func decode<C: Collection>(_ body: C, encoding: String) -> [UInt8] where C.Element == UInt8 {
        switch encoding {
        case "base64": return Base64.decodeMIME(body)
        case "quoted-printable": return decodeQuotedPrintable(body)
        default: return Array(body)
        }
    }

    /// Quoted-printable (RFC 2045 §6.7): `=XX` bytes, `=` at a line end is a soft break, trailing blanks
    /// on a line are dropped; a malformed `=` is kept as written.
    public static func decodeQuotedPrintable<C: Collection>(_ input: C) -> [UInt8] where C.Element == UInt8 {
        let b = Array(input)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        var blanksStart: Int? = nil  // where a run of trailing-candidate blanks began in `out`
        while i < b.count {
            let c = b[i]
            if c == Ascii.equals {
                blanksStart = nil
                if i + 1 < b.count, b[i + 1] == Ascii.lf { i += 2; continue }  // soft break, bare LF
                if i + 2 < b.count, b[i + 1] == Ascii.cr, b[i + 2] == Ascii.lf { i += 3; continue }  // soft break
                if i + 2 < b.count, let h = Ascii.hexValue(b[i + 1]), let l = Ascii.hexValue(b[i + 2]) {
                    out.append(h << 4 | l)
                    i += 3
                    continue
                }
                // "=" followed only by blanks up to the line end is also a soft break.
                var j = i + 1
                while j < b.count && Ascii.isBlank(b[j]) { j += 1 }
                if j == b.count { i = j; continue }
                if b[j] == Ascii.lf { i = j + 1; continue }
                if b[j] == Ascii.cr, j + 1 < b.count, b[j + 1] == Ascii.lf { i = j + 2; continue }
                out.append(c)
                i += 1
                continue
            }
            if Ascii.isBlank(c) {
                if blanksStart == nil { blanksStart = out.count }
                out.append(c)
                i += 1
                continue
            }
            if c == Ascii.cr || c == Ascii.lf {
                if let s = blanksStart { out.removeSubrange(s...) }
            }
            blanksStart = nil
            out.append(c)
            i += 1
        }
        if let s = blanksStart { out.removeSubrange(s...) }
        return out
    }
}
