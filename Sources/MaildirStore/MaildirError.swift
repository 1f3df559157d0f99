import MailCore

/// Everything the store can refuse or fail at. Descriptions say what to do and never carry message text.
public enum MaildirError: Error, Equatable, CustomStringConvertible {
    /// A disk or I/O failure (disk full, EIO); nothing partial was left behind. Retry later (SMTP 451, IMAP NO).
    case transientIO(SystemCallError)
    case folderNotFound(String)
    case folderExists(String)
    case inboxCannotBeDeleted
    case inboxCannotBeRenamed
    case renameIntoItself(String)
    case noSuchMessage(UID)
    case tooManyKeywords(String)
    case invalidName(String)

    /// Wraps any failure of a durable step as a transient error (errors that already are `MaildirError` pass through).
    public static func transient(_ error: any Error) -> MaildirError {
        if let e = error as? MaildirError { return e }
        if let e = error as? SystemCallError { return .transientIO(e) }
        return .transientIO(SystemCallError("unknown", "", 5))
    }

    /// True when the operation may succeed if retried later (the store is unchanged).
    public var isTransient: Bool { if case .transientIO = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .transientIO(let e):
            return
                "the mail store could not write to disk (\(e)); nothing was stored, try again later and check free disk space"
        case .folderNotFound(let n): return "the folder \"\(n)\" does not exist; list folders to see the exact names"
        case .folderExists(let n): return "a folder named \"\(n)\" already exists; choose another name"
        case .inboxCannotBeDeleted: return "INBOX cannot be deleted; delete its messages instead"
        case .inboxCannotBeRenamed: return "INBOX cannot be renamed; create a folder and move the messages instead"
        case .renameIntoItself(let n):
            return "the folder \"\(n)\" cannot be moved inside itself; choose a name outside it"
        case .noSuchMessage(let uid):
            return "message UID \(uid) no longer exists; it was expunged, select the folder again"
        case .tooManyKeywords(let k):
            return "the folder already uses 26 keywords, so \"\(k)\" cannot be added; remove unused keywords first"
        case .invalidName(let why): return "invalid folder name: \(why)"
        }
    }
}
