import MailCore

/// One message of a folder as IMAP sees it.
public struct MessageInfo: Sendable, Equatable {
    public let uid: UID
    /// The unique part of the file name (before `:2,`); stable while flags change.
    public let basename: String
    /// The file's current path (in cur/ once the folder has been synchronized).
    public let path: String
    /// System flags and keywords (never `\Recent`; the view reports recency separately).
    public let flags: Set<Flag>
    /// RFC822.SIZE: from the `S=` field of the name, or the file size when the name has none.
    public let size: Int
    /// INTERNALDATE: the file's modification time, seconds since the epoch.
    public let internalDate: Int
}

/// A folder's state after a synchronization, messages in ascending UID order.
public struct FolderSnapshot: Sendable, Equatable {
    public let uidValidity: UInt32
    public let nextUID: UInt32
    public let messages: [MessageInfo]
    /// UIDs this synchronization moved from new/ to cur/.
    public let movedFromNew: Set<UID>
    /// IMAP `\Recent`: with `claimingRecent`, the messages this synchronization claimed (no other
    /// read-write session gets them); without, those still unclaimed (EXAMINE and STATUS show them
    /// without taking them). See `RecentWatermark`.
    public internal(set) var recent: Set<UID> = []
    /// The scan this snapshot came from: equal numbers mean identical contents.
    let generation: UInt64
}

/// How a STORE changes flags (RFC 3501 §6.4.6: FLAGS, +FLAGS, -FLAGS).
public enum FlagChange: Sendable, Equatable {
    case replace(Set<Flag>), add(Set<Flag>), remove(Set<Flag>)

    func apply(to flags: Set<Flag>) -> Set<Flag> {
        switch self {
        case .replace(let f): return f.filter { $0 != .recent }
        case .add(let f): return flags.union(f.filter { $0 != .recent })
        case .remove(let f): return flags.subtracting(f)
        }
    }
}
