extension MessageStructure {
    /// The parsed Date header, nil when absent or unreadable (SENTBEFORE/SENTON/SENTSINCE).
    public var sentDate: MessageDate? { header.first("Date").flatMap { MessageDate.parse($0.value) } }
}

/// Parses only the header of a message: the cheap path for SMTP submission (Date, Message-ID, From)
/// and header caches.
extension MessageParser {
    /// The top-level header of `bytes` and the offset where the body starts.
    public static func parseHeader(_ bytes: [UInt8]) -> (header: HeaderSection, bodyStart: Int) {
        bytes.withUnsafeBufferPointer { buf in
            let (h, b) = HeaderParser.parse(buf, 0..<buf.count)
            return (h, b)
        }
    }
}
