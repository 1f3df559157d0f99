import AccountStore
import Logging
import MailCore

/// The result of a login attempt and how long the reply must still wait (AuthThrottle's delay,
/// minus the time the password check already took), so every outcome answers after the same delay.
public struct LoginOutcome: Sendable {
    public enum Result: Sendable, Equatable {
        case success(DirectoryEntry)
        case failure
        /// Too many recent failures for this address or account; try again later.
        case blocked
    }
    public let result: Result
    /// Seconds from now before the reply may be sent; the driver sets a timer, never sleeps.
    public let replyAfter: Double
}

/// One login path for SMTP AUTH and IMAP LOGIN/AUTHENTICATE: throttle, verify, remember, log.
public final class Authenticator: Sendable {
    private let directory: any DirectoryService
    private let throttle: AuthThrottle
    private let clock: any MailClock
    private let logger: Logger

    public init(directory: any DirectoryService, throttle: AuthThrottle, clock: any MailClock, logger: Logger) {
        self.directory = directory
        self.throttle = throttle
        self.clock = clock
        self.logger = logger
    }

    /// Verifies a login. Blocking (one password hash): call it on the auth worker pool.
    /// `authorizationIdentity`, when set, must equal the username (no proxy logins).
    public func authenticate(
        username: String, password: Secret, authorizationIdentity: String = "",
        clientAddress: String, protocolName: String
    ) -> LoginOutcome {
        let started = clock.now()
        let target = throttle.replyDelay(address: clientAddress, account: username, now: started)
        func outcome(_ r: LoginOutcome.Result) -> LoginOutcome {
            ServerMetrics.shared.login(protocol: protocolName, result: r)
            return LoginOutcome(result: r, replyAfter: max(0, target - (clock.now() - started)))
        }
        if throttle.isBlocked(address: clientAddress, account: username, now: started) {
            logger.notice(
                "login refused: too many failures",
                metadata: ["protocol": "\(protocolName)", "client": "\(clientAddress)"])
            return outcome(.blocked)
        }
        var failure: String
        if !authorizationIdentity.isEmpty && authorizationIdentity.lowercased() != username.lowercased() {
            failure = "authorization identity differs from the user"
        } else if let address = try? EmailAddress(username) {
            do {
                switch try directory.authenticate(address, password: password) {
                case .success(let entry):
                    throttle.recordSuccess(account: username)
                    logger.info(
                        "login",
                        metadata: [
                            "protocol": "\(protocolName)", "account": "\(entry.address)", "client": "\(clientAddress)",
                        ])
                    return outcome(.success(entry))
                case .failure(let why):
                    failure = why.rawValue
                }
            } catch {
                logger.error("login check failed", metadata: ["protocol": "\(protocolName)", "error": "\(error)"])
                failure = "directory error"
            }
        } else {
            failure = "user name is not an address"
        }
        throttle.recordFailure(address: clientAddress, account: username, now: clock.now())
        logger.notice(
            "login failed",
            metadata: ["protocol": "\(protocolName)", "client": "\(clientAddress)", "reason": "\(failure)"])
        return outcome(.failure)
    }
}
