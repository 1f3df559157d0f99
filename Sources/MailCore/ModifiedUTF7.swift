/// IMAP's modified UTF-7 for mailbox names (RFC 3501 §5.1.3), also Dovecot's on-disk folder naming.
public enum ModifiedUTF7 {
    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public let text: String
        public var description: String { "\"\(text)\" is not valid modified UTF-7" }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)
    private static let reverse: [UInt8: UInt8] = {
        var r: [UInt8: UInt8] = [:]
        for (i, c) in alphabet.enumerated() { r[c] = UInt8(i) }
        return r
    }()

    /// Encodes a Unicode name: printable ASCII stays, `&` becomes `&-`, anything else is `&<base64 UTF-16BE>-`.
    public static func encode(_ text: String) -> String {
        var out: [UInt8] = []
        var pending: [UInt16] = []
        func flush() {
            guard !pending.isEmpty else { return }
            var bytes: [UInt8] = []
            for u in pending { bytes.append(UInt8(u >> 8)); bytes.append(UInt8(u & 0xFF)) }
            out.append(UInt8(ascii: "&"))
            var i = 0
            while i < bytes.count {
                let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0,
                    b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
                let n = bytes.count - i
                out.append(alphabet[Int(b0 >> 2)])
                out.append(alphabet[Int(((b0 & 0x03) << 4) | (b1 >> 4))])
                if n > 1 { out.append(alphabet[Int(((b1 & 0x0F) << 2) | (b2 >> 6))]) }
                if n > 2 { out.append(alphabet[Int(b2 & 0x3F)]) }
                i += 3
            }
            out.append(UInt8(ascii: "-"))
            pending.removeAll()
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v >= 0x20 && v <= 0x7E {
                flush()
                if v == 0x26 { out.append(0x26); out.append(UInt8(ascii: "-")) } else { out.append(UInt8(v)) }
            } else {
                pending.append(contentsOf: Array(String(scalar).utf16))
            }
        }
        flush()
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes modified UTF-7; refuses malformed input rather than guessing.
    public static func decode(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        var result = ""
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            guard c >= 0x20 && c <= 0x7E else { throw DecodingError(text: text) }
            if c != UInt8(ascii: "&") {
                result.unicodeScalars.append(Unicode.Scalar(c)); i += 1; continue
            }
            guard let end = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "-")) else { throw DecodingError(text: text) }
            if end == i + 1 { result.append("&"); i = end + 1; continue }
            var bits: UInt32 = 0, nbits = 0
            var raw: [UInt8] = []
            for b in bytes[(i + 1)..<end] {
                guard let v = reverse[b] else { throw DecodingError(text: text) }
                bits = (bits << 6) | UInt32(v); nbits += 6
                if nbits >= 8 { nbits -= 8; raw.append(UInt8((bits >> UInt32(nbits)) & 0xFF)) }
            }
            guard raw.count % 2 == 0, !raw.isEmpty else { throw DecodingError(text: text) }
            var units: [UInt16] = []
            for k in stride(from: 0, to: raw.count, by: 2) { units.append(UInt16(raw[k]) << 8 | UInt16(raw[k + 1])) }
            var decoded = ""
            var it = units.makeIterator()
            var utf16 = UTF16()
            loop: while true {
                switch utf16.decode(&it) {
                case .scalarValue(let s):
                    // A printable ASCII char inside a base64 run is not the shortest form: refuse.
                    if s.value >= 0x20 && s.value <= 0x7E { throw DecodingError(text: text) }
                    decoded.unicodeScalars.append(s)
                case .emptyInput: break loop
                case .error: throw DecodingError(text: text)
                }
            }
            result += decoded
            i = end + 1
        }
        return result
    }
}
