import MailCore
import NetServer
import Relay

/// In-process news that a folder changed (a delivery, another session's STORE or EXPUNGE), so
/// IMAP sessions in IDLE re-synchronise at once instead of waiting for their next poll.
/// Keyed by the folder's directory path; observers are called on the poster's thread and must
/// hop to their own queue.
public final class MailboxNotifier: Sendable {
    public typealias Observer = @Sendable (String) -> Void
    private struct State { var next = 0; var observers: [Int: (path: String, call: Observer)] = [:] }
    private let state = Locked(State())

    public init() {}

    /// Registers interest in one folder path; returns a token for `remove`.
    public func observe(folderPath: String, _ call: @escaping Observer) -> Int {
        state.withLock { s in
            s.next += 1
            s.observers[s.next] = (folderPath, call)
            return s.next
        }
    }

    public func remove(_ token: Int) { _ = state.withLock { $0.observers.removeValue(forKey: token) } }

    /// Tells every observer of `folderPath` that it changed.
    public func post(folderPath: String) {
        let calls = state.withLock { s in s.observers.values.filter { $0.path == folderPath }.map(\.call) }
        for c in calls { c(folderPath) }
    }
}

/// Bounces from the relay runner wake IDLE sessions like any delivery.
extension MailboxNotifier: FolderChangePosting {}
