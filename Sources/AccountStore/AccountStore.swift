import Foundation
import GRDB
import MailCore

/// The staff directory in `<state_dir>/govmail.sqlite`: SQLite in WAL mode through a GRDB pool,
/// foreign keys on, a busy timeout so the CLI can work beside a running server.
public final class AccountStore: Sendable {
    let pool: DatabasePool
    let clock: any MailClock

    /// The database file inside a state folder.
    public static func databasePath(stateDir: String) -> String {
        (stateDir.hasSuffix("/") ? String(stateDir.dropLast()) : stateDir) + "/govmail.sqlite"
    }

    /// Opens (creating if needed) the database at `path`, applies pending migrations and refuses a
    /// database written by a newer version.
    public init(path: String, clock: any MailClock = SystemClock(), busyTimeout: TimeInterval = 10) throws {
        // The file holds password hashes: create it private before SQLite does (the -wal and -shm
        // files take the main file's permissions).
        if !FileManager.default.fileExists(atPath: path) {
            let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "govmail"
        pool = try DatabasePool(path: path, configuration: config)
        self.clock = clock
        let migrator = Schema.migrator
        try pool.write { db in
            // GRDB's own test against the migrations registered here; the names tell the operator which.
            guard try migrator.hasBeenSuperseded(db) else { return }
            let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations).sorted()
            throw DirectoryError.newerSchema(unknownMigrations: unknown)
        }
        try migrator.migrate(pool)
    }

    /// Opens `<stateDir>/govmail.sqlite`, creating the state folder (mode 0700) when missing.
    public static func open(stateDir: String, clock: any MailClock = SystemClock()) throws -> AccountStore {
        try FileManager.default.createDirectory(
            atPath: stateDir, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        return try AccountStore(path: databasePath(stateDir: stateDir), clock: clock)
    }

    /// Names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }

    var now: Int64 { Int64(clock.now().rounded(.down)) }

    /// Runs `body` in one read transaction (a consistent snapshot).
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T { try pool.read(body) }

    /// Runs raw SQL outside the typed API; for tests and maintenance only.
    public func unsafeWrite<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T { try pool.write(body) }

    /// Runs `body` in one write transaction, turning constraint failures into `DirectoryError`.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let e as DatabaseError where e.resultCode == .SQLITE_CONSTRAINT {
            throw DirectoryError.invalid(
                "the change breaks a rule of the directory (\(e.message ?? "constraint")); nothing was changed")
        }
    }
}
