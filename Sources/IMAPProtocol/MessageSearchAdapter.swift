import MailCore
import MessageFormat

/// A message as SEARCH sees it (RFC 3501 §6.4.4), built from its loaded content: header keys match
/// RFC 2047-decoded values, BODY/TEXT match the charset-decoded text parts (transfer encoding undone,
/// attachments skipped), SENT* keys use the Date header's own calendar date, LARGER/SMALLER the
/// RFC822.SIZE. Decoding happens when a key asks for it, so a FROM search never decodes bodies.
public struct MessageSearchAdapter: SearchableMessage {
    public let uid: UID
    public let internalDate: Int64
    public let sentDate: IMAPDate?
    public let size: Int
    let structure: MessageStructure
    /// The normalised bytes the structure's offsets refer to.
    let bytes: [UInt8]

    /// `internalDate` is INTERNALDATE in seconds since the epoch.
    public init(uid: UID, internalDate: Int64, content: IMAPMessageContent) {
        self.uid = uid
        self.internalDate = internalDate
        self.structure = content.metadata.structure
        self.bytes = content.bytes
        self.size = content.metadata.size
        self.sentDate = Self.sentDate(of: content.metadata.structure)
    }

    public func headerValues(_ name: String) -> [String] { structure.decodedHeaderValues(name) }

    public var headerText: String { structure.decodedHeaderText }

    public var bodyText: String { structure.decodedBodyTexts(in: bytes).joined(separator: "\n") }

    /// The calendar date of the Date header in the sender's zone, "disregarding time and timezone"
    /// (RFC 3501 §6.4.4 SENTON); nil when the header is missing or unreadable.
    static func sentDate(of structure: MessageStructure) -> IMAPDate? {
        guard let value = structure.header.first("Date")?.value, let d = MessageDate.parse(value) else { return nil }
        return IMAPDate(year: d.year, month: d.month, day: d.day)
    }
}
