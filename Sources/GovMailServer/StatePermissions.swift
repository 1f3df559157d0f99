import GovMailConfig
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The files on disk that hold secrets must not be readable by other users of the machine
/// (issue 18): the server refuses to start when the TLS private key or the database (password
/// hashes, the staff directory) is readable by everyone, and warns about folders others can read.
enum StatePermissions {
    /// Throws when a secret file is world-readable; logs a warning per folder others can enter.
    static func check(config: Config, logger: Logger) throws {
        var secrets: [(what: String, path: String)] = [
            ("database", config.resolve("govmail.sqlite")),
            ("database journal", config.resolve("govmail.sqlite-wal")),
            ("database index", config.resolve("govmail.sqlite-shm")),
        ]
        if config.listeners.contains(where: { $0.tls != .none }) {
            secrets.insert(("TLS private key", config.resolve(config.tls.key)), at: 0)
        }
        for (what, path) in secrets {
            guard let mode = mode(of: path), mode & S_IROTH != 0 else { continue }
            throw ServerStartupError(
                "the \(what) \(path) is readable by every user of this machine (mode \(octal(mode))); run `chmod o-rwx \(path)` (0600 is right) and start again"
            )
        }
        for sub in ["", "mail", "queue", "tls"] {
            let path = sub.isEmpty ? config.stateDir : config.resolve(sub)
            guard let mode = mode(of: path), mode & (S_IROTH | S_IXOTH) != 0 else { continue }
            logger.warning(
                "a state folder is open to other users of this machine; run chmod 700 on it",
                metadata: ["path": "\(path)", "mode": "\(octal(mode))"])
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(of path: String) -> mode_t? {
        var st = stat()
        return stat(path, &st) == 0 ? st.st_mode & 0o7777 : nil
    }

    private static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }
}
