import MailCore
import MessageFormat

/// What a script looks at: the message (header, size, body) and its SMTP envelope.
public struct SieveMessage: Sendable {
    public let bytes: [UInt8]
    public let structure: MessageStructure
    /// The reverse path without brackets; "" for the null sender `<>`.
    public let envelopeFrom: String
    /// The recipient this run delivers for (RCPT TO).
    public let envelopeTo: String

    public init(bytes: [UInt8], envelopeFrom: String, envelopeTo: String) {
        self.bytes = bytes
        self.structure = MessageParser.parse(bytes)
        self.envelopeFrom = envelopeFrom
        self.envelopeTo = envelopeTo
    }

    public var header: HeaderSection { structure.header }
    public var size: Int { bytes.count }

    /// Decoded, unfolded values of every field named `name`, white space trimmed (RFC 5228 §5.7).
    func headerValues(_ name: String) -> [String] {
        header.all(name).map { $0.decodedValue.trimmingSpaces() }
    }

    /// The addresses in every field named `name` (RFC 5228 §5.1).
    func addresses(_ name: String) -> [MailboxAddress] {
        header.all(name).flatMap { AddressList.parse($0.unfoldedValueBytes).flatMap(\.mailboxes) }
    }

    /// Body text for the `body` test (RFC 5173 §5), at most `limit` bytes per part.
    func bodyTexts(_ transform: BodyTransform, limit: Int) -> [String] {
        switch transform {
        case .raw:
            let range = structure.root.bodyRange
            return [
                String(
                    decoding: bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + limit)], as: UTF8.self)
            ]
        case .text, .content:
            var out: [String] = []
            structure.root.forEachPart { part in
                guard !part.contentType.isMultipart, !part.contentType.isMessageRFC822 else { return }
                let type = part.contentType.mimeType.lowercased()
                let wanted: Bool
                if case .content(let types) = transform {
                    wanted = types.contains { t in
                        t.isEmpty || t == type || (!t.contains("/") && type.hasPrefix(t + "/"))
                    }
                } else {
                    wanted = part.contentType.type.lowercased() == "text"
                }
                guard wanted else { return }
                let range = part.bodyRange
                let raw = bytes[range.lowerBound..<min(range.upperBound, range.lowerBound + limit)]
                let decoded = TransferDecoding.decode(raw, encoding: part.contentTransferEncoding)
                out.append(part.contentType.charset.decode(decoded) ?? String(decoding: decoded, as: UTF8.self))
            }
            return out
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
