import MailCore

/// Parses server replies for the relay client (RFC 5321 §4.2): `250-…` lines up to `250 …`.
public enum SMTPReplyParser {
    public enum Problem: Error, Equatable {
        case malformed
        case lineTooLong
    }

    // Reply-line = *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF   — RFC 5321 §4.2
    /// The next complete reply, consumed from `buffer`; nil (nothing consumed) when more bytes are needed.
    public static func parse(_ buffer: inout ByteQueue, lineLimit: Int = 4096) throws(Problem) -> SMTPReply? {
        var offset = 0
        var code: Int?
        var texts: [String] = []
        while true {
            guard let lf = buffer.firstIndex(of: 10, from: offset) else {
                if buffer.count - offset > lineLimit { throw .lineTooLong }
                return nil
            }
            var end = lf
            if end > offset && buffer[end - 1] == 13 { end -= 1 }
            let line = (offset..<end).map { buffer[$0] }
            offset = lf + 1
            guard line.count >= 3, line[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                line.count == 3 || line[3] == 32 || line[3] == UInt8(ascii: "-")
            else { throw .malformed }
            let lineCode = Int(String(decoding: line[0...2], as: UTF8.self))!
            if let code, code != lineCode { throw .malformed }
            code = lineCode
            texts.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
            if line.count == 3 || line[3] == 32 { break }
        }
        buffer.discard(offset)
        let finalCode = code!
        // An enhanced code leads the text when the server supports ENHANCEDSTATUSCODES.
        var enhanced: String?
        if let first = texts.first, let space = first.firstIndex(of: " ") ?? (first.isEmpty ? nil : first.endIndex),
            isEnhancedCode(first[..<space], forClass: finalCode / 100)
        {
            enhanced = String(first[..<space])
            texts = texts.map { text in
                guard text.hasPrefix(enhanced! + " ") || text == enhanced! else { return text }
                return String(text.dropFirst(enhanced!.count).drop(while: { $0 == " " }))
            }
        }
        return SMTPReply(finalCode, enhanced, texts)
    }

    // status-code = class "." subject "." detail   — RFC 3463 §2
    private static func isEnhancedCode(_ text: Substring, forClass cls: Int) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "\(cls)",
            parts[1...].allSatisfy({
                (1...3).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber)
            })
        else { return false }
        return true
    }
}
