import Foundation
import MailCore
import MaildirStore

/// Who got which vacation reply until when (RFC 5230 §4.2: once per sender per period), kept
/// durably in the account root as `govmail-vacation-replies` (no leading dot, so never a folder):
/// one line `<until-epoch> <handle> <sender>` per reply, rewritten atomically, expired lines dropped.
struct VacationMemory: Sendable {
    static let fileName = "govmail-vacation-replies"
    /// Serialises read-modify-write of the file across concurrent deliveries to one account.
    private static let lock = Locked(())

    let root: String
    let writer: DurableWriter

    var path: String { root + "/" + Self.fileName }

    /// True when `sender` already got the reply named `handle` and its period has not ended.
    func hasReplied(to sender: String, handle: String, now: Double) -> Bool {
        Self.lock.withLock { _ in
            let key = Self.key(handle, sender)
            return read().contains { $0.key == key && $0.until > now }
        }
    }

    /// Remembers a reply until `until`; throws when the file cannot be written durably.
    func remember(_ sender: String, handle: String, until: Double, now: Double) throws {
        try Self.lock.withLock { _ in
            let key = Self.key(handle, sender)
            var entries = read().filter { $0.until > now && $0.key != key }
            entries.append((until, key))
            let text = entries.map { "\(Int64($0.until)) \($0.key)\n" }.joined()
            try writer.replace(path, with: Array(text.utf8), temporaryPath: path + ".tmp")
        }
    }

    /// `<handle> <sender>` with white space in the handle made safe for the line format.
    static func key(_ handle: String, _ sender: String) -> String {
        let safeHandle = String(handle.map { $0.isWhitespace ? "_" : $0 }.prefix(200))
        return safeHandle + " " + sender.lowercased()
    }

    private func read() -> [(until: Double, key: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let until = Double(parts[0]) else { return nil }
            return (until, String(parts[1]))
        }
    }
}
