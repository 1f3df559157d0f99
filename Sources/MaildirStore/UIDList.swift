import MailCore

/// A folder's `dovecot-uidlist` in Dovecot's version 3 format:
///
///     3 V<uidvalidity> N<uidnext> [G<guid> …]
///     <uid> [<extension fields> ]:<filename>
///
/// Lines may carry extension fields before the colon (e.g. `G<guid>`, `W<vsize>`) and the file
/// name may include `:2,<flags>`; we keep the fields and match messages by basename.
public struct UIDList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var uid: UID
        public var basename: String
        /// Extension fields between the UID and the colon, kept verbatim for Dovecot.
        public var extensions: String
        public init(uid: UID, basename: String, extensions: String = "") {
            self.uid = uid; self.basename = basename; self.extensions = extensions
        }
        var line: String {
            extensions.isEmpty ? "\(uid.value) :\(basename)\n" : "\(uid.value) \(extensions) :\(basename)\n"
        }
    }

    /// Why a file could not be used; the folder then gets a new UIDVALIDITY.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badHeader, unsupportedVersion(String), badLine(Int), uidsNotAscending(Int), truncated
        public var description: String {
            switch self {
            case .badHeader: return "the uidlist header is not \"3 V<uidvalidity> N<uidnext>\""
            case .unsupportedVersion(let v): return "uidlist version \(v) is not supported (only 3)"
            case .badLine(let n): return "uidlist line \(n) is not \"<uid> :<filename>\""
            case .uidsNotAscending(let n): return "uidlist line \(n) does not have a UID above the previous one"
            case .truncated: return "the uidlist does not end with a newline (it was cut short)"
            }
        }
    }

    public var uidValidity: UInt32
    /// The next UID to assign; always above every UID in `entries`.
    public var nextUID: UInt32
    /// Header fields other than V and N (e.g. `G<guid>`), kept verbatim.
    public var headerExtensions: [String]
    public var entries: [Entry]

    public init(uidValidity: UInt32, nextUID: UInt32 = 1, headerExtensions: [String] = [], entries: [Entry] = []) {
        self.uidValidity = uidValidity
        self.nextUID = nextUID
        self.headerExtensions = headerExtensions
        self.entries = entries
    }

    /// Parses a whole file strictly enough that a damaged file is noticed, not half-trusted.
    public init(parsing bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { throw Problem.badHeader }
        guard bytes.last == UInt8(ascii: "\n") else { throw Problem.truncated }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        guard let headerBytes = lines.first else { throw Problem.badHeader }
        let header = String(decoding: headerBytes, as: UTF8.self).split(separator: " ")
        guard let version = header.first else { throw Problem.badHeader }
        guard version == "3" else { throw Problem.unsupportedVersion(String(version)) }
        var validity: UInt32?, next: UInt32?
        var extensions: [String] = []
        for field in header.dropFirst() {
            switch field.first {
            case "V": validity = UInt32(field.dropFirst())
            case "N": next = UInt32(field.dropFirst())
            default: extensions.append(String(field))
            }
        }
        guard let validity, validity != 0, let next, next != 0 else { throw Problem.badHeader }

        var entries: [Entry] = []
        var highest: UInt32 = 0
        for (offset, raw) in lines.dropFirst().enumerated() {
            let lineNumber = offset + 2
            guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { throw Problem.badLine(lineNumber) }
            let before = String(decoding: raw[raw.startIndex..<colon], as: UTF8.self)
            let fileName = String(decoding: raw[(colon + 1)...], as: UTF8.self)
            let fields = before.split(separator: " ")
            guard let uidText = fields.first, let uid = UInt32(uidText), uid != 0,
                before.hasSuffix(" "),
                MaildirFileName.isCandidate(fileName)
            else { throw Problem.badLine(lineNumber) }
            guard uid > highest else { throw Problem.uidsNotAscending(lineNumber) }
            highest = uid
            entries.append(
                Entry(
                    uid: UID(uid), basename: MaildirFileName(fileName).basename,
                    extensions: fields.dropFirst().joined(separator: " ")))
        }
        self.init(
            uidValidity: validity, nextUID: max(next, highest &+ 1), headerExtensions: extensions, entries: entries)
    }

    /// The header line (what a full rewrite starts with).
    public var headerLine: String {
        (["3", "V\(uidValidity)", "N\(nextUID)"] + headerExtensions).joined(separator: " ") + "\n"
    }

    /// The whole file as written on an atomic rewrite.
    public var serialized: [UInt8] {
        var text = headerLine
        for e in entries { text += e.line }
        return Array(text.utf8)
    }

    /// Assigns the next UIDs to `basenames` in the given order and returns the lines to append.
    public mutating func assign(_ basenames: [String]) -> [Entry] {
        var added: [Entry] = []
        for name in basenames {
            let entry = Entry(uid: UID(nextUID), basename: name)
            nextUID += 1
            entries.append(entry)
            added.append(entry)
        }
        return added
    }

    static func appendText(_ entries: [Entry]) -> [UInt8] { Array(entries.map(\.line).joined().utf8) }
}
