/// A Content-Type value (RFC 2045 §5.1); type and subtype lowercased.
public struct ContentType: Sendable, Hashable, Codable {
    public var type: String
    public var subtype: String
    public var parameters: MIMEParameters

    /// `text/plain; charset=us-ascii`, the default when a part has no valid Content-Type (RFC 2045 §5.2).
    public static let textPlainDefault = ContentType(
        type: "text", subtype: "plain",
        parameters: MIMEParameters(raw: [MIMEParameter(name: "charset", value: "us-ascii")]))
    /// `message/rfc822`, the default inside multipart/digest (RFC 2046 §5.1.5).
    public static let messageRFC822Default = ContentType(
        type: "message", subtype: "rfc822", parameters: MIMEParameters(raw: []))

    public var mimeType: String { "\(type)/\(subtype)" }
    public var isMultipart: Bool { type == "multipart" }
    public var isMessageRFC822: Bool { type == "message" && subtype == "rfc822" }
    /// The charset parameter; US-ASCII when absent (RFC 2045 §5.2).
    public var charset: Charset { parameters["charset"].map(Charset.init(name:)) ?? .usASCII }

    /// Parses a Content-Type value; nil when it has no `type/subtype`.
    public static func parse(_ value: [UInt8]) -> ContentType? {
        let (head, params) = MIMEValueParser.parse(value)
        let parts = head.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return ContentType(type: String(parts[0]), subtype: String(parts[1]), parameters: params)
    }
}

/// A Content-Disposition value (RFC 2183): `inline` or `attachment` and its parameters.
public struct ContentDisposition: Sendable, Hashable, Codable {
    /// Lowercased disposition type.
    public var type: String
    public var parameters: MIMEParameters
    /// The decoded filename parameter (RFC 2231 continuations and charsets applied).
    public var filename: String? { parameters["filename"] }
}

/// One MIME entity: a message's top level, a part of a multipart, or an encapsulated message's top level.
/// Offsets are absolute positions in the message bytes the structure was parsed from.
public struct MessagePart: Sendable, Equatable, Codable {
    public var header: HeaderSection
    /// Header bytes including the empty line after them (BODY[n.MIME], or BODY[HEADER] at the top).
    public var headerRange: Range<Int> { header.range }
    /// The body bytes (BODY[n], or BODY[TEXT] at the top).
    public var bodyRange: Range<Int>
    /// The effective content type (the default when absent or invalid; see `isTruncatedByLimit`).
    public var contentType: ContentType
    /// Lowercased Content-Transfer-Encoding; "7bit" when absent (RFC 2045 §6.1).
    public var contentTransferEncoding: String
    public var contentID: String?
    public var contentDescription: String?
    public var contentMD5: String?
    public var contentLocation: String?
    public var contentLanguage: [String]
    public var disposition: ContentDisposition?
    /// Number of lines in the body (BODYSTRUCTURE body-fld-lines; a last line without newline counts).
    public var bodyLineCount: Int
    /// The subparts of a multipart, in order.
    public var parts: [MessagePart]
    /// The parsed message inside a message/rfc822 part; nil when it was not parsed (a transfer encoding
    /// other than 7bit/8bit/binary, or a limit), in which case BODYSTRUCTURE describes it as a basic part.
    public var encapsulated: EncapsulatedMessage?
    /// True when nesting or part limits stopped parsing here; the body is then reported as opaque data.
    public var isTruncatedByLimit: Bool

    /// BODYSTRUCTURE body-fld-octets.
    public var bodySize: Int { bodyRange.count }

    /// Visits this part and every part below it (including inside encapsulated messages), depth first.
    public func forEachPart(_ body: (MessagePart) -> Void) {
        var stack: [MessagePart] = [self]
        while let p = stack.popLast() {
            body(p)
            if let e = p.encapsulated { stack.append(e.message.root) }
            stack.append(contentsOf: p.parts.reversed())
        }
    }
}

/// The message inside a message/rfc822 part (a class only so that the part tree can nest).
public final class EncapsulatedMessage: Sendable, Equatable, Codable {
    public let message: MessageStructure
    init(_ message: MessageStructure) { self.message = message }
    public static func == (a: EncapsulatedMessage, b: EncapsulatedMessage) -> Bool { a.message == b.message }
}

/// A parsed message: header, envelope and MIME tree, holding offsets but no body bytes, so it can be
/// cached as metadata (in memory, or encoded with any Codable coder) and used later to slice the
/// original bytes.
public struct MessageStructure: Sendable, Equatable, Codable {
    /// The whole message's bytes (BODY[] / RFC822).
    public var range: Range<Int>
    /// The top-level entity; its header is the message header.
    public var root: MessagePart
    public var envelope: Envelope

    public var header: HeaderSection { root.header }
    public var size: Int { range.count }
}
