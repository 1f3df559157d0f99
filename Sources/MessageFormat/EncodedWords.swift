import MailCore

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text.
public enum EncodedWords {
    /// Decodes every encoded word in `bytes` (RFC 2047 §6.2). Whitespace between two adjacent encoded
    /// words is dropped; adjacent words in the same charset are joined before decoding so a character
    /// split across words survives. Words in an unknown charset stay as written; other bytes are read as
    /// UTF-8 (or Windows-1252 when not UTF-8). Lenient: words inside quoted text or glued to letters are
    /// decoded too, as mail clients do.
    public static func decodeUnstructured<C: Collection>(_ input: C) -> String where C.Element == UInt8 {
        let bytes = Array(input)
        var out = ""
        var text: [UInt8] = []
        var pendingBlanks: [UInt8] = []
        var lastWasEncoded = false
        var wordBytes: [UInt8] = []
        var wordCharset: Charset? = nil

        func flushText() {
            if !text.isEmpty { out += Charset.bestEffort(text); text.removeAll(keepingCapacity: true) }
        }
        func flushWord() {
            if let cs = wordCharset { out += cs.decodeOrKeep(wordBytes) }
            wordCharset = nil
            wordBytes.removeAll(keepingCapacity: true)
        }

        var deadUntil = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == Ascii.equals, let word = parseWord(bytes, at: i, deadUntil: &deadUntil) {
                if lastWasEncoded {
                    pendingBlanks.removeAll()
                } else {
                    flushText()
                }
                if wordCharset != word.charset { flushWord(); wordCharset = word.charset }
                wordBytes.append(contentsOf: word.decoded)
                lastWasEncoded = true
                i = word.end
                continue
            }
            if lastWasEncoded && Ascii.isWhitespace(b) {
                pendingBlanks.append(b)
                i += 1
                continue
            }
            if lastWasEncoded {
                flushWord()
                text.append(contentsOf: pendingBlanks)
                pendingBlanks.removeAll()
                lastWasEncoded = false
            }
            text.append(b)
            i += 1
        }
        flushWord()
        text.append(contentsOf: pendingBlanks)
        flushText()
        return out
    }

    /// Decodes encoded words in a string (for display names taken apart by the address parser).
    public static func decode(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == Ascii.question }) else { return text }
        return decodeUnstructured(text.utf8)
    }

    struct Word {
        var charset: Charset
        var decoded: [UInt8]
        var end: Int
    }

    // encoded-word = "=?" charset ["*" language] "?" encoding "?" encoded-text "?="   — RFC 2047 §2, RFC 2231 §5
    // `deadUntil`: a failed scan for "?=" that stopped at position p proves that no word whose text
    // starts before p can end either, which keeps hostile headers (thousands of "=?x?q?" starts
    // without an end) linear instead of quadratic.
    static func parseWord(_ b: [UInt8], at start: Int, deadUntil: inout Int) -> Word? {
        var i = start
        guard i + 1 < b.count, b[i] == Ascii.equals, b[i + 1] == Ascii.question else { return nil }
        i += 2
        let csStart = i
        while i < b.count && b[i] != Ascii.question && !Ascii.isWhitespace(b[i]) && i - csStart < 64 { i += 1 }
        guard i < b.count, b[i] == Ascii.question, i > csStart else { return nil }
        let charset = Charset(name: String(decoding: b[csStart..<i], as: UTF8.self))
        guard charset.isKnown else { return nil }
        i += 1
        guard i + 1 < b.count, b[i + 1] == Ascii.question else { return nil }
        let enc = Ascii.lower(b[i])
        guard enc == UInt8(ascii: "b") || enc == UInt8(ascii: "q") else { return nil }
        i += 2
        let textStart = i
        if textStart < deadUntil { return nil }
        while i + 1 < b.count && !(b[i] == Ascii.question && b[i + 1] == Ascii.equals) {
            if Ascii.isWhitespace(b[i]) { deadUntil = i; return nil }
            i += 1
        }
        guard i + 1 < b.count else { deadUntil = b.count; return nil }
        let encoded = b[textStart..<i]
        let decoded = enc == UInt8(ascii: "b") ? Base64.decodeMIME(encoded) : decodeQ(encoded)
        return Word(charset: charset, decoded: decoded, end: i + 2)
    }

    /// The "Q" encoding: `_` is a space, `=XX` a byte (RFC 2047 §4.2).
    static func decodeQ(_ s: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if c == Ascii.underscore {
                out.append(Ascii.space)
            } else if c == Ascii.equals, i + 2 < s.endIndex, let h = Ascii.hexValue(s[i + 1]),
                let l = Ascii.hexValue(s[i + 2])
            {
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
