/// Entry points for the fuzz targets: run every parser of this module over arbitrary bytes.
public enum MessageFormatFuzz {
    /// Parses `bytes` as a message and walks everything derived from it; must never crash or hang.
    public static func parse(_ bytes: [UInt8]) {
        let m = MessageParser.parse(bytes, limits: MessageFormatLimits(maxNestingDepth: 20, maxParts: 2_000))
        _ = m.envelope
        _ = m.isSMIMESigned
        _ = m.headerFromAddresses
        _ = m.sentDate
        _ = m.decodedHeaderText
        _ = m.decodedBodyTexts(in: bytes)
        var paths: [[Int]] = [[], [1], [2], [1, 1], [1, 2], [2, 1]]
        var i = 0
        m.root.forEachPart { p in
            i += 1
            if i < 50 { paths.append([i]) }
            _ = p.disposition?.filename
            _ = p.contentType.parameters["name"]
        }
        let texts: [SectionSpec.Text?] = [
            nil, .header, .text, .mime, .headerFields(["From", "Subject"]), .headerFieldsNot(["To"]),
        ]
        for p in paths {
            for t in texts {
                if let c = m.content(of: SectionSpec(part: p, text: t)) { _ = c.bytes(in: bytes) }
            }
        }
    }

    /// Runs the header-value parsers (addresses, encoded words, dates, MIME parameters) on `bytes`.
    public static func parseHeaderValue(_ bytes: [UInt8]) {
        _ = AddressList.envelopeAddresses(AddressList.parse(bytes))
        _ = EncodedWords.decodeUnstructured(bytes)
        _ = MessageDate.parse(String(decoding: bytes, as: UTF8.self))
        _ = ContentType.parse(bytes)
        _ = TransferDecoding.decodeQuotedPrintable(bytes)
    }
}
