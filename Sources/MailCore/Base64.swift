/// Standard base64 (RFC 4648 §4) without Foundation, strict on decode: used for SASL and MIME.
public enum Base64 {
    private static let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int16] = {
        var r = [Int16](repeating: -1, count: 256)
        for (i, c) in table.enumerated() { r[Int(c)] = Int16(i) }
        return r
    }()

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let b = Array(bytes)
        var out: [UInt8] = []
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i < b.count {
            let n = min(3, b.count - i)
            let b0 = b[i], b1 = n > 1 ? b[i + 1] : 0, b2 = n > 2 ? b[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int(((b0 & 3) << 4) | (b1 >> 4))])
            out.append(n > 1 ? table[Int(((b1 & 0xF) << 2) | (b2 >> 6))] : UInt8(ascii: "="))
            out.append(n > 2 ? table[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Base64 in MIME body lines (RFC 2045 §6.8): at most 76 characters each, every line ending
    /// with CRLF; the empty string for no bytes.
    public static func encodeMIMELines<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let encoded = Array(encode(bytes).utf8)
        var out = ""
        out.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        var i = 0
        while i < encoded.count {
            out += String(decoding: encoded[i..<min(i + 76, encoded.count)], as: UTF8.self) + "\r\n"
            i += 76
        }
        return out
    }

    /// Decodes strict base64 (padding required, no whitespace); nil when malformed.
    public static func decode(_ text: String) -> [UInt8]? {
        let s = Array(text.utf8)
        guard s.count % 4 == 0 else { return nil }
        return decodeLenient(s, strict: true)
    }

    /// Decodes base64 ignoring whitespace and line breaks, as MIME bodies need (RFC 2045 §6.8).
    public static func decodeMIME<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
        decodeLenient(Array(bytes), strict: false) ?? []
    }

    private static func decodeLenient(_ s: [UInt8], strict: Bool) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count / 4 * 3)
        var acc: UInt32 = 0, n = 0, pad = 0
        for c in s {
            if c == UInt8(ascii: "=") { pad += 1; continue }
            let v = reverse[Int(c)]
            if v < 0 { if strict { return nil } else { continue } }
            if pad > 0 { if strict { return nil } else { continue } }
            acc = (acc << 6) | UInt32(v); n += 1
            if n == 4 {
                out.append(UInt8((acc >> 16) & 0xFF)); out.append(UInt8((acc >> 8) & 0xFF));
                out.append(UInt8(acc & 0xFF))
                acc = 0; n = 0
            }
        }
        switch n {
        case 0: break
        case 2: out.append(UInt8((acc >> 4) & 0xFF))
        case 3: out.append(UInt8((acc >> 10) & 0xFF)); out.append(UInt8((acc >> 2) & 0xFF))
        default: if strict { return nil }
        }
        if strict && pad > 2 { return nil }
        return out
    }
}
