/// Decoded text of a message for SEARCH BODY/TEXT and header keys (RFC 3501 §6.4.4): transfer
/// encoding removed, charset converted to UTF-8 (NFC for Windows-1258), encoded words decoded.
extension MessageStructure {
    /// The decoded text of every text/* part that is not an attachment, in order, including those of
    /// encapsulated messages. Parts in an unknown charset are read as UTF-8 (or Windows-1252).
    public func decodedBodyTexts(in message: [UInt8]) -> [String] {
        var texts: [String] = []
        root.forEachPart { p in
            guard p.contentType.type == "text", !p.isTruncatedByLimit else { return }
            if p.disposition?.type == "attachment" { return }
            texts.append(p.decodedText(in: message))
        }
        return texts
    }

    /// The decoded values of every field named `name` (SEARCH HEADER, FROM, TO, CC, BCC, SUBJECT).
    public func decodedHeaderValues(_ name: String) -> [String] {
        let fields = header.all(name)
        var values = fields.map(\.decodedValue)
        guard Self.addressFields.contains(where: { Ascii.equalsIgnoringCase($0, name) }) else { return values }
        // The whole decoded field can hide an address that is written differently from how it is
        // searched for (`"user-from"@domain.org`, a comment or a fold between its parts): the
        // parsed addresses are searched as well, written plainly as `Name <local@domain>` — the
        // way Dovecot matches address headers.
        for f in fields {
            var parts: [String] = []
            for entry in AddressList.parse(f.unfoldedValueBytes) {
                if case .group(let raw, _) = entry { parts.append(EncodedWords.decode(raw) + ":") }
                for m in entry.mailboxes {
                    let local = String(m.localPart.filter { $0 != "\"" })
                    let address = m.domain.map { "\(local)@\($0)" } ?? local
                    parts.append(m.name.map { "\($0) <\(address)>" } ?? address)
                }
            }
            values.append(parts.joined(separator: ", "))
        }
        return values
    }

    /// Header fields whose values are address lists (RFC 5322 §3.6.2, §3.6.3).
    static let addressFields = ["From", "Sender", "Reply-To", "To", "Cc", "Bcc"]

    /// The whole top-level header with encoded words decoded, one field per line (SEARCH TEXT).
    public var decodedHeaderText: String {
        header.fields.map { "\($0.name): \($0.decodedValue)" }.joined(separator: "\n")
    }
}

extension MessagePart {
    /// This part's body with its transfer encoding and charset decoded (charset from Content-Type).
    public func decodedText(in message: [UInt8]) -> String {
        let r = bodyRange.clamped(to: 0..<message.count)
        let bytes = TransferDecoding.decode(message[r], encoding: contentTransferEncoding)
        return contentType.charset.decodeOrKeep(bytes)
    }

    /// This part's body with its transfer encoding removed (an attachment's content).
    public func decodedBody(in message: [UInt8]) -> [UInt8] {
        let r = bodyRange.clamped(to: 0..<message.count)
        return TransferDecoding.decode(message[r], encoding: contentTransferEncoding)
    }
}
