/// The fields of an IMAP ENVELOPE (RFC 3501 §7.4.2): strings are the unfolded header values as
/// received (encoded words kept), addresses parsed; nil where the header is absent.
public struct Envelope: Sendable, Hashable, Codable {
    public var date: String?
    public var subject: String?
    public var from: [EnvelopeAddress]?
    /// Defaults to `from` when the message has no Sender (RFC 3501 §7.4.2).
    public var sender: [EnvelopeAddress]?
    /// Defaults to `from` when the message has no Reply-To (RFC 3501 §7.4.2).
    public var replyTo: [EnvelopeAddress]?
    public var to: [EnvelopeAddress]?
    public var cc: [EnvelopeAddress]?
    public var bcc: [EnvelopeAddress]?
    public var inReplyTo: String?
    public var messageID: String?

    /// Builds the envelope from a message header.
    public init(header: HeaderSection) {
        func text(_ name: String) -> String? { header.first(name)?.value }
        func addresses(_ name: String) -> [EnvelopeAddress]? {
            guard let f = header.first(name) else { return nil }
            let list = AddressList.envelopeAddresses(AddressList.parse(f.unfoldedValueBytes))
            return list.isEmpty ? nil : list
        }
        date = text("Date")
        subject = text("Subject")
        from = addresses("From")
        sender = addresses("Sender") ?? from
        replyTo = addresses("Reply-To") ?? from
        to = addresses("To")
        cc = addresses("Cc")
        bcc = addresses("Bcc")
        inReplyTo = text("In-Reply-To")
        messageID = text("Message-ID")
    }
}
