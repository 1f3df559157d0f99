import AccountStore
import Credentials
import GovMailConfig
import Logging
import MailCore
import MaildirStore
import Relay

/// The storage and identity services the protocol drivers share, opened once by `govmail serve`.
public final class ServerServices: Sendable {
    public let config: Config
    public let store: AccountStore
    public let directory: any DirectoryService
    public let layout: MaildirLayout
    public let delivery: MaildirDelivery
    public let relayQueue: RelayQueue
    public let calendar: DayCalendar
    public let throttle: AuthThrottle
    public let authenticator: Authenticator
    public let activity: ActivityRecorder
    public let notifier: MailboxNotifier
    public let relayRunner: RelayRunner
    /// S/MIME signature verification (reloaded on SIGHUP).
    public let smime: SMIMETrust

    /// Opens the directory (`<state>/govmail.sqlite`) and prepares the services; does not start timers.
    public init(config: Config, clock: any MailClock, logger: Logger) throws {
        self.config = config
        do {
            store = try AccountStore.open(stateDir: config.stateDir, clock: clock)
        } catch {
            throw ServerStartupError("cannot open the directory in \(config.stateDir): \(error)")
        }
        let hasher = PasswordHasher.configured(
            logN: config.passwords.scryptLogN, r: config.passwords.scryptR,
            p: config.passwords.scryptP)
        directory = SQLiteDirectory(store: store, verifier: hasher)
        layout = MaildirLayout(stateDir: config.stateDir)
        delivery = MaildirDelivery()
        relayQueue = RelayQueue(stateDir: config.stateDir)
        calendar = try DayCalendar(timeZone: config.timezone)
        throttle = AuthThrottle(settings: config.auth)
        let cache: VerifiedCredentialCache
        do {
            cache = try VerifiedCredentialCache(ttl: config.auth.cacheTTL, capacity: config.auth.cacheEntries)
        } catch {
            throw ServerStartupError("cannot create the login cache key: \(error)")
        }
        authenticator = Authenticator(
            directory: directory, throttle: throttle, cache: cache, clock: clock, logger: logger)
        activity = ActivityRecorder(
            directory: directory, calendar: calendar, clock: clock, logger: logger,
            pruning: ActivityPruning(store: store, retentionMonths: config.analytics.retentionMonths))
        notifier = MailboxNotifier()
        smime = try SMIMETrust(config: config)
        relayRunner = RelayRunner(
            config: config, queue: relayQueue, directory: directory, layout: layout, delivery: delivery,
            notifier: notifier, clock: clock, logger: logger)
    }

    public func start() {
        activity.start(every: config.analytics.flushInterval)
        relayRunner.start()
    }

    /// Flushes usage counters; called once every session has ended. Returns the error when the
    /// counters could not be saved (they are lost: the caller logs it and exits non-zero).
    public func stop() -> (any Error)? {
        let failure = activity.stop()
        relayRunner.stop()
        return failure
    }
}
