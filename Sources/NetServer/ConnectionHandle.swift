import MailCore

/// A thread-safe way to reach a connection's driver from outside its queue (a mailbox notifier,
/// another session): `notify(name)` hops to the connection's queue and calls the driver's
/// `notified(name, context)`, carrying out the actions it returns. It never keeps a closed
/// connection alive and does nothing once the connection is gone.
public struct ConnectionHandle: Sendable {
    let box: ConnectionBox

    /// Asks the driver, on its own queue, to handle `name`; safe from any thread.
    public func notify(_ name: String) { box.connection?.notify(name) }
}

/// The weak link from a handle to its connection, set once the connection is initialised.
final class ConnectionBox: Sendable {
    private struct Weak { weak var connection: Connection? }
    private let ref = Locked(Weak())
    init() {}
    func set(_ connection: Connection) { ref.withLock { $0.connection = connection } }
    var connection: Connection? { ref.withLock { $0.connection } }
}
