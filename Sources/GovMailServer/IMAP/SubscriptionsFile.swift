import Foundation
import MailCore
import MaildirStore

/// The account's subscribed folders (IMAP SUBSCRIBE/LSUB, RFC 3501 §6.3.6–6.3.9), kept in the
/// Dovecot-compatible `subscriptions` file in the account root.
///
/// Format written (Dovecot 2.x "V\t2"): a header line `V\t2`, an empty line, then one folder per
/// line with its hierarchy levels separated by TAB, each level in modified UTF-7 as Dovecot writes
/// it (`C&APQ-ng v&AQM-n &AREevw-n` is "Công văn đến"). The older format (one name per line,
/// levels separated by the folder separator) is read too, and a level with 8-bit bytes is taken as
/// UTF-8 (what GovMail wrote before). Writes replace the file atomically, durably and mode 0600,
/// like every other file of the mailbox.
public struct SubscriptionsFile: Sendable {
    public static let fileName = "subscriptions"
    public let path: String

    public init(accountRoot: String) { path = accountRoot + "/" + Self.fileName }

    /// The subscribed names in file order; a missing or unreadable file means none. Names that are
    /// not valid mailbox names are skipped (they cannot be selected anyway).
    public func read() -> [MailboxName] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return Self.parse(String(decoding: data, as: UTF8.self))
    }

    /// Adds `name` (no-op when present).
    public func subscribe(_ name: MailboxName) throws {
        var names = read()
        guard !names.contains(name) else { return }
        names.append(name)
        try write(names)
    }

    /// Removes `name` (no-op when absent).
    public func unsubscribe(_ name: MailboxName) throws {
        let names = read()
        guard names.contains(name) else { return }
        try write(names.filter { $0 != name })
    }

    /// After RENAME: subscriptions of `from` and of folders below it follow the new name.
    public func renamed(_ from: MailboxName, to: MailboxName) throws {
        let names = read()
        var changed = false
        let updated = names.map { name -> MailboxName in
            guard name.isWithin(from) else { return name }
            let suffix = name.components.dropFirst(from.components.count)
            guard let moved = try? MailboxName((to.components + suffix).joined(separator: ".")) else { return name }
            changed = true
            return moved
        }
        if changed { try write(updated) }
    }

    static func parse(_ text: String) -> [MailboxName] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let versioned = lines.first?.hasPrefix("V\t") ?? false
        if versioned { lines.removeFirst() }
        var out: [MailboxName] = []
        for line in lines where !line.isEmpty {
            let levels = versioned ? line.split(separator: "\t").map(String.init) : [line]
            let text = levels.map(decodedLevel).joined(separator: ".")
            if let name = try? MailboxName(text), !out.contains(name) { out.append(name) }
        }
        return out
    }

    /// One level (or an old-format whole name) as Unicode: modified UTF-7 unless it is not valid as such.
    static func decodedLevel(_ text: String) -> String {
        if text.utf8.contains(where: { $0 >= 0x80 }) { return text }
        return (try? ModifiedUTF7.decode(text)) ?? text
    }

    static func render(_ names: [MailboxName]) -> String {
        "V\t2\n\n" + names.map { $0.components.map(ModifiedUTF7.encode).joined(separator: "\t") + "\n" }.joined()
    }

    private func write(_ names: [MailboxName]) throws {
        try DurableWriter().replace(path, with: Array(Self.render(names).utf8), temporaryPath: path + ".tmp")
    }
}
