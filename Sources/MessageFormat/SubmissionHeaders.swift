/// What SMTP submission checks in a message header (RFC 6409 §8, issue 5 policy).
extension MessageStructure {
    /// The mailboxes of every From field (groups flattened), for the "From must be yours" check.
    public var headerFromAddresses: [MailboxAddress] {
        header.all("From").flatMap { AddressList.parse($0.unfoldedValueBytes).flatMap(\.mailboxes) }
    }

    /// Whether the header has a Date field (submission adds one when missing, RFC 6409 §8.3).
    public var hasDateHeader: Bool { header.first("Date") != nil }

    /// Whether the header has a Message-ID field (submission adds one when missing, RFC 6409 §8.3).
    public var hasMessageIDHeader: Bool { header.first("Message-ID") != nil }

    /// The parsed Date header, nil when absent or unreadable (SENTBEFORE/SENTON/SENTSINCE).
    public var sentDate: MessageDate? { header.first("Date").flatMap { MessageDate.parse($0.value) } }
}

/// Parses only the header of a message: the cheap path for SMTP policy checks and header caches.
extension MessageParser {
    /// The top-level header of `bytes` and the offset where the body starts.
    public static func parseHeader(_ bytes: [UInt8]) -> (header: HeaderSection, bodyStart: Int) {
        bytes.withUnsafeBufferPointer { buf in
            let (h, b) = HeaderParser.parse(buf, 0..<buf.count)
            return (h, b)
        }
    }
}
