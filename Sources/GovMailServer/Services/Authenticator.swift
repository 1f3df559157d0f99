import AccountStore
import Logging
import MailCore

/// One login attempt, as every protocol hands it to the `Authenticator`.
public struct LoginRequest: Sendable {
    public var username: String
    public var password: Secret
    /// When set, must equal the username (no proxy logins).
    public var authorizationIdentity: String
    public var clientAddress: String
    public var protocolName: String

    public init(
        username: String, password: Secret, authorizationIdentity: String = "", clientAddress: String,
        protocolName: String
    ) {
        self.username = username; self.password = password; self.authorizationIdentity = authorizationIdentity
        self.clientAddress = clientAddress; self.protocolName = protocolName
    }
}

/// The result of a login attempt and how long the reply must still wait.
public struct LoginOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case success(DirectoryEntry)
        case failure
        /// Too many recent failures from this address; try again later.
        case blocked
        /// Too many logins are waiting for password verification; try again in a minute.
        case busy
    }
    public let result: Result
    /// Seconds from now before the reply may be sent (0 for a success); the driver sets a timer.
    public let replyAfter: Double
}

/// Where a login stands after the cheap first step.
public enum LoginStep: Sendable {
    /// Decided without a password hash (a cached verification, a blocked address, a bad request).
    case finished(LoginOutcome)
    /// Needs a full password verification on the hashing pool (`Authenticator.verify`).
    case needsVerification(startedAt: Double)
}

/// One login path for SMTP AUTH, IMAP LOGIN/AUTHENTICATE and ManageSieve: throttle, verify,
/// remember, log. Two steps so that cheap logins never wait behind password hashes:
/// `begin` (one indexed SQLite read and one HMAC; storage pool) accepts a login whose password
/// was verified before and whose credential generation has not changed since; anything else goes
/// to `verify` (one password hash; the bounded hashing pool). See docs/SECURITY.md.
public final class Authenticator: Sendable {
    private let directory: any DirectoryService
    private let throttle: AuthThrottle
    private let cache: VerifiedCredentialCache
    private let clock: any MailClock
    private let logger: Logger

    public init(
        directory: any DirectoryService, throttle: AuthThrottle, cache: VerifiedCredentialCache, clock: any MailClock,
        logger: Logger
    ) {
        self.directory = directory
        self.throttle = throttle
        self.cache = cache
        self.clock = clock
        self.logger = logger
    }

    /// The cheap step: refuses blocked addresses, accepts a cached verification. Blocking (SQLite).
    public func begin(_ request: LoginRequest) -> LoginStep {
        let now = clock.now()
        if throttle.isBlocked(address: request.clientAddress, now: now) {
            log(.notice, "login refused: too many failures from this address", request)
            return .finished(LoginOutcome(result: .blocked, replyAfter: throttle.failureDelay(address: request.clientAddress, now: now)))
        }
        if !request.authorizationIdentity.isEmpty
            && request.authorizationIdentity.lowercased() != request.username.lowercased()
        {
            return .finished(failed(request, reason: "authorization identity differs from the user", startedAt: now))
        }
        if cache.isEnabled, let address = try? EmailAddress(request.username),
            let entry = try? directory.lookup(address), entry.viaAlias == nil, entry.status == .enabled,
            entry.passwordHash != nil,
            cache.matches(
                accountID: entry.accountID, generation: entry.credentialGeneration, password: request.password,
                now: now)
        {
            log(.info, "login", request, account: entry.address.description, extra: ["verified": "cache"])
            return .finished(LoginOutcome(result: .success(entry), replyAfter: 0))
        }
        return .needsVerification(startedAt: now)
    }

    /// The full verification: one password hash (a dummy one for unknown accounts, so timing tells
    /// nothing). Blocking and CPU-heavy: call it on the hashing pool.
    public func verify(_ request: LoginRequest, startedAt: Double) -> LoginOutcome {
        guard let address = try? EmailAddress(request.username) else {
            return failed(request, reason: "user name is not an address", startedAt: startedAt)
        }
        do {
            switch try directory.authenticate(address, password: request.password) {
            case .success(let entry):
                cache.remember(
                    accountID: entry.accountID, generation: entry.credentialGeneration, password: request.password,
                    now: clock.now())
                log(.info, "login", request, account: entry.address.description, extra: ["verified": "hash"])
                return LoginOutcome(result: .success(entry), replyAfter: 0)
            case .failure(let why):
                return failed(request, reason: why.rawValue, startedAt: startedAt)
            }
        } catch {
            logger.error(
                "login check failed",
                metadata: ["protocol": "\(request.protocolName)", "client": "\(request.clientAddress)", "error": "\(error)"])
            return failed(request, reason: "directory error", startedAt: startedAt)
        }
    }

    /// A login refused because too many are waiting for verification (no password was checked).
    public func refuseBusy(_ request: LoginRequest) -> LoginOutcome {
        log(.warning, "login refused: too many logins waiting for verification", request)
        return LoginOutcome(result: .busy, replyAfter: 0)
    }

    private func failed(_ request: LoginRequest, reason: String, startedAt: Double) -> LoginOutcome {
        let now = clock.now()
        // The delay is decided before this failure is counted, then the time already spent is deducted,
        // so known and unknown accounts answer alike.
        let target = throttle.failureDelay(address: request.clientAddress, now: startedAt)
        let effect = throttle.recordFailure(address: request.clientAddress, account: request.username, now: now)
        log(.notice, "login failed", request, account: request.username, extra: ["reason": "\(reason)"])
        if effect.addressBlocked {
            log(.warning, "client address blocked after repeated login failures", request)
        }
        if effect.accountUnderAttack {
            log(
                .warning, "account under attack: repeated login failures", request, account: request.username,
                extra: ["failures": "\(effect.accountFailures)"])
        }
        return LoginOutcome(result: .failure, replyAfter: max(0, target - (now - startedAt)))
    }

    private func log(
        _ level: Logger.Level, _ message: Logger.Message, _ request: LoginRequest, account: String? = nil,
        extra: Logger.Metadata = [:]
    ) {
        var metadata: Logger.Metadata = ["protocol": "\(request.protocolName)", "client": "\(request.clientAddress)"]
        if let account { metadata["account"] = "\(Self.printable(account))" }
        metadata.merge(extra) { $1 }
        logger.log(level: level, message, metadata: metadata)
    }

    /// A user name as typed, made safe for a log line: control characters replaced, length bounded.
    static func printable(_ name: String) -> String {
        let cleaned = String(String.UnicodeScalarView(name.unicodeScalars.prefix(254).map {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format ? "?" : $0
        }))
        return cleaned
    }
}
