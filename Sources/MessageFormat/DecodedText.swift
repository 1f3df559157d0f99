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
        header.all(name).map(\.decodedValue)
    }

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
