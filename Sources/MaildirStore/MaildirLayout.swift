import Foundation
import MailCore

/// Where things live on disk: `<state>/mail/<domain>/<local>/` is an account's Maildir++ root
/// (INBOX), and each other folder is a `.`-prefixed sibling directory whose name is the
/// mailbox name in modified UTF-7 with `.` between levels, as Dovecot stores it.
public struct MaildirLayout: Sendable {
    public let stateDir: String

    public init(stateDir: String) { self.stateDir = stateDir }

    /// SPECIAL-USE folders every account gets (RFC 6154); Outlook expects them to exist.
    public enum SpecialUse: String, Sendable, CaseIterable {
        case sent = "Sent", drafts = "Drafts", trash = "Trash", junk = "Junk", archive = "Archive"
        public var attribute: String { "\\" + rawValue }
        public var mailbox: MailboxName { try! MailboxName(rawValue) }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unsafeLocalPart(String)
        public var description: String {
            switch self {
            case .unsafeLocalPart(let l):
                return
                    "the address part \"\(l)\" cannot name a mail folder on disk (it contains / or starts with a dot)"
            }
        }
    }

    public var mailRoot: String { "\(stateDir)/mail" }

    /// The Maildir++ root of an account. The local part is lowercased so that lookups that ignore
    /// case (as the directory does) always find the same folder.
    public func accountRoot(_ address: EmailAddress) throws -> String {
        let local = address.localPart.lowercased()
        guard !local.contains("/"), !local.hasPrefix("."), !local.contains("\0") else {
            throw Problem.unsafeLocalPart(address.localPart)
        }
        return "\(mailRoot)/\(address.domain.name)/\(local)"
    }

    /// The directory of a folder inside an account root. Names were validated by `MailboxName`,
    /// and each component is encoded, so the result can never leave `root`.
    public static func folderPath(root: String, _ mailbox: MailboxName) -> String {
        if mailbox.isInbox { return root }
        return root + "/." + directoryName(mailbox)
    }

    /// `Công văn đến.2026` → `C&APQ-ng v&AQM-n &AREevw-n.2026` (Dovecot's Maildir++ naming).
    public static func directoryName(_ mailbox: MailboxName) -> String {
        mailbox.components.map(ModifiedUTF7.encode).joined(separator: ".")
    }

    /// The mailbox a `.`-prefixed directory name stands for, or nil if it is not a valid folder.
    public static func mailbox(forDirectory name: String) -> MailboxName? {
        guard name.hasPrefix("."), name != ".", name != ".." else { return nil }
        let parts = name.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard let decoded = try? parts.map({ try ModifiedUTF7.decode(String($0)) }) else { return nil }
        return try? MailboxName(decoded.joined(separator: "."))
    }

    /// Creates the account's Maildir with its special folders; does nothing to what already exists.
    @discardableResult
    public func createAccount(_ address: EmailAddress) throws -> String {
        let root = try accountRoot(address)
        try Self.createMaildir(at: root, isSubfolder: false)
        for use in SpecialUse.allCases {
            try Self.createMaildir(at: Self.folderPath(root: root, use.mailbox), isSubfolder: true)
        }
        return root
    }

    /// Creates `cur`, `new` and `tmp` (mode 0700) and, for a subfolder, Dovecot's `maildirfolder` marker.
    public static func createMaildir(at path: String, isSubfolder: Bool) throws {
        let fm = FileManager.default
        let attrs: [FileAttributeKey: Any] = [.posixPermissions: 0o700]
        for sub in ["cur", "new", "tmp"] {
            try fm.createDirectory(atPath: "\(path)/\(sub)", withIntermediateDirectories: true, attributes: attrs)
        }
        if isSubfolder && !fm.fileExists(atPath: "\(path)/maildirfolder") {
            _ = fm.createFile(atPath: "\(path)/maildirfolder", contents: Data(), attributes: [.posixPermissions: 0o600])
        }
    }
}
