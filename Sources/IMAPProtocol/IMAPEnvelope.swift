/// One address of an ENVELOPE (RFC 3501 §9 `address`). A group starts with `mailbox` = group name and
/// `host` nil, and ends with all four fields nil (RFC 3501 §7.4.2).
public struct IMAPAddress: Sendable, Hashable {
    /// The display name as it appears in the header (encoded words kept; the client decodes them).
    public var name: String?
    /// Source route; always nil in practice.
    public var adl: String?
    public var mailbox: String?
    public var host: String?

    public init(name: String?, adl: String? = nil, mailbox: String?, host: String?) {
        self.name = name
        self.adl = adl
        self.mailbox = mailbox
        self.host = host
    }

    /// The marker that opens a group `name:` (RFC 3501 §7.4.2).
    public static func groupStart(_ name: String) -> IMAPAddress { IMAPAddress(name: nil, mailbox: name, host: nil) }
    /// The marker that closes a group `;`.
    public static let groupEnd = IMAPAddress(name: nil, mailbox: nil, host: nil)

    // address = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
    func encode(_ w: inout IMAPWriter) {
        w.raw("(")
        w.nstring(name)
        w.raw(" ")
        w.nstring(adl)
        w.raw(" ")
        w.nstring(mailbox)
        w.raw(" ")
        w.nstring(host)
        w.raw(")")
    }
}

/// The ENVELOPE of a message (RFC 3501 §7.4.2): raw header values, nil when the header is absent.
///
/// The converter fills `sender` and `replyTo` with `from` when those headers are missing, as
/// RFC 3501 requires; an empty string is sent as `""`, nil as `NIL`; an empty list is `NIL`.
public struct IMAPEnvelope: Sendable, Hashable {
    public var date: String?
    public var subject: String?
    public var from: [IMAPAddress]
    public var sender: [IMAPAddress]
    public var replyTo: [IMAPAddress]
    public var to: [IMAPAddress]
    public var cc: [IMAPAddress]
    public var bcc: [IMAPAddress]
    public var inReplyTo: String?
    public var messageID: String?

    public init(
        date: String? = nil, subject: String? = nil, from: [IMAPAddress] = [], sender: [IMAPAddress] = [],
        replyTo: [IMAPAddress] = [], to: [IMAPAddress] = [], cc: [IMAPAddress] = [], bcc: [IMAPAddress] = [],
        inReplyTo: String? = nil, messageID: String? = nil
    ) {
        self.date = date
        self.subject = subject
        self.from = from
        self.sender = sender
        self.replyTo = replyTo
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.inReplyTo = inReplyTo
        self.messageID = messageID
    }

    // envelope = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP
    //            env-cc SP env-bcc SP env-in-reply-to SP env-message-id ")"
    public func encode(_ w: inout IMAPWriter) {
        w.raw("(")
        w.nstring(date)
        w.raw(" ")
        w.nstring(subject)
        for list in [from, sender, replyTo, to, cc, bcc] {
            w.raw(" ")
            // env-from = "(" 1*address ")" / nil
            if list.isEmpty {
                w.raw("NIL")
            } else {
                w.raw("(")
                for a in list { a.encode(&w) }
                w.raw(")")
            }
        }
        w.raw(" ")
        w.nstring(inReplyTo)
        w.raw(" ")
        w.nstring(messageID)
        w.raw(")")
    }
}
