import Foundation
import MailCore

/// The `:2,` letters of Maildir: D F R S T ⇄ \Draft \Flagged \Answered \Seen \Deleted, and the
/// keyword letters a–z whose names the folder's `dovecot-keywords` file holds.
public enum MaildirFlags {
    /// The one mapping between system flags and letters (used in both directions).
    public static let systemLetters: [(letter: Character, flag: Flag)] = [
        ("D", .draft), ("F", .flagged), ("R", .answered), ("S", .seen), ("T", .deleted),
    ]

    /// The flags that `letters` stand for; keyword letters missing from `keywords` are skipped.
    public static func flags(fromLetters letters: String, keywords: KeywordTable) -> Set<Flag> {
        var flags = Set<Flag>()
        for ch in letters {
            if let system = systemLetters.first(where: { $0.letter == ch }) {
                flags.insert(system.flag)
            } else if let index = KeywordTable.index(ofLetter: ch), let name = keywords.name(at: index) {
                flags.insert(.keyword(name))
            }
        }
        return flags
    }

    /// The sorted letters for `flags`; new keywords are added to `keywords` (throws when all 26 are used).
    /// `\Recent` is never stored. Letters for unknown keyword indices in `preserving` are kept.
    public static func letters(for flags: Set<Flag>, keywords: inout KeywordTable) throws -> String {
        var out: [Character] = []
        for flag in flags {
            switch flag {
            case .recent: continue
            case .keyword(let name):
                out.append(KeywordTable.letter(forIndex: try keywords.index(for: name, adding: true)!))
            default:
                if let l = systemLetters.first(where: { $0.flag == flag })?.letter { out.append(l) }
            }
        }
        return String(Set(out).sorted())
    }
}

/// A folder's `dovecot-keywords` table: index 0–25 (letters a–z) → keyword name, one `<index> <name>` line each.
public struct KeywordTable: Sendable, Equatable {
    public static let capacity = 26
    public private(set) var names: [Int: String] = [:]

    public init(names: [Int: String] = [:]) { self.names = names }

    /// Parses the file; lines that are not `<index 0–25> <name>` are ignored as Dovecot does.
    public init(parsing text: String) {
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let i = Int(parts[0]), (0..<Self.capacity).contains(i) else { continue }
            let name = parts[1].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            names[i] = name
        }
    }

    public var serialized: String {
        names.keys.sorted().map { "\($0) \(names[$0]!)\n" }.joined()
    }

    public func name(at index: Int) -> String? { names[index] }

    /// The index of a keyword (case-insensitive); with `adding`, a free index is assigned.
    public mutating func index(for keyword: String, adding: Bool) throws -> Int? {
        if let found = names.first(where: { $0.value.lowercased() == keyword.lowercased() }) { return found.key }
        guard adding else { return nil }
        guard let free = (0..<Self.capacity).first(where: { names[$0] == nil }) else {
            throw MaildirError.tooManyKeywords(keyword)
        }
        names[free] = keyword
        return free
    }

    public static func letter(forIndex i: Int) -> Character { Character(Unicode.Scalar(UInt8(97 + i))) }
    public static func index(ofLetter ch: Character) -> Int? {
        guard let a = ch.asciiValue, a >= 97, a < 97 + UInt8(capacity) else { return nil }
        return Int(a - 97)
    }
}
