import MailCore

/// RFC 2047 encoded words and line folding for the header fields GovMail writes.
public enum HeaderEncoding {
    /// `Name: value`, as is when it is short ASCII, otherwise as UTF-8 "B" encoded words of at most
    /// 75 characters each, folded one per line (RFC 2047 §2, §5(1)).
    public static func field(_ name: String, _ value: String) -> String {
        let clean = value.replacingLineBreaks()
        if clean.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 32 }) && clean.utf8.count + name.count < 76 {
            return "\(name): \(clean)"
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for ch in clean {
            let bytes = Array(String(ch).utf8)
            if chunk.count + bytes.count > 39 {  // 39 bytes → 52 base64 characters → a 64-character word
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
        return "\(name): " + words.joined(separator: "\r\n ")
    }

    /// `References:` with its message ids folded onto lines of at most 76 characters (RFC 5322 §2.2.3).
    public static func foldedReferences(_ ids: String) -> String {
        var line = "References:"
        var out: [String] = []
        for id in ids.split(separator: " ") {
            if line.count + id.count + 1 > 76 && line != "References:" {
                out.append(line)
                line = ""
            }
            line += " " + id
        }
        out.append(line)
        return out.joined(separator: "\r\n")
    }
}

extension String {
    /// CR, LF and TAB as spaces, so a value cannot break out of its header line.
    fileprivate func replacingLineBreaks() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\r" || $0 == "\n" || $0 == "\t" ? " " : $0 }))
    }
}
