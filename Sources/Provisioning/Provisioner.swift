import AccountStore
import Credentials
import Foundation
import MailCore
import MaildirStore

/// Creates, changes and deletes accounts with everything that belongs to them: the directory row and
/// history, the Maildir with its special folders, and the password hash.
public struct Provisioner: Sendable {
    public let store: AccountStore
    public let layout: MaildirLayout
    public let hasher: PasswordHasher
    public let policy: PasswordPolicy
    /// Bytes; 0 = unlimited.
    public let defaultQuota: Int64

    public init(
        store: AccountStore, layout: MaildirLayout, hasher: PasswordHasher, policy: PasswordPolicy,
        defaultQuota: Int64
    ) {
        self.store = store
        self.layout = layout
        self.hasher = hasher
        self.policy = policy
        self.defaultQuota = defaultQuota
    }

    public enum Problem: Error, CustomStringConvertible {
        case oldMailKept(String)
        case mailFolder(String, String)
        public var description: String {
            switch self {
            case .oldMailKept(let a):
                return
                    "\(a) belonged to a deleted account whose mail is still kept; to reuse the address, remove the old mail first with: govmail account delete \(a) --purge"
            case .mailFolder(let path, let why):
                return "cannot create or remove the mail folder \(path): \(why); check the state folder's permissions"
            }
        }
    }

    /// True when the account's Maildir exists on disk.
    public func maildirExists(_ address: EmailAddress) -> Bool {
        guard let root = try? layout.accountRoot(address) else { return false }
        return FileManager.default.fileExists(atPath: root)
    }

    /// Adds one account: checks the password against the policy, creates the Maildir, then the row.
    @discardableResult
    public func addAccount(
        _ address: EmailAddress, displayName: String, unitCode: String, kind: AccountKind = .staff,
        quota: Int64? = nil, password: Secret?
    ) throws -> Account {
        if let password { try policy.validate(password, for: address) }
        guard let unit = try store.unit(code: unitCode) else { throw DirectoryError.unknownUnit(unitCode) }
        if try store.account(address: address) != nil { throw DirectoryError.addressTaken(address.description) }
        if try store.deletedAccount(address: address) != nil, maildirExists(address) {
            throw Problem.oldMailKept(address.description)
        }
        let hash = try password.map { Secret(try hasher.hash($0)) }
        let existed = maildirExists(address)
        let root = try layout.accountRoot(address)
        do { try layout.createAccount(address) } catch { throw Problem.mailFolder(root, "\(error)") }
        do {
            return try store.createAccount(
                NewAccount(
                    address: address, displayName: displayName, unitID: unit.id, kind: kind,
                    quota: quota ?? defaultQuota, passwordHash: hash))
        } catch {
            if !existed { try? FileManager.default.removeItem(atPath: root) }
            throw error
        }
    }

    /// Sets a new password after checking it against the policy.
    public func setPassword(_ address: EmailAddress, _ password: Secret) throws {
        try policy.validate(password, for: address)
        guard let account = try store.account(address: address) else {
            if try store.deletedAccount(address: address) != nil {
                throw DirectoryError.accountDeleted(address.description)
            }
            throw DirectoryError.unknownAccount(address.description)
        }
        try store.setPasswordHash(accountID: account.id, Secret(try hasher.hash(password)))
    }

    /// Outcome of a delete: whether the account row was marked deleted now, and whether mail was removed.
    public struct Deletion: Sendable {
        public let account: Account?
        public let purgedPath: String?
    }

    /// Marks the account deleted (history kept); with `purge`, also removes its Maildir. Purging an
    /// already deleted account's leftover mail is allowed, which frees the address for reuse.
    public func deleteAccount(_ address: EmailAddress, purge: Bool) throws -> Deletion {
        var deleted: Account?
        if try store.account(address: address) != nil {
            deleted = try store.deleteAccount(address)
        } else {
            let wasDeleted = try store.deletedAccount(address: address) != nil
            if !wasDeleted { throw DirectoryError.unknownAccount(address.description) }
            if !purge { throw DirectoryError.accountDeleted(address.description) }
        }
        guard purge else { return Deletion(account: deleted, purgedPath: nil) }
        let root = try layout.accountRoot(address)
        guard FileManager.default.fileExists(atPath: root) else { return Deletion(account: deleted, purgedPath: nil) }
        do { try FileManager.default.removeItem(atPath: root) } catch { throw Problem.mailFolder(root, "\(error)") }
        return Deletion(account: deleted, purgedPath: root)
    }
}
