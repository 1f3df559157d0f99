/// Session states (RFC 3501 §3).
public enum IMAPState: Sendable, Hashable {
    case notAuthenticated, authenticated, selected, logout
}

/// Every verb the server implements, with the states that allow it: the table mox keeps as data.
public enum IMAPVerb: String, Sendable, CaseIterable {
    case capability = "CAPABILITY", noop = "NOOP", logout = "LOGOUT", id = "ID"
    case starttls = "STARTTLS", login = "LOGIN", authenticate = "AUTHENTICATE"
    case select = "SELECT", examine = "EXAMINE", create = "CREATE", delete = "DELETE", rename = "RENAME"
    case subscribe = "SUBSCRIBE", unsubscribe = "UNSUBSCRIBE", list = "LIST", lsub = "LSUB"
    case status = "STATUS", append = "APPEND", namespace = "NAMESPACE", idle = "IDLE", enable = "ENABLE"
    case getQuota = "GETQUOTA", getQuotaRoot = "GETQUOTAROOT", setQuota = "SETQUOTA"
    case check = "CHECK", close = "CLOSE", unselect = "UNSELECT", expunge = "EXPUNGE"
    case uidExpunge = "UID EXPUNGE"
    case search = "SEARCH", uidSearch = "UID SEARCH", fetch = "FETCH", uidFetch = "UID FETCH"
    case store = "STORE", uidStore = "UID STORE", copy = "COPY", uidCopy = "UID COPY"
    case move = "MOVE", uidMove = "UID MOVE"
    case sort = "SORT", uidSort = "UID SORT", thread = "THREAD", uidThread = "UID THREAD"

    private static let any: Set<IMAPState> = [.notAuthenticated, .authenticated, .selected]
    private static let authenticatedOrSelected: Set<IMAPState> = [.authenticated, .selected]

    /// States in which the command is allowed (RFC 3501 §6.1–§6.4).
    public var allowedStates: Set<IMAPState> {
        switch self {
        case .capability, .noop, .logout, .id: return Self.any
        case .starttls, .login, .authenticate: return [.notAuthenticated]
        case .select, .examine, .create, .delete, .rename, .subscribe, .unsubscribe, .list, .lsub, .status,
            .append, .namespace, .idle, .enable, .getQuota, .getQuotaRoot, .setQuota:
            return Self.authenticatedOrSelected
        case .check, .close, .unselect, .expunge, .uidExpunge, .search, .uidSearch, .fetch, .uidFetch, .store,
            .uidStore, .copy, .uidCopy, .move, .uidMove, .sort, .uidSort, .thread, .uidThread:
            return [.selected]
        }
    }

    /// Commands during which EXPUNGE responses must not be sent, as they address messages by
    /// sequence number (RFC 3501 §7.4.1).
    public var holdsExpunges: Bool {
        switch self {
        case .fetch, .store, .search, .sort, .thread: return true
        default: return false
        }
    }
}
