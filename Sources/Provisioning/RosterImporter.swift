import AccountStore
import Credentials
import Foundation
import MailCore
import Synchronization
import MaildirStore

/// Imports a staff roster: parse → plan (every bad row reported, nothing applied) → generate and hash
/// initial passwords in parallel → write the passwords file (0600) → create Maildirs → apply all
/// directory changes in one transaction. On failure, what this run created is removed again.
public struct RosterImporter: Sendable {
    public let provisioner: Provisioner
    public let hashingThreads: Int
    /// Hasher for generated initial passwords. They are random (16 characters, ~93 bits), so their
    /// strength comes from entropy, not hashing cost: a cheaper scrypt (N = 2^12 by default) lets a
    /// province's roster hash in minutes on two cores, and the first login upgrades each hash to the
    /// configured parameters (the stored hash names its parameters).
    public let initialPasswordHasher: PasswordHasher

    /// scrypt cost used for generated initial passwords unless the configured cost is lower.
    public static let initialPasswordLogN = 12

    public init(provisioner: Provisioner, hashingThreads: Int = 2, initialPasswordHasher: PasswordHasher? = nil) {
        self.provisioner = provisioner
        self.hashingThreads = hashingThreads
        let configured = provisioner.hasher
        self.initialPasswordHasher =
            initialPasswordHasher
            ?? (configured.scheme == .scrypt
                ? PasswordHasher(
                    scheme: .scrypt,
                    scrypt: ScryptParameters(
                        logN: min(configured.scrypt.logN, Self.initialPasswordLogN),
                        r: configured.scrypt.r, p: configured.scrypt.p))
                : configured)
    }

    /// Most accounts an import disables without being told the number (`maxDisable`) or `confirmed`:
    /// a roster of one unit, or a truncated file, must not disable the whole province.
    public static let defaultMaxDisable = 10

    public struct Options: Sendable {
        public var dryRun = false
        public var disableMissing = false
        /// Where initial passwords of new accounts go; nil = create accounts without a password.
        public var passwordsOut: String?
        /// The roster of one unit (and its sub-units): rows and disables stay inside it.
        public var scopeUnitCode: String?
        /// Refuse to apply when more accounts would be disabled (nil: `defaultMaxDisable`).
        public var maxDisable: Int?
        /// Disable however many the plan says (`--yes`).
        public var confirmed = false
        public init(
            dryRun: Bool = false, disableMissing: Bool = false, passwordsOut: String? = nil,
            scopeUnitCode: String? = nil, maxDisable: Int? = nil, confirmed: Bool = false
        ) {
            self.dryRun = dryRun
            self.disableMissing = disableMissing
            self.passwordsOut = passwordsOut
            self.scopeUnitCode = scopeUnitCode
            self.maxDisable = maxDisable
            self.confirmed = confirmed
        }

        /// The limit in force, or nil when `confirmed`.
        public var disableLimit: Int? { confirmed ? nil : maxDisable ?? RosterImporter.defaultMaxDisable }
    }

    /// The plan would disable more accounts than allowed; nothing was changed.
    public struct TooManyDisables: Error, Sendable, Equatable, CustomStringConvertible {
        public let count: Int
        public let limit: Int
        public var description: String {
            "the roster would disable \(count) accounts, more than the limit of \(limit); nothing was changed. Check the list with --dry-run; if it is right, run again with --max-disable \(count) (or --yes), or limit the import to one unit with --unit CODE"
        }
    }

    /// Phases reported to a progress display.
    public enum Phase: String, Sendable { case hashing = "hashing passwords", mailboxes = "creating mailboxes" }

    public struct Outcome: Sendable {
        public let plan: RosterPlan
        public let applied: Bool
        public let passwordsWritten: Int
    }

    /// Reads and plans `bytes` (a roster CSV); throws `RosterErrors` with every bad row.
    public func plan(_ bytes: [UInt8], disableMissing: Bool, scopeUnitCode: String? = nil) throws -> RosterPlan {
        let rows = try RosterHeader.rows(from: bytes)
        let p = provisioner
        return try RosterPlanner(
            disableMissing: disableMissing, scopeUnitCode: scopeUnitCode, maildirExists: { p.maildirExists($0) }
        ).plan(rows, store: provisioner.store)
    }

    @discardableResult
    public func run(
        _ bytes: [UInt8], options: Options,
        progress: @escaping @Sendable (Phase, Int, Int) -> Void = { _, _, _ in }
    ) throws -> Outcome {
        let plan = try plan(bytes, disableMissing: options.disableMissing, scopeUnitCode: options.scopeUnitCode)
        if options.dryRun || plan.isEmpty { return Outcome(plan: plan, applied: false, passwordsWritten: 0) }
        if let limit = options.disableLimit, plan.disables.count > limit {
            throw TooManyDisables(count: plan.disables.count, limit: limit)
        }

        if let path = options.passwordsOut, !plan.creates.isEmpty, FileManager.default.fileExists(atPath: path) {
            throw PasswordsFile.Problem.exists(path)
        }
        var hashes: [Secret?] = []
        var passwords: [Secret] = []
        if options.passwordsOut != nil && !plan.creates.isEmpty {
            passwords = try plan.creates.map { _ in try PasswordGenerator.generate() }
            let total = passwords.count
            hashes = try ParallelHasher(hasher: initialPasswordHasher, threads: hashingThreads)
                .hashAll(passwords) { progress(.hashing, $0, total) }
        }
        var wrotePasswords = false
        if let path = options.passwordsOut, !passwords.isEmpty {
            try PasswordsFile.write(
                path: path, entries: zip(plan.creates, passwords).map { ($0.address, $0.fullName, $1) })
            wrotePasswords = true
        }
        var createdRoots: [String] = []
        do {
            for c in plan.creates where !provisioner.maildirExists(c.address) {
                createdRoots.append(try provisioner.layout.accountRoot(c.address))
            }
            try createMaildirs(plan.creates.map(\.address), progress: progress)
            try provisioner.store.apply(plan.changes(hashes: hashes, quota: provisioner.defaultQuota))
        } catch {
            for root in createdRoots { try? FileManager.default.removeItem(atPath: root) }
            if wrotePasswords, let path = options.passwordsOut { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        return Outcome(plan: plan, applied: true, passwordsWritten: passwords.count)
    }

    /// Creates the Maildirs on `hashingThreads` threads (they are independent directories). The first
    /// account of each domain is created alone, so the shared parent folders never race.
    func createMaildirs(_ addresses: [EmailAddress], progress: @escaping @Sendable (Phase, Int, Int) -> Void) throws {
        let layout = provisioner.layout
        var firstOfDomain = Set<Domain>()
        var rest: [EmailAddress] = []
        for a in addresses {
            if firstOfDomain.insert(a.domain).inserted { try layout.createAccount(a) } else { rest.append(a) }
        }
        let total = addresses.count
        let done = Atomic<Int>(total - rest.count)
        let failure = Locked<(any Error)?>(nil)
        let remaining = rest
        let workers = max(1, min(hashingThreads, remaining.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: remaining.count, by: workers) {
                if failure.withLock({ $0 != nil }) { return }
                do { try layout.createAccount(remaining[i]) } catch {
                    failure.withLock { $0 = error }
                    return
                }
                let n = done.add(1, ordering: .relaxed).newValue
                if n % 100 == 0 || n == total { progress(.mailboxes, n, total) }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        if rest.isEmpty { progress(.mailboxes, total, total) }
    }
}
