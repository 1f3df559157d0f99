import MailCore

/// A parsed SMTP command (RFC 5321 §4.1.1, RFC 4954, RFC 3207, RFC 3030).
public enum SMTPCommand: Sendable, Equatable {
    case ehlo(String)
    case helo(String)
    case mail(MailFrom)
    case rcpt(RcptTo)
    case data
    /// `BDAT size [LAST]`; the `size` octets that follow are read by the session (RFC 3030 §2).
    case bdat(size: Int, last: Bool)
    case rset
    case noop
    case quit
    case vrfy(String)
    case help(String?)
    case startTLS
    case auth(mechanism: SASLMechanism, initialResponse: String?)
}

/// The SASL mechanisms GovMail offers (RFC 4616 PLAIN; LOGIN as Outlook needs it).
public enum SASLMechanism: String, Sendable, Equatable {
    case plain = "PLAIN"
    case login = "LOGIN"
}

/// `BODY=` values (RFC 6152).
public enum MailBodyType: String, Sendable, Equatable {
    case sevenBit = "7BIT"
    case eightBitMIME = "8BITMIME"
}

/// The arguments of `MAIL FROM` (RFC 5321 §4.1.1.2 with SIZE, BODY and SMTPUTF8).
public struct MailFrom: Sendable, Equatable {
    /// nil for the null reverse path `<>` (bounces).
    public var reversePath: EmailAddress?
    /// The client's size declaration (RFC 1870), checked before the data arrives.
    public var size: Int?
    public var body: MailBodyType?
    /// RFC 6531: the transaction may use UTF-8 addresses and headers.
    public var smtpUTF8: Bool

    public init(reversePath: EmailAddress?, size: Int? = nil, body: MailBodyType? = nil, smtpUTF8: Bool = false) {
        self.reversePath = reversePath
        self.size = size
        self.body = body
        self.smtpUTF8 = smtpUTF8
    }
}

/// The arguments of `RCPT TO` (RFC 5321 §4.1.1.3).
public struct RcptTo: Sendable, Equatable {
    /// nil only for the bare `<Postmaster>` (no domain), which every server must accept (RFC 5321 §4.5.1).
    public var forwardPath: EmailAddress?
    public init(forwardPath: EmailAddress?) { self.forwardPath = forwardPath }
}
