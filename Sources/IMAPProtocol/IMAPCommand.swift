import MailCore

/// How STORE changes flags (RFC 3501 §6.4.6 `store-att-flags`).
public enum StoreMode: Sendable, Hashable {
    case replace, add, remove
}

/// A STORE request: mode, flags, and whether the FETCH responses are suppressed (.SILENT).
public struct StoreOperation: Sendable, Hashable {
    public var mode: StoreMode
    public var silent: Bool
    public var flags: [Flag]
    public init(mode: StoreMode, silent: Bool, flags: [Flag]) {
        self.mode = mode
        self.silent = silent
        self.flags = flags
    }

    /// Applies the operation to a flag set (\Recent is session state and never stored).
    public func applied(to old: Set<Flag>) -> Set<Flag> {
        let given = Set(flags.filter { $0 != .recent })
        switch mode {
        case .replace: return given
        case .add: return old.union(given)
        case .remove: return old.subtracting(given)
        }
    }
}

/// STATUS data items (RFC 3501 §6.3.10).
public enum StatusItem: String, Sendable, Hashable, CaseIterable {
    case messages = "MESSAGES", recent = "RECENT", uidNext = "UIDNEXT", uidValidity = "UIDVALIDITY", unseen = "UNSEEN"
    /// RFC 8438 STATUS=SIZE.
    case size = "SIZE"
}

/// A parsed client command; mailbox names are already decoded from modified UTF-7.
public enum IMAPCommandKind: Sendable, Equatable {
    case capability, noop, logout, id([String: String]?)
    case starttls
    case login(username: String, password: Secret)
    /// `AUTHENTICATE PLAIN [initial-response]` (RFC 3501 §6.2.2, RFC 4959 SASL-IR; `=` is an empty response).
    case authenticate(mechanism: String, initialResponse: String?)
    case select(MailboxName), examine(MailboxName)
    case create(MailboxName), delete(MailboxName), rename(MailboxName, MailboxName)
    case subscribe(MailboxName), unsubscribe(MailboxName)
    /// LIST/LSUB reference and pattern, decoded from modified UTF-7.
    case list(reference: String, pattern: String), lsub(reference: String, pattern: String)
    /// LIST with options or several patterns (RFC 5258, RFC 5819).
    case listExtended(ExtendedListCommand)
    case status(MailboxName, [StatusItem])
    case append(MailboxName, flags: [Flag], date: IMAPDateTime?, message: [UInt8])
    /// APPEND with more than one message (RFC 3502 MULTIAPPEND): stored all or none.
    case multiAppend(MailboxName, [AppendMessage])
    case namespace, idle, enable([String])
    /// RFC 9208: GETQUOTA root, GETQUOTAROOT mailbox, SETQUOTA root (refused: limits are the directory's).
    case getQuota(String), getQuotaRoot(MailboxName), setQuota(String)
    case check, close, unselect, expunge
    case uidExpunge(SequenceSet)
    /// `returning` is nil for a plain SEARCH (answered `* SEARCH`), else the RETURN options
    /// (RFC 4731, RFC 5182); an empty `RETURN ()` already reads as `[.all]`.
    case search(SearchKey, uid: Bool, returning: Set<SearchReturnOption>? = nil)
    case fetch(SequenceSet, [FetchAttribute], uid: Bool)
    /// SORT / UID SORT (RFC 5256): the matches of `SearchKey` ordered by the keys.
    case sort([SortKey], SearchKey, uid: Bool)
    /// THREAD / UID THREAD (RFC 5256 §5).
    case thread(ThreadAlgorithm, SearchKey, uid: Bool)
    case store(SequenceSet, StoreOperation, uid: Bool)
    case copy(SequenceSet, MailboxName, uid: Bool)
    case move(SequenceSet, MailboxName, uid: Bool)

    /// The verb as the command table names it (UID variants included).
    public var verb: IMAPVerb {
        switch self {
        case .capability: return .capability
        case .noop: return .noop
        case .logout: return .logout
        case .id: return .id
        case .starttls: return .starttls
        case .login: return .login
        case .authenticate: return .authenticate
        case .select: return .select
        case .examine: return .examine
        case .create: return .create
        case .delete: return .delete
        case .rename: return .rename
        case .subscribe: return .subscribe
        case .unsubscribe: return .unsubscribe
        case .list, .listExtended: return .list
        case .lsub: return .lsub
        case .status: return .status
        case .append, .multiAppend: return .append
        case .namespace: return .namespace
        case .idle: return .idle
        case .enable: return .enable
        case .getQuota: return .getQuota
        case .getQuotaRoot: return .getQuotaRoot
        case .setQuota: return .setQuota
        case .check: return .check
        case .close: return .close
        case .unselect: return .unselect
        case .expunge: return .expunge
        case .uidExpunge: return .uidExpunge
        case .search(_, let uid, _): return uid ? .uidSearch : .search
        case .fetch(_, _, let uid): return uid ? .uidFetch : .fetch
        case .sort(_, _, let uid): return uid ? .uidSort : .sort
        case .thread(_, _, let uid): return uid ? .uidThread : .thread
        case .store(_, _, let uid): return uid ? .uidStore : .store
        case .copy(_, _, let uid): return uid ? .uidCopy : .copy
        case .move(_, _, let uid): return uid ? .uidMove : .move
        }
    }
}

/// One message of a MULTIAPPEND (RFC 3502 `append-message`).
public struct AppendMessage: Sendable, Equatable {
    public var flags: [Flag]
    public var date: IMAPDateTime?
    public var message: [UInt8]
    public init(flags: [Flag], date: IMAPDateTime?, message: [UInt8]) {
        self.flags = flags
        self.date = date
        self.message = message
    }
}

/// A tagged command (RFC 3501 §9 `command`).
public struct IMAPCommand: Sendable, Equatable {
    public var tag: String
    public var kind: IMAPCommandKind
    public init(tag: String, _ kind: IMAPCommandKind) {
        self.tag = tag
        self.kind = kind
    }
}

/// An APPEND/INTERNALDATE date-time `"17-Jul-1996 02:44:25 -0700"` (RFC 3501 §9 `date-time`).
public struct IMAPDateTime: Sendable, Hashable, CustomStringConvertible {
    /// Seconds since the Unix epoch (UTC).
    public var epochSeconds: Int64
    /// The zone the client wrote, in minutes east of UTC; kept so the date reads back the same.
    public var zoneMinutes: Int

    public init(epochSeconds: Int64, zoneMinutes: Int = 0) {
        self.epochSeconds = epochSeconds
        self.zoneMinutes = zoneMinutes
    }

    /// The wire form: day space-padded to two characters, as RFC 3501 `date-day-fixed` requires.
    public var description: String {
        let local = epochSeconds + Int64(zoneMinutes * 60)
        let date = IMAPDate(epochSeconds: Double(local))
        let secs = Int(((local % 86400) + 86400) % 86400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let day = date.day < 10 ? " \(date.day)" : String(date.day)
        let sign = zoneMinutes < 0 ? "-" : "+"
        let z = abs(zoneMinutes)
        return
            "\(day)-\(IMAPDate.monthNames[date.month - 1])-\(date.year) \(two(secs / 3600)):\(two(secs / 60 % 60)):\(two(secs % 60)) \(sign)\(two(z / 60))\(two(z % 60))"
    }
}
