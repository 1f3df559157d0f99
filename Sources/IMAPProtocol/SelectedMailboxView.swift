import MailCore

/// A message added to a mailbox since the session last looked; `isRecent` is true for exactly one
/// session (the store decides which, RFC 3501 §2.3.2).
public struct AddedMessage: Sendable, Equatable {
    public var uid: UID
    public var flags: Set<Flag>
    public var isRecent: Bool
    public init(uid: UID, flags: Set<Flag>, isRecent: Bool = false) {
        self.uid = uid
        self.flags = flags
        self.isRecent = isRecent
    }
}

/// The result of re-syncing a selected mailbox with the store: what others changed.
public struct MailboxChange: Sendable, Equatable {
    public var added: [AddedMessage]
    public var expunged: [UID]
    /// New complete flag sets (without \Recent) of messages whose flags changed.
    public var flagChanges: [UID: Set<Flag>]
    public init(added: [AddedMessage] = [], expunged: [UID] = [], flagChanges: [UID: Set<Flag>] = [:]) {
        self.added = added
        self.expunged = expunged
        self.flagChanges = flagChanges
    }
    public var isEmpty: Bool { added.isEmpty && expunged.isEmpty && flagChanges.isEmpty }
}

/// What one session has told its client about the selected mailbox: the sequence number ↔ UID map,
/// flags and \Recent, plus changes not yet announced (RFC 3501 §2.3.1.2, §7.4.1).
///
/// Invariants: `uids` ascends strictly and is exactly what the client believes (index = seq - 1);
/// a message expunged by the store stays in `uids` until its EXPUNGE is sent; new messages join
/// `uids` only when their EXISTS is sent; EXPUNGEs go out highest sequence number first, so each
/// number is valid when the client reads it; a UID is never announced twice.
public struct SelectedMailboxView: Sendable, Equatable {
    public private(set) var uids: [UID]
    private var flags: [UID: Set<Flag>]
    private var recent: Set<UID>
    private var pendingExpunged: Set<UID> = []
    private var pendingAdded: [UID] = []
    private var pendingFlags: Set<UID> = []

    public init(messages: [(UID, Set<Flag>)], recent: Set<UID> = []) {
        let sorted = messages.sorted { $0.0 < $1.0 }
        var seen = Set<UID>()
        uids = sorted.map(\.0).filter { seen.insert($0).inserted }
        var f: [UID: Set<Flag>] = [:]
        for (u, fl) in sorted { f[u] = fl.subtracting([.recent]) }
        flags = f
        self.recent = recent.intersection(Set(uids))
    }

    public static func == (a: SelectedMailboxView, b: SelectedMailboxView) -> Bool {
        a.uids == b.uids && a.flags == b.flags && a.recent == b.recent && a.pendingExpunged == b.pendingExpunged
            && a.pendingAdded == b.pendingAdded && a.pendingFlags == b.pendingFlags
    }

    /// Number of messages the client knows (its last EXISTS).
    public var count: Int { uids.count }
    public var recentCount: Int { uids.filter { recent.contains($0) }.count }
    public var hasPendingUpdates: Bool { !pendingExpunged.isEmpty || !pendingAdded.isEmpty || !pendingFlags.isEmpty }

    public func uid(atSequence seq: Int) -> UID? { seq >= 1 && seq <= uids.count ? uids[seq - 1] : nil }

    /// Binary search for a UID's sequence number.
    public func sequenceNumber(of uid: UID) -> Int? {
        var lo = 0, hi = uids.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if uids[mid] == uid { return mid + 1 }
            if uids[mid] < uid { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }

    /// Persistent flags of a message (without \Recent).
    public func flags(of uid: UID) -> Set<Flag> { flags[uid] ?? [] }
    public func isRecent(_ uid: UID) -> Bool { recent.contains(uid) }
    /// Flags as FETCH reports them: persistent flags plus \Recent for this session.
    public func fetchFlags(of uid: UID) -> [Flag] {
        var f = flags(of: uid)
        if recent.contains(uid) { f.insert(.recent) }
        return f.sorted()
    }
    /// Whether the store has expunged the message but the client was not told yet.
    public func isExpungePending(_ uid: UID) -> Bool { pendingExpunged.contains(uid) }

    /// Keywords in use, for the FLAGS response.
    public var keywords: [Flag] { Array(Set(flags.values.flatMap { $0.filter { !$0.isSystem } })).sorted() }

    public enum SetProblem: Error, Equatable {
        /// A sequence number beyond the last message (RFC 3501 §9 `seq-number`): answer BAD.
        case noSuchMessage(UInt32)
    }

    /// The messages a sequence set or UID set names, ascending, as (sequence number, UID).
    /// Non-existent UIDs are ignored (RFC 3501 §6.4.8); `n:*` with n beyond the end still names the last.
    public func resolve(_ set: SequenceSet, byUID: Bool) throws -> [(Int, UID)] {
        guard let lastUID = uids.last else { return [] }
        if byUID {
            var out: [(Int, UID)] = []
            for (i, u) in uids.enumerated() where set.contains(u.value, largest: lastUID.value) {
                out.append((i + 1, u))
            }
            return out
        }
        let n = UInt32(uids.count)
        for r in set.ranges {
            for s in [r.from, r.to] { if case .number(let x) = s, x > n { throw SetProblem.noSuchMessage(x) } }
        }
        var out: [(Int, UID)] = []
        for (i, u) in uids.enumerated() where set.contains(UInt32(i + 1), largest: n) { out.append((i + 1, u)) }
        return out
    }

    /// Records a store re-sync result; nothing is announced until `drain`.
    public mutating func apply(_ change: MailboxChange) {
        for uid in change.expunged {
            if sequenceNumber(of: uid) != nil {
                pendingExpunged.insert(uid)
                pendingFlags.remove(uid)
            } else if let i = pendingAdded.firstIndex(of: uid) {
                pendingAdded.remove(at: i)
                flags[uid] = nil
                recent.remove(uid)
            }
        }
        for a in change.added.sorted(by: { $0.uid < $1.uid }) {
            // UIDs strictly ascend: anything not above the highest known UID is old news.
            guard a.uid > (pendingAdded.last ?? uids.last ?? UID(0)) else { continue }
            if change.expunged.contains(a.uid) { continue }
            pendingAdded.append(a.uid)
            flags[a.uid] = a.flags.subtracting([.recent])
            if a.isRecent { recent.insert(a.uid) }
        }
        for (uid, newFlags) in change.flagChanges {
            let clean = newFlags.subtracting([.recent])
            guard let old = flags[uid], old != clean, !pendingExpunged.contains(uid) else { continue }
            flags[uid] = clean
            if sequenceNumber(of: uid) != nil { pendingFlags.insert(uid) }
        }
    }

    /// Records this session's own flag change (STORE result, \Seen by FETCH); no unsolicited FETCH follows.
    public mutating func setFlags(_ newFlags: Set<Flag>, for uid: UID) {
        guard flags[uid] != nil else { return }
        flags[uid] = newFlags.subtracting([.recent])
        pendingFlags.remove(uid)
    }

    /// The untagged responses to send now. With `allowExpunge` false (during FETCH, STORE, SEARCH
    /// by sequence number, RFC 3501 §7.4.1) expunges stay pending and numbers do not move.
    public mutating func drain(allowExpunge: Bool) -> [IMAPResponse] {
        var out: [IMAPResponse] = []
        if allowExpunge && !pendingExpunged.isEmpty {
            for i in uids.indices.reversed() where pendingExpunged.contains(uids[i]) {
                out.append(.expunge(i + 1))
                flags[uids[i]] = nil
                recent.remove(uids[i])
                uids.remove(at: i)
            }
            pendingExpunged.removeAll()
        }
        if !pendingAdded.isEmpty {
            let anyRecent = pendingAdded.contains { recent.contains($0) }
            uids.append(contentsOf: pendingAdded)
            pendingAdded.removeAll()
            out.append(.exists(uids.count))
            if anyRecent { out.append(.recent(recentCount)) }
        }
        for uid in pendingFlags.sorted() {
            if let seq = sequenceNumber(of: uid) { out.append(.fetch(seq, [.flags(fetchFlags(of: uid))])) }
        }
        pendingFlags.removeAll()
        return out
    }
}
