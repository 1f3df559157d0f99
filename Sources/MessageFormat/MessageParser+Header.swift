extension MessageStructure {
    /// The mailboxes of every From field (groups flattened), leniently parsed: the S/MIME signer
    /// check. SMTP's "From must be yours" uses the strict `HeaderFrom` of SMTPProtocol instead.
    public var headerFromAddresses: [MailboxAddress] {
        header.all("From").flatMap { AddressList.parse($0.unfoldedValueBytes).flatMap(\.mailboxes) }
    }

    /// The parsed Date header, nil when absent or unreadable (SENTBEFORE/SENTON/SENTSINCE).
    public var sentDate: MessageDate? { header.first("Date").flatMap { MessageDate.parse($0.value) } }
}

/// Parses only the header of a message: the cheap path for header caches and benchmarks.
extension MessageParser {
    /// The top-level header of `bytes` and the offset where the body starts.
    public static func parseHeader(_ bytes: [UInt8]) -> (header: HeaderSection, bodyStart: Int) {
        bytes.withUnsafeBufferPointer { buf in
            let (h, b) = HeaderParser.parse(buf, 0..<buf.count)
            return (h, b)
        }
    }
}
