import MailCore
import Synchronization

/// What changed in a folder since the view last looked: drives IMAP's untagged EXPUNGE, EXISTS and
/// FETCH FLAGS responses (RFC 3501 §7.4.1, §7.3.1, §7.4.2).
public struct MailboxChanges: Sendable, Equatable {
    /// Removed messages' sequence numbers, highest first, so each can be sent as `* n EXPUNGE` in order.
    public let expungedSequenceNumbers: [Int]
    public let expunged: [UID]
    /// What the view knew of the expunged messages (paths, sizes), for answering a session that
    /// still shows them (RFC 2180 §4.1); same order as `expunged`.
    public var expungedMessages: [MessageInfo] = []
    /// Messages new to this view, ascending by UID (EXISTS grows by their count).
    public let added: [MessageInfo]
    /// Messages whose flags changed (not counting `added`).
    public let flagsChanged: [MessageInfo]
    /// The UID list was rebuilt: the session must drop its state (RFC 3501 §2.3.1.1).
    public let uidValidityChanged: Bool

    public var isEmpty: Bool { expunged.isEmpty && added.isEmpty && flagsChanged.isEmpty && !uidValidityChanged }
}

/// A selected folder as one IMAP session sees it: the ordered message list (sequence number =
/// index + 1), and cheap re-synchronization reporting what changed.
///
/// Thread-safe (internal mutex), but meant to be used by one session at a time.
public final class MailboxView: Sendable {
    public let folder: MaildirFolder
    private struct State {
        var uidValidity: UInt32
        var nextUID: UInt32
        var messages: [MessageInfo]
        var recent: Set<UID>
        var generation: UInt64
    }
    private let state: Mutex<State>

    /// EXAMINE: the view claims no `\Recent`; it shows the messages no session has claimed yet.
    public let readOnly: Bool

    /// SELECT (or EXAMINE with `readOnly`): synchronizes the folder and takes its message list.
    public init(folder: MaildirFolder, readOnly: Bool = false) throws {
        self.readOnly = readOnly
        self.folder = folder
        let snapshot = try folder.synchronize(claimingRecent: !readOnly)
        state = Mutex(
            State(
                uidValidity: snapshot.uidValidity, nextUID: snapshot.nextUID,
                messages: snapshot.messages, recent: snapshot.recent, generation: snapshot.generation))
    }

    public var uidValidity: UInt32 { state.withLock { $0.uidValidity } }
    public var uidNext: UInt32 { state.withLock { $0.nextUID } }
    public var messages: [MessageInfo] { state.withLock { $0.messages } }
    /// UIDs that are `\Recent` for this session (it claimed them; read-only: nobody had yet).
    public var recent: Set<UID> { state.withLock { $0.recent } }

    /// The message with `uid`, and its sequence number.
    public func message(uid: UID) -> (sequence: Int, info: MessageInfo)? {
        state.withLock { s in
            Self.index(of: uid, in: s.messages).map { ($0 + 1, s.messages[$0]) }
        }
    }

    /// NOOP/IDLE/after a command: re-reads the folder and reports the differences, then adopts the new state.
    public func resynchronize() throws -> MailboxChanges {
        let snapshot = try folder.synchronize(claimingRecent: !readOnly)
        return state.withLock { s in
            if snapshot.generation == s.generation && snapshot.recent.isSubset(of: s.recent) {
                return MailboxChanges(
                    expungedSequenceNumbers: [], expunged: [], added: [], flagsChanged: [],
                    uidValidityChanged: false)
            }
            defer { s.generation = snapshot.generation }
            if snapshot.uidValidity != s.uidValidity {
                let all = s.messages
                s = State(
                    uidValidity: snapshot.uidValidity, nextUID: snapshot.nextUID,
                    messages: snapshot.messages, recent: snapshot.recent, generation: snapshot.generation)
                return MailboxChanges(
                    expungedSequenceNumbers: Array((1...max(1, all.count)).reversed().prefix(all.count)),
                    expunged: all.map(\.uid), added: snapshot.messages, flagsChanged: [],
                    uidValidityChanged: true)
            }
            var current: [UID: MessageInfo] = [:]
            for m in snapshot.messages { current[m.uid] = m }
            var expungedSeq: [Int] = [], expunged: [UID] = [], changed: [MessageInfo] = []
            var departed: [MessageInfo] = []
            for (i, old) in s.messages.enumerated() {
                if let now = current[old.uid] {
                    if now.flags != old.flags { changed.append(now) }
                } else {
                    expungedSeq.append(i + 1)
                    expunged.append(old.uid)
                    departed.append(old)
                }
            }
            let lastKnown = s.messages.last?.uid.value ?? 0
            let added = snapshot.messages.filter { $0.uid.value > lastKnown }
            s.messages = snapshot.messages.filter { $0.uid.value <= lastKnown } + added
            s.nextUID = snapshot.nextUID
            s.recent.formUnion(snapshot.recent)
            s.recent.subtract(expunged)
            return MailboxChanges(
                expungedSequenceNumbers: expungedSeq.reversed(), expunged: expunged, expungedMessages: departed,
                added: added, flagsChanged: changed, uidValidityChanged: false)
        }
    }

    /// Reads a message's bytes by UID.
    public func read(uid: UID) throws -> [UInt8] {
        try folder.read(uid, hint: message(uid: uid)?.info)
    }

    private static func index(of uid: UID, in messages: [MessageInfo]) -> Int? {
        var lo = 0, hi = messages.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if messages[mid].uid == uid { return mid }
            if messages[mid].uid < uid { lo = mid + 1 } else { hi = mid - 1 }
        }
        return nil
    }
}
