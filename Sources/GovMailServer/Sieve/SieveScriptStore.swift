import Foundation
import MaildirStore
import SieveProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// An account's Sieve scripts, stored exactly as Dovecot Pigeonhole keeps them
/// (`sieve = file:~/sieve;active=~/.dovecot.sieve`, with the account root as home):
/// `<root>/sieve/NAME.sieve`, and the active one named by the symlink `<root>/.dovecot.sieve`
/// → `sieve/NAME.sieve`. A migration to or from Dovecot keeps scripts and the active choice.
///
/// Every write is durable (DurableWriter: temporary file, fsync, rename, fsync the directory);
/// switching the active script is one atomic rename of a new symlink. The Maildir++ folder list
/// ignores both names (`sieve` has no leading dot; `.dovecot.sieve` is not a directory).
public struct SieveScriptStore: Sendable {
    public static let activeLinkName = ".dovecot.sieve"
    public static let directoryName = "sieve"
    public static let fileExtension = ".sieve"

    public let root: String
    private let writer: DurableWriter
    private let names: UniqueNameGenerator

    public init(accountRoot: String, writer: DurableWriter = DurableWriter(), names: UniqueNameGenerator = .shared) {
        root = accountRoot
        self.writer = writer
        self.names = names
    }

    public struct Entry: Sendable, Equatable {
        public let name: String
        public let isActive: Bool
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case invalidName(String)
        case noSuchScript(String)
        case alreadyExists(String)
        case activeScriptCannotBeDeleted(String)
        case tooLarge(size: Int, limit: Int)
        case tooManyScripts(limit: Int)
        case io(String)

        public var description: String {
            switch self {
            case .invalidName(let n):
                "\"\(n)\" cannot name a script: use 1 to 128 characters without \"/\", control characters or a leading dot"
            case .noSuchScript(let n): "there is no script named \"\(n)\"; list the scripts to see their names"
            case .alreadyExists(let n): "a script named \"\(n)\" already exists; choose another name or delete it first"
            case .activeScriptCannotBeDeleted(let n):
                "\"\(n)\" is the active script; deactivate it (or activate another) before deleting it"
            case .tooLarge(let size, let limit): "the script is \(size) bytes; the limit is \(limit) bytes"
            case .tooManyScripts(let limit): "the account already has \(limit) scripts; delete one first"
            case .io(let what): "the script store could not be written (\(what)); check the disk and permissions"
            }
        }
    }

    /// At most this many scripts per account (ManageSieve HAVESPACE and PUTSCRIPT check it).
    public static let maxScripts = 32

    var directory: String { root + "/" + Self.directoryName }
    var activeLink: String { root + "/" + Self.activeLinkName }
    func path(_ name: String) -> String { directory + "/" + name + Self.fileExtension }

    /// RFC 5804 §1.6: script names are UTF-8 without control characters; a file name here, so no "/"
    /// and no leading dot either.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 128, !name.hasPrefix("."), !name.contains("/") else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.value >= 0x20 && $0.value != 0x7f && !(0x80...0x9f).contains($0.value)
        }
    }

    private func checkName(_ name: String) throws {
        guard Self.isValidName(name) else { throw Problem.invalidName(name) }
    }

    /// Every script, sorted by name, with the active one marked.
    public func list() -> [Entry] {
        let active = activeName()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(Self.fileExtension) && !$0.hasPrefix(".") }
            .map { String($0.dropLast(Self.fileExtension.count)) }
            .sorted()
            .map { Entry(name: $0, isActive: $0 == active) }
    }

    /// The name the active-script link points to, if it points into `sieve/` at an existing script.
    public func activeName() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: activeLink) else { return nil }
        let prefix = Self.directoryName + "/"
        var relative = target
        if target.hasPrefix(directory + "/") { relative = String(target.dropFirst(root.count + 1)) }
        guard relative.hasPrefix(prefix), relative.hasSuffix(Self.fileExtension) else { return nil }
        let name = String(relative.dropFirst(prefix.count).dropLast(Self.fileExtension.count))
        return FileManager.default.fileExists(atPath: path(name)) ? name : nil
    }

    /// The active script's text, or nil when none is active (a plain `.dovecot.sieve` file counts too).
    public func activeSource() -> String? {
        guard let data = FileManager.default.contents(atPath: activeLink) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public func get(_ name: String) throws -> String {
        try checkName(name)
        guard let data = FileManager.default.contents(atPath: path(name)) else { throw Problem.noSuchScript(name) }
        return String(decoding: data, as: UTF8.self)
    }

    public func exists(_ name: String) -> Bool {
        Self.isValidName(name) && FileManager.default.fileExists(atPath: path(name))
    }

    /// Stores (or replaces) a script durably. The caller compiles it first (CHECKSCRIPT semantics).
    public func put(_ name: String, source: String, limits: SieveLimits = SieveLimits()) throws {
        try checkName(name)
        let bytes = Array(source.utf8)
        guard bytes.count <= limits.maxScriptSize else {
            throw Problem.tooLarge(size: bytes.count, limit: limits.maxScriptSize)
        }
        if !exists(name) && list().count >= Self.maxScripts { throw Problem.tooManyScripts(limit: Self.maxScripts) }
        try prepareDirectory()
        do {
            try writer.replace(path(name), with: bytes, temporaryPath: temporaryPath())
        } catch {
            throw Problem.io("\(error)")
        }
    }

    /// Makes `name` the active script (nil: no script is active), atomically.
    public func activate(_ name: String?) throws {
        guard let name else {
            if unlink(activeLink) != 0 && errno != ENOENT { throw Problem.io("unlink \(activeLink): errno \(errno)") }
            try? writer.ops.fsyncDirectory(root)
            return
        }
        try checkName(name)
        guard exists(name) else { throw Problem.noSuchScript(name) }
        let temp = root + "/.dovecot.sieve.tmp." + names.next(size: 0)
        guard symlink(Self.directoryName + "/" + name + Self.fileExtension, temp) == 0 else {
            throw Problem.io("symlink \(temp): errno \(errno)")
        }
        do {
            try writer.ops.rename(temp, activeLink)
            try writer.ops.fsyncDirectory(root)
        } catch {
            _ = unlink(temp)
            throw Problem.io("\(error)")
        }
    }

    public func delete(_ name: String) throws {
        try checkName(name)
        guard exists(name) else { throw Problem.noSuchScript(name) }
        guard activeName() != name else { throw Problem.activeScriptCannotBeDeleted(name) }
        do {
            try writer.ops.unlink(path(name))
            try writer.ops.fsyncDirectory(directory)
        } catch {
            throw Problem.io("\(error)")
        }
    }

    /// Renames a script; the active link follows it (RFC 5804 §2.11.1).
    public func rename(_ old: String, to new: String) throws {
        try checkName(old)
        try checkName(new)
        guard exists(old) else { throw Problem.noSuchScript(old) }
        guard !exists(new) else { throw Problem.alreadyExists(new) }
        let wasActive = activeName() == old
        do {
            try writer.ops.link(path(old), path(new))
            try writer.ops.fsyncDirectory(directory)
        } catch {
            throw Problem.io("\(error)")
        }
        if wasActive { try activate(new) }
        do {
            try writer.ops.unlink(path(old))
            try writer.ops.fsyncDirectory(directory)
        } catch {
            throw Problem.io("\(error)")
        }
    }

    private func prepareDirectory() throws {
        do {
            try FileManager.default.createDirectory(
                atPath: directory + "/tmp", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Problem.io("cannot create \(directory): \(error)")
        }
    }

    private func temporaryPath() -> String { directory + "/tmp/" + names.next(size: 0) }
}
