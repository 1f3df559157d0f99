/// A LIST/LSUB pattern compiled once for matching many folder names (RFC 3501 §6.3.8): `*` matches
/// anything, `%` anything but the hierarchy delimiter, INBOX case-insensitively.
///
/// Cost is bounded whatever the client sends: a run of wildcards collapses to one (`%*%` is `*`,
/// `%%` is `%`), a name shorter than the pattern's literal characters is refused at once, and the
/// match itself is one dynamic-programming pass, O(name × pattern) with the pattern at most about
/// twice the name. A 7,000-`*` pattern costs what `*` costs (issue 18: it once took 24 s of CPU).
public struct ListPattern: Sendable {
    enum Token: Sendable, Equatable {
        case literal(Character)
        /// `*`
        case any
        /// `%`
        case anyButDelimiter
    }

    let tokens: [Token]
    /// Literal characters in the pattern: a name needs at least this many to match.
    let literalCount: Int
    let delimiter: Character

    public init(_ pattern: String, delimiter: Character = ".") {
        var chars = Array(pattern)
        if pattern.uppercased().hasPrefix("INBOX") && (chars.count == 5 || chars[5] == delimiter) {
            chars = Array("INBOX") + chars.dropFirst(5)
        }
        var tokens: [Token] = []
        for c in chars {
            let t: Token = c == "*" ? .any : c == "%" ? .anyButDelimiter : .literal(c)
            switch (tokens.last, t) {
            case (.any?, .any), (.any?, .anyButDelimiter), (.anyButDelimiter?, .anyButDelimiter): continue
            case (.anyButDelimiter?, .any): tokens[tokens.count - 1] = .any
            default: tokens.append(t)
            }
        }
        self.tokens = tokens
        literalCount = tokens.filter { if case .literal = $0 { return true } else { return false } }.count
        self.delimiter = delimiter
    }

    /// Whether `name` (Unicode, `delimiter`-separated) matches.
    public func matches(_ name: String) -> Bool {
        let n = Array(name)
        guard n.count >= literalCount else { return false }
        // row[j]: the first i characters of the name match the first j tokens.
        var row = [Bool](repeating: false, count: tokens.count + 1)
        row[0] = true
        for j in tokens.indices {
            switch tokens[j] {
            case .any, .anyButDelimiter: row[j + 1] = row[j]
            case .literal: row[j + 1] = false
            }
        }
        for i in n.indices {
            var next = [Bool](repeating: false, count: tokens.count + 1)
            for j in tokens.indices {
                switch tokens[j] {
                case .literal(let c):
                    next[j + 1] = row[j] && n[i] == c
                case .any:
                    // consume n[i] with the same wildcard, or let it match nothing
                    next[j + 1] = row[j + 1] || next[j]
                case .anyButDelimiter:
                    next[j + 1] = (row[j + 1] && n[i] != delimiter) || next[j]
                }
            }
            row = next
        }
        return row[tokens.count]
    }
}
