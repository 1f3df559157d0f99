import GovMailConfig

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who `govmail serve` runs as: bind the privileged ports as root, then switch to `server.user`
/// before the first connection is accepted, so no parser ever runs as root (issue 18 item 5).
///
/// Decided before binding (`plan`), so a wrong setting fails at startup with what to do; carried
/// out right after binding (`drop`). glibc applies setgid/setuid to every thread of the process.
public enum Privileges {
    /// The account the server switches to.
    public struct Target: Sendable, Equatable {
        public let name: String
        public let uid: uid_t
        public let gid: gid_t
    }

    /// What `serve` must do after binding: switch to `Target`, or nothing (nil).
    /// `allowRoot`: `--allow-root` or `server.allow_root`.
    public static func plan(config: Config, allowRoot: Bool, effectiveUID: uid_t = geteuid()) throws -> Target? {
        let user = config.server.user
        guard effectiveUID == 0 else {
            guard !user.isEmpty else { return nil }
            let target = try lookup(user)
            guard target.uid == effectiveUID else {
                throw ServerStartupError(
                    "server.user is \(user), but govmail was started as uid \(effectiveUID) and cannot switch; start it as root (it binds the ports, then runs as \(user)) or as \(user)"
                )
            }
            return nil
        }
        guard !user.isEmpty else {
            guard allowRoot || config.server.allowRoot else {
                throw ServerStartupError(
                    "refusing to serve as root: set server.user (e.g. govmail) so the server runs as that user after binding its ports, or pass --allow-root (tests only)"
                )
            }
            return nil
        }
        let target = try lookup(user)
        guard target.uid != 0 else {
            guard allowRoot || config.server.allowRoot else {
                throw ServerStartupError(
                    "server.user \(user) is root; name an unprivileged user such as govmail, or pass --allow-root (tests only)"
                )
            }
            return nil
        }
        try checkOwnership(of: config.stateDir, by: target)
        try checkOwnership(of: config.resolve("govmail.sqlite"), by: target, mayBeMissing: true)
        return target
    }

    /// Files the server created as root before binding (a new database and its WAL) become the
    /// target's, so it can still open them once it runs as the target. Others' files are left alone.
    public static func handOver(_ paths: [String], to target: Target) throws {
        for path in paths {
            var st = stat()
            guard stat(path, &st) == 0, st.st_uid == 0 else { continue }
            guard chown(path, target.uid, target.gid) == 0 else { throw failure("chown \(path)", target) }
        }
    }

    /// Switches the whole process to `target` for good: supplementary groups, group, then user.
    public static func drop(to target: Target) throws {
        guard initgroups(target.name, target.gid) == 0 else { throw failure("initgroups", target) }
        guard setgid(target.gid) == 0 else { throw failure("setgid", target) }
        guard setuid(target.uid) == 0 else { throw failure("setuid", target) }
        // A switch that could be undone was no switch: root must be out of reach now.
        guard setuid(0) != 0, geteuid() == target.uid, getegid() == target.gid else {
            throw ServerStartupError("could not give up root for good after switching to \(target.name); not serving")
        }
    }

    static func lookup(_ name: String) throws -> Target {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let rc = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else {
            throw ServerStartupError(
                "server.user \(name) does not exist; create it (useradd --system --home-dir /var/lib/govmail --shell /usr/sbin/nologin \(name)) or change server.user"
            )
        }
        return Target(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }

    private static func checkOwnership(of path: String, by target: Target, mayBeMissing: Bool = false) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            if mayBeMissing && errno == ENOENT { return }
            throw ServerStartupError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard st.st_uid == target.uid else {
            throw ServerStartupError(
                "\(path) belongs to uid \(st.st_uid), not to server.user \(target.name), which the server runs as after binding; run `chown -R \(target.name): \(path)` (and run govmail admin commands as \(target.name))"
            )
        }
    }

    private static func failure(_ call: String, _ target: Target) -> ServerStartupError {
        ServerStartupError(
            "cannot switch to server.user \(target.name) (\(call): \(String(cString: strerror(errno)))); not serving")
    }
}
