import MessageFormat

/// What the server keeps per message (in memory, keyed by folder and UID or by Maildir basename) so
/// that FLAGS, RFC822.SIZE, ENVELOPE, BODYSTRUCTURE and BODY.PEEK[HEADER.FIELDS (…)] of a whole
/// folder are answered without reading message files. Codable, so it can also be persisted.
///
/// The structure is parsed from the CRLF-normalised bytes (see `MessageLineEndings`), so every
/// offset, size and line count in it is the one the client sees.
public struct IMAPMessageMetadata: Sendable, Equatable, Codable {
    /// Length of the message as stored (before normalisation): a cached entry whose file has a
    /// different length is stale and is parsed again.
    public var storedSize: Int
    /// The MIME structure of the normalised message, with copies of every header field.
    public var structure: MessageStructure

    /// RFC822.SIZE: the length of BODY[] as sent (RFC 3501 §2.3.4).
    public var size: Int { structure.size }

    /// Normalises and parses stored message bytes.
    public init(storedBytes: [UInt8], limits: MessageFormatLimits = .init()) {
        self = IMAPMessageContent(storedBytes: storedBytes, limits: limits).metadata
    }

    init(storedSize: Int, structure: MessageStructure) {
        self.storedSize = storedSize
        self.structure = structure
    }
}

/// A message ready for FETCH and SEARCH: its CRLF-normalised bytes and their metadata.
public struct IMAPMessageContent: Sendable {
    /// The bytes IMAP sends (BODY[]), every line ending CRLF.
    public let bytes: [UInt8]
    public let metadata: IMAPMessageMetadata
    /// True when `metadata` was parsed here rather than taken from the cache: store it in the cache.
    public let parsed: Bool

    /// Normalises `storedBytes` and uses `cached` when it describes them (same stored and normalised
    /// length), parsing otherwise.
    public init(storedBytes: [UInt8], cached: IMAPMessageMetadata? = nil, limits: MessageFormatLimits = .init()) {
        let normalized = MessageLineEndings.normalized(storedBytes)
        bytes = normalized
        if let cached, cached.storedSize == storedBytes.count, cached.size == normalized.count {
            metadata = cached
            parsed = false
        } else {
            metadata = IMAPMessageMetadata(
                storedSize: storedBytes.count, structure: MessageParser.parse(normalized, limits: limits))
            parsed = true
        }
    }
}
