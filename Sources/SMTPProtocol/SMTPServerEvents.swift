import MailCore

/// Which listener a session serves: one session type, two policies.
public enum SMTPSessionMode: Sendable, Equatable {
    /// Ports 587/465 (RFC 6409): AUTH required (after TLS), sender checked, relaying allowed.
    case submission
    /// Port 25 for our own domains: no AUTH, local recipients only, never relays.
    case inbound
}

/// What the session knows of its peer when the connection opens.
public struct SMTPPeer: Sendable, Equatable {
    /// The client's IP address as text (for the Received header, unless hidden).
    public var address: String
    /// The TLS version when TLS is already on (implicit TLS on 465), else nil.
    public var tlsVersion: String?
    /// A unique id for this connection (logs, Received, Message-ID).
    public var sessionID: String

    public init(address: String, tlsVersion: String? = nil, sessionID: String) {
        self.address = address
        self.tlsVersion = tlsVersion
        self.sessionID = sessionID
    }
}

/// Fixed settings of a server session.
public struct SMTPServerConfiguration: Sendable {
    public var hostname: String
    public var mode: SMTPSessionMode
    public var limits: SMTPLimits
    /// Leave the client's IP address out of Received headers.
    public var hideClientAddress: Bool
    /// Whether STARTTLS can be offered (a certificate is configured).
    public var tlsAvailable: Bool
    /// Reads "now" for Date and Received headers.
    public var clock: any MailClock
    /// Where the bare `RCPT TO:<Postmaster>` goes (RFC 5321 §4.5.1); nil refuses it with 550 5.1.1.
    public var postmaster: EmailAddress?

    public init(
        hostname: String, mode: SMTPSessionMode, limits: SMTPLimits = SMTPLimits(),
        hideClientAddress: Bool = false, tlsAvailable: Bool = true, clock: any MailClock,
        postmaster: EmailAddress? = nil
    ) {
        self.postmaster = postmaster
        self.hostname = hostname
        self.mode = mode
        self.limits = limits
        self.hideClientAddress = hideClientAddress
        self.tlsAvailable = tlsAvailable
        self.clock = clock
    }
}

/// Everything that can happen to a server session.
public enum SMTPServerEvent: Sendable, Equatable {
    /// The connection opened; the session answers with the greeting.
    case connected(SMTPPeer)
    /// Plaintext bytes from the client (after TLS decryption when TLS is on).
    case received([UInt8])
    /// The TLS handshake the session asked for with `.startTLS` completed (RFC 3207).
    case tlsStarted(version: String)
    /// Result of `.authenticate`.
    case authenticationResult(AuthenticationResult)
    /// Result of `.checkSender`.
    case senderCheckResult(SenderCheckResult)
    /// Result of `.checkRecipient`.
    case recipientCheckResult(RecipientCheckResult)
    /// Result of `.deliver`.
    case deliveryResult(DeliveryResult)
    /// The idle timer fired (no input for the idle time).
    case timeout
    /// The deadline of `SMTPServerSession.pendingInput` passed: the client trickles a command
    /// line or a message transfer (`421 4.4.2`, close).
    case deadlineExpired
    /// The client did not authenticate within the pre-authentication time (`421 4.7.0`, close).
    case preAuthenticationExpired
    /// The server is shutting down (SIGTERM grace period over).
    case shutdown
}

/// Everything a server session asks the outside to do, in order.
public enum SMTPServerAction: Sendable, Equatable {
    case send(SMTPReply)
    /// Start the TLS handshake now; report `.tlsStarted` (or close on failure). Plaintext read
    /// after the STARTTLS line was already discarded by the session (RFC 3207 §4.2).
    case startTLS
    /// Verify credentials (slowly, off the I/O queue); answer `.authenticationResult`.
    case authenticate(AuthenticationRequest)
    /// May `account` use `address` as sender? Answer `.senderCheckResult`.
    case checkSender(address: EmailAddress, account: EmailAddress)
    /// Where does `address` go? Answer `.recipientCheckResult`.
    case checkRecipient(RecipientCheck)
    /// Store the message durably for every recipient; answer `.deliveryResult`.
    case deliver(Delivery)
    /// Close the connection after sending everything queued before this action.
    case close
}

/// Credentials to verify (RFC 4954).
public struct AuthenticationRequest: Sendable, Equatable {
    public var mechanism: SASLMechanism
    /// The authorization identity of PLAIN (usually empty; non-empty and different is refused by policy).
    public var authorizationIdentity: String
    public var username: String
    public var password: Secret

    public init(mechanism: SASLMechanism, authorizationIdentity: String, username: String, password: Secret) {
        self.mechanism = mechanism
        self.authorizationIdentity = authorizationIdentity
        self.username = username
        self.password = password
    }
}

public enum AuthenticationResult: Sendable, Equatable {
    /// Accepted; `account` is the canonical address MAIL FROM is checked against.
    case succeeded(account: EmailAddress)
    /// Wrong credentials or disabled account (`535 5.7.8`).
    case failed
    /// Throttled after too many failures (`454 4.7.0`).
    case blocked
    /// Too many logins waiting for verification; nothing was checked (`454 4.7.0`, retry soon).
    case busy
}

public enum SenderCheckResult: Sendable, Equatable {
    /// Allowed; `identities` are every address the account may use (itself and its aliases),
    /// against which the header From: is checked after DATA.
    case allowed(identities: [EmailAddress])
    /// Not the account or one of its aliases (`553 5.7.1`).
    case refused
    /// The directory could not be read (`451 4.3.0`): the client should try again, not give up.
    case temporaryFailure
}

/// A recipient to look up, with what the session knows of the transaction.
public struct RecipientCheck: Sendable, Equatable {
    public var address: EmailAddress
    public var mode: SMTPSessionMode
    /// The client's SIZE declaration, for `tooLargeForAccount`.
    public var declaredSize: Int?

    public init(address: EmailAddress, mode: SMTPSessionMode, declaredSize: Int?) {
        self.address = address
        self.mode = mode
        self.declaredSize = declaredSize
    }
}

public enum RecipientCheckResult: Sendable, Equatable {
    /// A local account or alias; `mailbox` is the account that receives it.
    case local(mailbox: EmailAddress)
    /// Local domain, no such account (`550 5.1.1`).
    case unknownLocal
    /// A remote address the relay queue accepts (submission only; inbound refuses it anyway).
    case remoteAcceptedForRelay
    /// A remote address and relaying is not configured (`550 5.7.1`).
    case remoteRefused
    /// The recipient's mailbox is full (`452 4.2.2`).
    case overQuota
    /// The declared size exceeds what the account may hold (`552 5.2.2`).
    case tooLargeForAccount
    /// The directory could not be read (`451 4.3.0`).
    case temporaryFailure
}

/// One accepted recipient and where it goes.
public struct EnvelopeRecipient: Sendable, Equatable {
    public enum Route: Sendable, Equatable {
        case local(mailbox: EmailAddress)
        case relay
    }
    public var address: EmailAddress
    public var route: Route

    public init(address: EmailAddress, route: Route) {
        self.address = address
        self.route = route
    }
}

/// A complete message ready to be stored (RFC 5321 §2.3.1 envelope plus content).
public struct Delivery: Sendable, Equatable {
    /// nil for the null reverse path.
    public var sender: EmailAddress?
    public var recipients: [EnvelopeRecipient]
    /// The authenticated account (submission), for activity counters.
    public var account: EmailAddress?
    /// The message as stored: Received (and Date, Message-ID) added, CRLF line ends.
    public var message: [UInt8]
    public var smtpUTF8: Bool
    /// A unique id of this transaction (`<sessionID>.<n>`); the same retry gets a new one.
    public var transactionID: String

    public init(
        sender: EmailAddress?, recipients: [EnvelopeRecipient], account: EmailAddress?, message: [UInt8],
        smtpUTF8: Bool, transactionID: String
    ) {
        self.sender = sender
        self.recipients = recipients
        self.account = account
        self.message = message
        self.smtpUTF8 = smtpUTF8
        self.transactionID = transactionID
    }
}

public enum DeliveryResult: Sendable, Equatable {
    /// Durable for every recipient (`250 2.0.0 Ok: queued as <id>`).
    case queued(id: String)
    /// Something failed transiently (`451 4.3.0`); the outside made sure a retry gives no duplicates.
    case transientFailure
    /// Refused with a specific reply (e.g. over quota found at delivery time).
    case refused(SMTPReply)
}
