import AccountStore
import Foundation
import GovMailConfig
import MailCore
import NetServer
import Relay
import TLSEngine

/// `/readyz`: whether this node can do its work now. Blocking (SQLite, disk, a TCP connect):
/// runs on a worker pool. Each check says what is wrong and what to do.
struct ReadinessChecks: Sendable {
    struct Result: Sendable, Equatable {
        let name: String
        /// Nil when the check passed.
        let problem: String?
    }

    /// Certificates closer than this to expiry make the node not ready (renew in time).
    static let certificateMargin = 14 * 86_400

    let config: Config
    let store: AccountStore?

    func run() -> [Result] {
        var out = [sqlite(), stateDir()]
        if config.listeners.contains(where: { $0.tls != .none }) { out.append(certificate()) }
        if config.smtp.relay.isEnabled { out.append(relay()) }
        return out
    }

    private func sqlite() -> Result {
        guard let store else { return Result(name: "sqlite", problem: "the directory is not open") }
        do {
            try store.checkWritable()
            return Result(name: "sqlite", problem: nil)
        } catch {
            return Result(
                name: "sqlite",
                problem: "govmail.sqlite does not accept writes (\(error)); check disk space and file permissions")
        }
    }

    private func stateDir() -> Result {
        let path = config.resolve(".readyz-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            return Result(
                name: "state_dir",
                problem:
                    "cannot create a file in \(config.stateDir) (\(String(cString: strerror(errno)))); check permissions and disk space"
            )
        }
        let probe: [UInt8] = Array("ok\n".utf8)
        let written = write(fd, probe, probe.count)
        let synced = fsync(fd)
        let err = errno
        close(fd)
        unlink(path)
        guard written == probe.count, synced == 0 else {
            return Result(
                name: "state_dir",
                problem: "cannot write to \(config.stateDir) (\(String(cString: strerror(err)))); check disk space")
        }
        return Result(name: "state_dir", problem: nil)
    }

    private func certificate() -> Result {
        let path = config.resolve(config.tls.certificate)
        do {
            let left = try CertificateExpiry.secondsRemaining(pemPath: path)
            if left < Self.certificateMargin {
                let when = left <= 0 ? "has expired" : "expires in \(left / 86_400) day(s)"
                return Result(
                    name: "certificate", problem: "the certificate \(path) \(when); renew it and send SIGHUP")
            }
            return Result(name: "certificate", problem: nil)
        } catch {
            return Result(name: "certificate", problem: "\(error)")
        }
    }

    private func relay() -> Result {
        let r = config.smtp.relay
        do {
            let socket = try RelaySocket.connect(host: r.host, port: r.port, timeout: 3)
            socket.close()
            return Result(name: "relay", problem: nil)
        } catch {
            return Result(name: "relay", problem: "\(error.description); check the smarthost and the network")
        }
    }

    /// 200 with one line per check, or 503 naming what failed.
    static func response(_ results: [Result]) -> (ready: Bool, text: String) {
        let ready = results.allSatisfy { $0.problem == nil }
        let lines = results.map { r in r.problem.map { "FAIL \(r.name): \($0)" } ?? "ok \(r.name)" }
        return (ready, (ready ? "ready\n" : "not ready\n") + lines.joined(separator: "\n"))
    }
}

/// Shares one run of the readiness checks between probes for a few seconds, so a burst of
/// `/readyz` requests costs one SQLite write, one file and one smarthost connect, not one each,
/// and cannot fill the storage pool.
final class ReadinessCache: Sendable {
    private let maxAge: Double
    private let last = Locked<(at: Double, results: [ReadinessChecks.Result])?>(nil)

    init(maxAge: Double = 5) { self.maxAge = maxAge }

    func results(now: Double, _ run: () -> [ReadinessChecks.Result]) -> [ReadinessChecks.Result] {
        if let cached = last.withLock({ $0 }), now - cached.at < maxAge, now >= cached.at { return cached.results }
        let fresh = run()
        last.withLock { $0 = (now, fresh) }
        return fresh
    }
}
