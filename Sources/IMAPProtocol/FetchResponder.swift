import MailCore
import MessageFormat

/// Answers a `.fetch` request for one message from its bytes and/or cached metadata (RFC 3501 §6.4.5,
/// §7.4.2). The session applies `<origin.count>` partials itself, so sections are returned whole; a
/// section that does not exist is left out of `sections`, which the session sends as NIL.
public enum FetchResponder {
    /// What `respond` produced: the data for the session, and the metadata to keep in the cache
    /// (`metadataIsNew` when it was parsed during this call).
    public struct Response: Sendable {
        public var message: FetchedMessage
        public var metadata: IMAPMessageMetadata
        public var metadataIsNew: Bool
    }

    /// Whether answering `attributes` needs the message bytes even when its metadata is cached:
    /// true for BODY[], TEXT, HEADER, MIME, part bodies and RFC822*, false for everything that comes
    /// from the structure (FLAGS, UID, INTERNALDATE, RFC822.SIZE, ENVELOPE, BODY, BODYSTRUCTURE,
    /// HEADER.FIELDS, HEADER.FIELDS.NOT).
    public static func needsMessageBytes(_ attributes: [FetchAttribute]) -> Bool {
        attributes.contains { a in
            switch a {
            case .binary, .binarySize: return true
            default: return a.section.map { !$0.isAnsweredFromMetadata } ?? false
            }
        }
    }

    /// Builds the FETCH data for one message. `readStoredBytes` is called at most once, only when
    /// there is no usable cached metadata or `needsMessageBytes(attributes)`; its errors (a vanished
    /// or unreadable file) propagate to the caller, which answers the request with `.failed`.
    /// `updatedFlags` are the flags after \Seen was set by this fetch, if they changed.
    public static func respond(
        uid: UID, internalDate: IMAPDateTime?, attributes: [FetchAttribute], cached: IMAPMessageMetadata?,
        updatedFlags: Set<Flag>? = nil, limits: MessageFormatLimits = .init(),
        readStoredBytes: () throws -> [UInt8]
    ) rethrows -> Response {
        if let cached, !needsMessageBytes(attributes) {
            let m = fetchedMessage(
                uid: uid, internalDate: internalDate, attributes: attributes, metadata: cached, bytes: nil,
                updatedFlags: updatedFlags)
            return Response(message: m, metadata: cached, metadataIsNew: false)
        }
        let content = IMAPMessageContent(storedBytes: try readStoredBytes(), cached: cached, limits: limits)
        return Response(
            message: fetchedMessage(
                uid: uid, internalDate: internalDate, attributes: attributes, content: content,
                updatedFlags: updatedFlags),
            metadata: content.metadata, metadataIsNew: content.parsed)
    }

    /// Builds the FETCH data for one message whose content is already loaded.
    public static func fetchedMessage(
        uid: UID, internalDate: IMAPDateTime?, attributes: [FetchAttribute], content: IMAPMessageContent,
        updatedFlags: Set<Flag>? = nil
    ) -> FetchedMessage {
        fetchedMessage(
            uid: uid, internalDate: internalDate, attributes: attributes, metadata: content.metadata,
            bytes: content.bytes, updatedFlags: updatedFlags)
    }

    /// `bytes` are the normalised message bytes; nil only when no attribute needs them.
    static func fetchedMessage(
        uid: UID, internalDate: IMAPDateTime?, attributes: [FetchAttribute], metadata: IMAPMessageMetadata,
        bytes: [UInt8]?, updatedFlags: Set<Flag>?
    ) -> FetchedMessage {
        let structure = metadata.structure
        var m = FetchedMessage(uid: uid, internalDate: internalDate, size: metadata.size, updatedFlags: updatedFlags)
        for a in attributes {
            switch a {
            case .envelope:
                if m.envelope == nil { m.envelope = IMAPEnvelope(structure.envelope) }
            case .bodyStructure, .bodyBasic:
                if m.bodyStructure == nil { m.bodyStructure = IMAPBodyStructure(structure) }
            case .binary(let part, _, _), .binarySize(let part):
                if m.binary[part] == nil, let bytes,
                    let content = binaryContent(part, structure: structure, bytes: bytes)
                {
                    m.binary[part] = content
                }
            default:
                guard let section = a.section, m.sections[section] == nil else { continue }
                if let data = sectionBytes(section, structure: structure, bytes: bytes) {
                    m.sections[section] = data
                }
            }
        }
        return m
    }

    /// A part body with its Content-Transfer-Encoding undone (RFC 3516 §4.2), nil when there is no
    /// such part. `BINARY[]` is the whole message as stored, as its header still names the encoding;
    /// a multipart or message/rfc822 body is never encoded (RFC 2045 §6.4), so it is returned as is.
    static func binaryContent(_ path: [Int], structure: MessageStructure, bytes: [UInt8]) -> BinaryContent? {
        guard !path.isEmpty else { return .decoded(bytes) }
        guard let part = structure.part(at: path) else { return nil }
        let body = bytes[part.bodyRange.clamped(to: 0..<bytes.count)]
        if part.contentType.isMultipart || part.contentType.isMessageRFC822 { return .decoded(Array(body)) }
        let encoding = part.contentTransferEncoding.lowercased()
        switch encoding {
        case "", "7bit", "8bit", "binary", "base64", "quoted-printable":
            return .decoded(TransferDecoding.decode(body, encoding: encoding))
        default:
            return .unknownEncoding(encoding)
        }
    }

    /// The bytes of a section, nil when the message has no such part (RFC 3501 §6.4.5).
    static func sectionBytes(_ section: IMAPSection, structure: MessageStructure, bytes: [UInt8]?) -> [UInt8]? {
        switch structure.content(of: section.sectionSpec) {
        case nil: return nil
        case .bytes(let b)?: return b
        case .range(let r)?:
            // needsMessageBytes guarantees the bytes are here whenever a range is asked for.
            guard let bytes else { preconditionFailure("FetchResponder: section \(section) needs the message bytes") }
            if r == 0..<bytes.count { return bytes }  // BODY[] / RFC822: share the array, no copy
            return Array(bytes[r.clamped(to: 0..<bytes.count)])
        }
    }
}
