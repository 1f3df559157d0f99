import AccountStore
import Credentials
import Foundation
import MailCore
import MaildirStore

/// Imports a staff roster: parse → plan (every bad row reported, nothing applied) → generate and hash
/// initial passwords in parallel → write the passwords file (0600) → create Maildirs → apply all
/// directory changes in one transaction. On failure, what this run created is removed again.
public struct RosterImporter: Sendable {
    public let provisioner: Provisioner
    public let hashingThreads: Int

    public init(provisioner: Provisioner, hashingThreads: Int = 2) {
        self.provisioner = provisioner
        self.hashingThreads = hashingThreads
    }

    public struct Options: Sendable {
        public var dryRun = false
        public var disableMissing = false
        /// Where initial passwords of new accounts go; nil = create accounts without a password.
        public var passwordsOut: String?
        public init(dryRun: Bool = false, disableMissing: Bool = false, passwordsOut: String? = nil) {
            self.dryRun = dryRun
            self.disableMissing = disableMissing
            self.passwordsOut = passwordsOut
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
    public func plan(_ bytes: [UInt8], disableMissing: Bool) throws -> RosterPlan {
        let rows = try RosterHeader.rows(from: bytes)
        let p = provisioner
        return try RosterPlanner(disableMissing: disableMissing, maildirExists: { p.maildirExists($0) })
            .plan(rows, store: provisioner.store)
    }

    public func run(_ bytes: [UInt8], options: Options,
                    progress: @escaping @Sendable (Phase, Int, Int) -> Void = { _, _, _ in }) throws -> Outcome {
        let plan = try plan(bytes, disableMissing: options.disableMissing)
        if options.dryRun || plan.isEmpty { return Outcome(plan: plan, applied: false, passwordsWritten: 0) }

        if let path = options.passwordsOut, !plan.creates.isEmpty, FileManager.default.fileExists(atPath: path) {
            throw PasswordsFile.Problem.exists(path)
        }
        var hashes: [Secret?] = []
        var passwords: [Secret] = []
        if options.passwordsOut != nil && !plan.creates.isEmpty {
            passwords = try plan.creates.map { _ in try PasswordGenerator.generate() }
            let total = passwords.count
            hashes = try ParallelHasher(hasher: provisioner.hasher, threads: hashingThreads)
                .hashAll(passwords) { progress(.hashing, $0, total) }
        }
        var wrotePasswords = false
        if let path = options.passwordsOut, !passwords.isEmpty {
            try PasswordsFile.write(path: path, entries: zip(plan.creates, passwords).map { ($0.address, $0.fullName, $1) })
            wrotePasswords = true
        }
        var createdRoots: [String] = []
        do {
            for (i, c) in plan.creates.enumerated() {
                if !provisioner.maildirExists(c.address) { createdRoots.append(try provisioner.layout.accountRoot(c.address)) }
                try provisioner.layout.createAccount(c.address)
                if (i + 1) % 100 == 0 || i + 1 == plan.creates.count { progress(.mailboxes, i + 1, plan.creates.count) }
            }
            try provisioner.store.apply(plan.changes(hashes: hashes, quota: provisioner.defaultQuota))
        } catch {
            for root in createdRoots { try? FileManager.default.removeItem(atPath: root) }
            if wrotePasswords, let path = options.passwordsOut { try? FileManager.default.removeItem(atPath: path) }
            throw error
        }
        return Outcome(plan: plan, applied: true, passwordsWritten: passwords.count)
    }
}
