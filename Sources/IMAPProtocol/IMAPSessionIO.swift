import MailCore

/// Work the session asks its owner to do outside (storage, authentication); each is answered by
/// exactly one `IMAPEvent` (named on each case). Only one request is outstanding at a time.
public enum IMAPRequest: Sendable, Equatable {
    /// Verify credentials (throttled like SMTP) and record the login with the ID client name → `.authenticated`.
    case authenticate(username: String, password: Secret, authorizationIdentity: String, clientName: String?)
    /// All folders of the account, or only subscribed ones → `.mailboxes`.
    case listMailboxes(subscribedOnly: Bool)
    /// Open a folder and start tracking changes for this session → `.selected` or `.failed`.
    case select(MailboxName, readOnly: Bool)
    /// Counts for STATUS → `.status` or `.failed`.
    case status(MailboxName)
    /// The account's storage use and limit (RFC 9208), after checking that `mailbox` exists when
    /// given (GETQUOTAROOT) → `.quota` or `.failed`.
    case quota(mailbox: MailboxName?)
    /// → `.done` or `.failed`.
    case create(MailboxName), delete(MailboxName), rename(MailboxName, to: MailboxName)
    /// → `.done` or `.failed`.
    case subscribe(MailboxName), unsubscribe(MailboxName)
    /// Deliver a message durably → `.appended` or `.failed` (`.nonexistent` becomes TRYCREATE).
    case append(MailboxName, flags: [Flag], internalDate: IMAPDateTime?, message: [UInt8])
    /// MULTIAPPEND (RFC 3502): every message durable, or none stored → `.appendedAll` or `.failed`.
    case appendAll(MailboxName, [AppendMessage])
    /// Data for FETCH; set \Seen on `markSeen` first and report the new flags → `.fetched`.
    case fetch(uids: [UID], attributes: [FetchAttribute], markSeen: [UID])
    /// Decoded headers and text for SEARCH → `.searchData`.
    case searchData(uids: [UID])
    /// Change flags; report each message's resulting flags → `.stored`.
    case store(uids: [UID], StoreOperation)
    /// → `.copied` or `.failed`.
    case copy(uids: [UID], to: MailboxName)
    /// Copy then expunge from the selected folder (RFC 6851) → `.copied` (the source UIDs are gone).
    case move(uids: [UID], to: MailboxName)
    /// Expunge messages with \Deleted (only among `uids` when given, UID EXPUNGE) → `.expunged`.
    case expunge(uids: [UID]?)
    /// Re-sync the selected folder (NOOP, CHECK) → `.mailboxChanged` (possibly empty).
    case checkMailbox
    /// Leave the selected folder, expunging \Deleted messages silently when asked (CLOSE) → `.done`.
    case closeMailbox(expunge: Bool)
}

/// What the session asks its connection to do.
public enum IMAPAction: Sendable, Equatable {
    case send(IMAPResponse)
    /// Begin the TLS handshake now (the OK was sent); answer with `.tlsStarted`.
    case startTLS
    /// Close the connection after sending what came before.
    case close
    case request(IMAPRequest)
    /// The client is in IDLE: push `.mailboxChanged` as soon as the store changes.
    case idleStarted
    case idleEnded
    /// The client named itself with ID after login; record it with today's login activity.
    case clientIdentified(String)
}

/// How authentication went; every failure is reported the same way to the client.
public enum IMAPAuthResult: Sendable, Equatable {
    case success(account: String)
    case invalidCredentials
    /// Too many failures for this address or account (shared with SMTP).
    case throttled
    /// The directory could not be reached.
    case unavailable
}

/// SPECIAL-USE attributes (RFC 6154).
public enum SpecialUse: String, Sendable, Equatable {
    case sent = "\\Sent", drafts = "\\Drafts", trash = "\\Trash", junk = "\\Junk", archive = "\\Archive"
}

/// One folder for LIST/LSUB.
public struct MailboxInfo: Sendable, Equatable {
    public var name: MailboxName
    public var specialUse: SpecialUse?
    public var hasChildren: Bool
    public var selectable: Bool
    public init(name: MailboxName, specialUse: SpecialUse? = nil, hasChildren: Bool = false, selectable: Bool = true) {
        self.name = name
        self.specialUse = specialUse
        self.hasChildren = hasChildren
        self.selectable = selectable
    }
}

/// The state of a folder at SELECT (UIDVALIDITY and UIDNEXT from the uidlist).
public struct SelectedMailboxState: Sendable, Equatable {
    public var uidValidity: UInt32
    public var uidNext: UID
    /// Every message, ascending by UID, with its flags.
    public var messages: [MessageFlags]
    /// Messages that are \Recent for this session (no other session gets them).
    public var recent: Set<UID>
    public init(uidValidity: UInt32, uidNext: UID, messages: [MessageFlags], recent: Set<UID> = []) {
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.messages = messages
        self.recent = recent
    }
}

/// A UID with its flags.
public struct MessageFlags: Sendable, Equatable {
    public var uid: UID
    public var flags: Set<Flag>
    public init(_ uid: UID, _ flags: Set<Flag> = []) {
        self.uid = uid
        self.flags = flags
    }
}

/// An account's storage quota (RFC 9208 resource STORAGE); the directory keeps no message limit.
public struct AccountQuota: Sendable, Equatable {
    public var usedBytes: Int64
    /// nil: the account has no limit, so it has no quota root.
    public var limitBytes: Int64?
    public init(usedBytes: Int64, limitBytes: Int64?) {
        self.usedBytes = usedBytes
        self.limitBytes = limitBytes
    }
}

/// STATUS counts (RFC 3501 §6.3.10).
public struct MailboxStatus: Sendable, Equatable {
    public var messages: Int
    public var recent: Int
    public var uidNext: UID
    public var uidValidity: UInt32
    public var unseen: Int
    /// Octets of all messages (RFC 8438 STATUS=SIZE), the RFC822.SIZEs summed.
    public var size: Int64
    public init(messages: Int, recent: Int, uidNext: UID, uidValidity: UInt32, unseen: Int, size: Int64 = 0) {
        self.messages = messages
        self.recent = recent
        self.uidNext = uidNext
        self.uidValidity = uidValidity
        self.unseen = unseen
        self.size = size
    }
}

/// What the store returns for one message of a FETCH; only requested items need be filled.
public struct FetchedMessage: Sendable, Equatable {
    public var uid: UID
    public var internalDate: IMAPDateTime?
    public var size: Int?
    public var envelope: IMAPEnvelope?
    public var bodyStructure: IMAPBodyStructure?
    /// Bytes of each requested section (without partial); a missing key means the part does not exist (NIL).
    public var sections: [IMAPSection: [UInt8]]
    /// The flags after `markSeen`, when they changed.
    public var updatedFlags: Set<Flag>?
    /// Decoded part bodies for BINARY and BINARY.SIZE by part path; a missing key means no such part.
    public var binary: [[Int]: BinaryContent] = [:]
    public init(
        uid: UID, internalDate: IMAPDateTime? = nil, size: Int? = nil, envelope: IMAPEnvelope? = nil,
        bodyStructure: IMAPBodyStructure? = nil, sections: [IMAPSection: [UInt8]] = [:],
        updatedFlags: Set<Flag>? = nil
    ) {
        self.uid = uid
        self.internalDate = internalDate
        self.size = size
        self.envelope = envelope
        self.bodyStructure = bodyStructure
        self.sections = sections
        self.updatedFlags = updatedFlags
    }
}

/// A part body for BINARY (RFC 3516): decoded, or an encoding GovMail cannot undo (`UNKNOWN-CTE`).
public enum BinaryContent: Sendable, Equatable {
    case decoded([UInt8])
    case unknownEncoding(String)
}

/// A source UID and the UID its copy got, for COPYUID (RFC 4315).
public struct UIDPair: Sendable, Equatable {
    public var source: UID
    public var destination: UID
    public init(_ source: UID, _ destination: UID) {
        self.source = source
        self.destination = destination
    }
}

/// Why the store refused; mapped to `NO [code] text` in one place (`response(tag:)`).
public enum IMAPStoreFailure: Error, Sendable, Equatable {
    case nonexistent(MailboxName)
    case alreadyExists(MailboxName)
    /// The target folder of APPEND/COPY/MOVE does not exist: the client may create it (TRYCREATE).
    case tryCreate(MailboxName)
    case overQuota
    case cannot(String)
    /// Storage is failing (disk, permissions); the text is not shown to the client.
    case unavailable

    /// The tagged NO for this failure; messages say what to do next.
    public func response(tag: String) -> IMAPResponse {
        switch self {
        case .nonexistent(let n):
            return .tagged(tag, .no, .nonexistent, "Folder \(Self.wire(n)) does not exist; check the name with LIST")
        case .alreadyExists(let n):
            return .tagged(tag, .no, .alreadyExists, "Folder \(Self.wire(n)) already exists; choose another name")
        case .tryCreate(let n):
            return .tagged(tag, .no, .tryCreate, "Folder \(Self.wire(n)) does not exist; create it first")
        case .overQuota:
            return .tagged(tag, .no, .overQuota, "Mailbox is full; delete or archive old messages, then try again")
        case .cannot(let why):
            return .tagged(tag, .no, .cannot, why)
        case .unavailable:
            return .tagged(
                tag, .no, .unavailable, "Mail storage is temporarily unavailable; try again in a few minutes")
        }
    }

    /// Response text must be 7-bit here, so names appear as the client's LIST shows them.
    static func wire(_ name: MailboxName) -> String { ModifiedUTF7.encode(name.name) }
}

/// Results of requests, and changes the owner pushes while a folder is selected.
public enum IMAPEvent: Sendable {
    case tlsStarted
    case authenticated(IMAPAuthResult)
    case mailboxes([MailboxInfo])
    case selected(SelectedMailboxState)
    case status(MailboxStatus)
    case quota(AccountQuota)
    case done
    case failed(IMAPStoreFailure)
    case appended(uidValidity: UInt32, uid: UID)
    /// UIDs in the order the messages were given.
    case appendedAll(uidValidity: UInt32, [UID])
    case fetched([FetchedMessage])
    case searchData([any SearchableMessage])
    case stored([UID: Set<Flag>])
    case copied(uidValidity: UInt32, [UIDPair])
    case expunged([UID])
    /// Answer to `.checkMailbox`, or pushed at any time (held until it may be announced).
    case mailboxChanged(MailboxChange)
}

/// Per-listener settings of a session.
public struct IMAPSessionConfiguration: Sendable {
    public var limits: IMAPLimits
    /// True on an implicit-TLS listener (993).
    public var tlsActive: Bool
    /// True on a plaintext listener that offers STARTTLS (143).
    public var startTLSAvailable: Bool
    /// Offset of the server's zone for SEARCH BEFORE/ON/SINCE (Vietnam: +7 h).
    public var zoneOffsetSeconds: Int
    public var serverName = "GovMail"

    public init(
        limits: IMAPLimits = IMAPLimits(), tlsActive: Bool, startTLSAvailable: Bool = false,
        zoneOffsetSeconds: Int = 7 * 3600
    ) {
        self.limits = limits
        self.tlsActive = tlsActive
        self.startTLSAvailable = startTLSAvailable
        self.zoneOffsetSeconds = zoneOffsetSeconds
    }
}
