import AccountStore
import Credentials
import Foundation
import GovMailConfig
import GovMailTestSupport
import Logging
import MailCore
import Synchronization
import XCTest
@testable import GovMailServer

final class VerifiedCredentialCacheTests: XCTestCase {
    func testHitOnlyForTheSamePasswordGenerationAndWithinTheTTL() throws {
        let cache = try VerifiedCredentialCache(ttl: 60, capacity: 10)
        XCTAssertFalse(cache.matches(accountID: 1, generation: 0, password: Secret("pw"), now: 0))
        cache.remember(accountID: 1, generation: 0, password: Secret("pw"), now: 0)
        XCTAssertTrue(cache.matches(accountID: 1, generation: 0, password: Secret("pw"), now: 1))
        XCTAssertFalse(cache.matches(accountID: 1, generation: 0, password: Secret("pW"), now: 1), "wrong password")
        XCTAssertFalse(cache.matches(accountID: 1, generation: 1, password: Secret("pw"), now: 1), "credentials changed")
        XCTAssertFalse(cache.matches(accountID: 2, generation: 0, password: Secret("pw"), now: 1), "other account")
        XCTAssertFalse(cache.matches(accountID: 1, generation: 0, password: Secret("pw"), now: 60), "expired")
        cache.remember(accountID: 1, generation: 0, password: Secret("pw"), now: 100)
        cache.forget(accountID: 1)
        XCTAssertFalse(cache.matches(accountID: 1, generation: 0, password: Secret("pw"), now: 101))
    }

    func testBoundedInEntriesForgettingTheOldestVerificationFirst() throws {
        let cache = try VerifiedCredentialCache(ttl: 3600, capacity: 100)
        for i in 0..<10_000 {
            cache.remember(accountID: Int64(i), generation: 0, password: Secret("pw\(i)"), now: Double(i) / 100)
            XCTAssertLessThanOrEqual(cache.count, 100)
        }
        XCTAssertTrue(cache.matches(accountID: 9_999, generation: 0, password: Secret("pw9999"), now: 100))
        XCTAssertTrue(cache.matches(accountID: 9_900, generation: 0, password: Secret("pw9900"), now: 100))
        XCTAssertFalse(cache.matches(accountID: 9_899, generation: 0, password: Secret("pw9899"), now: 100))
        // Re-verifying the same accounts again and again does not grow anything either.
        for round in 0..<50 {
            for i in 9_900..<10_000 {
                cache.remember(accountID: Int64(i), generation: Int64(round), password: Secret("x"), now: 200)
            }
        }
        XCTAssertEqual(cache.count, 100)
    }

    func testOffWhenTTLOrCapacityIsZero() throws {
        for cache in [try VerifiedCredentialCache(ttl: 0, capacity: 10), try VerifiedCredentialCache(ttl: 60, capacity: 0)] {
            cache.remember(accountID: 1, generation: 0, password: Secret("pw"), now: 0)
            XCTAssertFalse(cache.matches(accountID: 1, generation: 0, password: Secret("pw"), now: 0))
            XCTAssertEqual(cache.count, 0)
        }
    }

    func testTwoCachesDoNotShareDigests() throws {
        // Each cache has its own random key: a digest means nothing outside the process that made it.
        let a = try KeyedDigest(), b = try KeyedDigest()
        XCTAssertEqual(a.digest([1], Secret("pw")), a.digest([1], Secret("pw")))
        XCTAssertNotEqual(a.digest([1], Secret("pw")), b.digest([1], Secret("pw")))
        XCTAssertEqual(a.digest([1], Secret("pw")).count, 32)
    }
}

/// Counts full verifications around a real (cheap) scrypt hasher.
final class CountingVerifier: PasswordVerifying {
    let hasher = PasswordHasher(scrypt: ScryptParameters(logN: 4, r: 1, p: 1))
    let checks = Atomic<Int>(0)
    func check(_ password: Secret, against storedHash: String) -> PasswordCheck {
        checks.add(1, ordering: .relaxed)
        return hasher.check(password, against: storedHash)
    }
    func checkDummy(_ password: Secret) { checks.add(1, ordering: .relaxed) }
}

final class AuthenticatorTests: XCTestCase {
    var dir: TemporaryDirectory!
    var clock: ManualClock!
    var store: AccountStore!
    var verifier: CountingVerifier!
    var authenticator: Authenticator!
    let logs = LogCapture()

    override func setUpWithError() throws {
        dir = TemporaryDirectory()
        clock = ManualClock(1_790_000_000)
        store = try AccountStore.open(stateDir: dir.path, clock: clock)
        try store.addDomain(Domain("tinh.gov.vn"))
        try store.addUnit(code: "T", name: "Tỉnh", level: .province)
        try store.addUnit(code: "X", name: "Xã", level: .commune, parentCode: "T")
        verifier = CountingVerifier()
        for name in ["an", "binh"] {
            try store.createAccount(
                NewAccount(
                    address: try EmailAddress("\(name)@tinh.gov.vn"), displayName: name,
                    unitID: try XCTUnwrap(try store.unit(code: "T")).id, kind: .staff, quota: 0,
                    passwordHash: Secret(try verifier.hasher.hash(Secret("right-\(name)")))))
        }
        var settings = Config.Auth()
        settings.maxFailures = 3
        authenticator = Authenticator(
            directory: SQLiteDirectory(store: store, verifier: verifier), throttle: AuthThrottle(settings: settings),
            cache: try VerifiedCredentialCache(ttl: 3600, capacity: 100), clock: clock, logger: logs.logger)
    }

    /// Runs both steps as the drivers do; tells whether the hash was needed.
    func login(_ user: String, _ password: String, from client: String = "192.0.2.10") -> (LoginOutcome, hashed: Bool) {
        let request = LoginRequest(
            username: user, password: Secret(password), clientAddress: client, protocolName: "imap")
        switch authenticator.begin(request) {
        case .finished(let outcome): return (outcome, false)
        case .needsVerification(let started): return (authenticator.verify(request, startedAt: started), true)
        }
    }

    func isSuccess(_ o: LoginOutcome) -> Bool { if case .success = o.result { return true } else { return false } }

    func testSecondLoginSkipsTheHashAndSuccessIsNeverDelayed() {
        let first = login("an@tinh.gov.vn", "right-an")
        XCTAssertTrue(isSuccess(first.0)); XCTAssertTrue(first.hashed); XCTAssertEqual(first.0.replyAfter, 0)
        let second = login("AN@tinh.gov.vn", "right-an")
        XCTAssertTrue(isSuccess(second.0)); XCTAssertFalse(second.hashed); XCTAssertEqual(second.0.replyAfter, 0)
        XCTAssertEqual(verifier.checks.load(ordering: .relaxed), 1)
    }

    func testWrongPasswordOnACachedAccountIsVerifiedAndThrottled() {
        _ = login("an@tinh.gov.vn", "right-an")
        let wrong = login("an@tinh.gov.vn", "wrong")
        XCTAssertEqual(wrong.0.result, .failure)
        XCTAssertTrue(wrong.hashed, "a wrong password never goes through the cache")
        XCTAssertGreaterThan(wrong.0.replyAfter, 0)
        // Failures never enter the cache: the same wrong password is hashed again.
        XCTAssertTrue(login("an@tinh.gov.vn", "wrong").hashed)
        // The right password still comes from the cache, from this address too while it is not blocked.
        XCTAssertFalse(login("an@tinh.gov.vn", "right-an").hashed)
    }

    func testPasswordChangeDisableAndMoveStopCachedLoginsAtOnce() throws {
        let an = try EmailAddress("an@tinh.gov.vn")
        _ = login("an@tinh.gov.vn", "right-an")
        try store.moveAccount(an, toUnit: "X")
        XCTAssertTrue(login("an@tinh.gov.vn", "right-an").hashed, "moved: verified again")
        _ = try store.setEnabled(an, false)
        XCTAssertEqual(login("an@tinh.gov.vn", "right-an").0.result, .failure)
        _ = try store.setEnabled(an, true)
        XCTAssertTrue(login("an@tinh.gov.vn", "right-an").hashed)
        let account = try XCTUnwrap(try store.account(address: an))
        try store.setPasswordHash(accountID: account.id, Secret(try verifier.hasher.hash(Secret("new-password"))))
        let old = login("an@tinh.gov.vn", "right-an")
        XCTAssertEqual(old.0.result, .failure)
        XCTAssertTrue(old.hashed)
        XCTAssertTrue(isSuccess(login("an@tinh.gov.vn", "new-password").0))
        try store.deleteAccount(an)
        XCTAssertEqual(login("an@tinh.gov.vn", "new-password").0.result, .failure)
    }

    func testAttackerIsBlockedWhileTheOwnerGetsInFromAnotherAddress() {
        for _ in 0..<3 { XCTAssertEqual(login("binh@tinh.gov.vn", "guess", from: "203.0.113.66").0.result, .failure) }
        let refused = login("binh@tinh.gov.vn", "right-binh", from: "203.0.113.66")
        XCTAssertEqual(refused.0.result, .blocked, "the attacking address stays blocked, even with the right password")
        XCTAssertFalse(refused.hashed)
        let owner = login("binh@tinh.gov.vn", "right-binh", from: "198.51.100.20")
        XCTAssertTrue(isSuccess(owner.0), "the owner from another address gets in")
        XCTAssertEqual(owner.0.replyAfter, 0)
        XCTAssertTrue(logs.lines.contains { $0.contains("warning") && $0.contains("account under attack") && $0.contains("binh@tinh.gov.vn") })
        XCTAssertTrue(logs.lines.contains { $0.contains("login failed") && $0.contains("binh@tinh.gov.vn") })
    }

    func testUnknownAccountsCostOneVerificationLikeKnownOnes() {
        let unknown = login("nobody@tinh.gov.vn", "whatever")
        XCTAssertEqual(unknown.0.result, .failure)
        XCTAssertTrue(unknown.hashed)
        XCTAssertEqual(verifier.checks.load(ordering: .relaxed), 1, "a dummy hash for the unknown account")
    }

    func testLogsNeverCarryThePasswordAndNameControlCharactersSafely() {
        _ = login("an@tinh.gov.vn", "right-an")
        _ = login("an@tinh.gov.vn", "right-an")
        _ = login("evil\n@tinh.gov.vn", "secret-guess")
        XCTAssertFalse(logs.lines.contains { $0.contains("right-an") || $0.contains("secret-guess") })
        XCTAssertFalse(logs.lines.contains { $0.contains("evil\n") })
        XCTAssertTrue(logs.lines.contains { $0.contains("evil?@tinh.gov.vn") })
    }
}

/// Collects log lines (level, message and metadata) in memory.
final class LogCapture: Sendable {
    private let store = Mutex<[String]>([])
    var lines: [String] { store.withLock { $0 } }
    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }
    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let md = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                .joined(separator: " ")
            capture.store.withLock { $0.append("\(event.level) \(event.message) \(md)") }
        }
    }
}
