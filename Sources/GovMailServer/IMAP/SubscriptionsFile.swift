import Foundation
import MailCore

/// The account's subscribed folders (IMAP SUBSCRIBE/LSUB, RFC 3501 §6.3.6–6.3.9), kept in the
/// Dovecot-compatible `subscriptions` file in the account root.
///
/// Format written (Dovecot 2.x "V\t2"): a header line `V\t2`, an empty line, then one folder per
/// line with its hierarchy levels separated by TAB, in UTF-8. The older format (one name per
/// line, levels separated by the folder separator) is read too. Writes replace the file atomically.
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
            let text = versioned ? line.split(separator: "\t").joined(separator: ".") : line
            if let name = try? MailboxName(text), !out.contains(name) { out.append(name) }
        }
        return out
    }

    static func render(_ names: [MailboxName]) -> String {
        "V\t2\n\n" + names.map { $0.components.joined(separator: "\t") + "\n" }.joined()
    }

    private func write(_ names: [MailboxName]) throws {
        try Data(Self.render(names).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
