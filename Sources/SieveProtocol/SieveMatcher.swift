/// Comparators (RFC 4790 as used by RFC 5228 §2.7.3) and match types (:is, :contains, :matches,
/// RFC 5231 :value and :count). Also yields the `${1}`… match variables of :matches (RFC 5229 §3.2).
enum SieveMatcher {
    /// True when any value matches any key; `captures` gets the wildcard groups of the first :matches hit.
    static func test(
        _ values: [String], _ keys: [String], _ options: MatchOptions, captures: inout [String]?
    ) -> Bool {
        switch options.match {
        case .count(let op):
            return keys.contains { relate(compare(String(values.count), $0, .asciiNumeric), op) }
        case .value(let op):
            return values.contains { v in keys.contains { relate(compare(v, $0, options.comparator), op) } }
        case .is:
            return values.contains { v in keys.contains { compare(v, $0, options.comparator) == 0 } }
        case .contains:
            return values.contains { v in
                keys.contains { k in fold(v, options.comparator).contains(fold(k, options.comparator)) || k.isEmpty }
            }
        case .matches:
            for v in values {
                for k in keys {
                    if let groups = wildcard(fold(v, options.comparator), fold(k, options.comparator), original: v) {
                        captures = [v] + groups
                        return true
                    }
                }
            }
            return false
        }
    }

    private static func relate(_ order: Int, _ op: RelationalOperator) -> Bool {
        switch op {
        case .gt: order > 0
        case .ge: order >= 0
        case .lt: order < 0
        case .le: order <= 0
        case .eq: order == 0
        case .ne: order != 0
        }
    }

    /// The comparator's view of a string: i;ascii-casemap folds ASCII letters only.
    static func fold(_ s: String, _ c: SieveComparator) -> [Unicode.Scalar] {
        guard c == .asciiCasemap else { return Array(s.unicodeScalars) }
        return s.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }
    }

    /// -1, 0, 1. i;ascii-numeric: a string not starting with a digit is +infinity (RFC 4790 §9.1.1).
    static func compare(_ a: String, _ b: String, _ c: SieveComparator) -> Int {
        if c == .asciiNumeric {
            func number(_ s: String) -> [UInt8]? {
                let digits = Array(s.utf8.prefix { (48...57).contains($0) })
                guard !digits.isEmpty else { return nil }
                let trimmed = Array(digits.drop { $0 == 48 })
                return trimmed
            }
            switch (number(a), number(b)) {
            case (nil, nil): return 0
            case (nil, _): return 1
            case (_, nil): return -1
            case (let x?, let y?):
                if x.count != y.count { return x.count < y.count ? -1 : 1 }
                return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
            }
        }
        let x = fold(a, c).map(\.value), y = fold(b, c).map(\.value)
        if x == y { return 0 }
        return x.lexicographicallyPrecedes(y) ? -1 : 1
    }

    /// `*` any run, `?` one character, `\` escapes; returns the text each wildcard matched.
    static func wildcard(_ text: [Unicode.Scalar], _ pattern: [Unicode.Scalar], original: String) -> [String]? {
        let orig = Array(original.unicodeScalars)
        enum Piece { case literal(Unicode.Scalar), one, any }
        var pieces: [Piece] = []
        var i = 0
        while i < pattern.count {
            let c = pattern[i]
            if c == "\\", i + 1 < pattern.count {
                pieces.append(.literal(pattern[i + 1])); i += 2; continue
            }
            pieces.append(c == "*" ? .any : c == "?" ? .one : .literal(c))
            i += 1
        }
        // Backtracking with the classic "last star" strategy, remembering where each wildcard began.
        var groups: [Range<Int>] = []
        // A step budget: patterns like "*a*a*a*b" backtrack exponentially; past it, no match.
        var budget = 100_000
        func match(_ p: Int, _ t: Int, _ acc: inout [Range<Int>]) -> Bool {
            budget -= 1
            guard budget > 0 else { return false }
            var p = p, t = t
            while p < pieces.count {
                switch pieces[p] {
                case .literal(let l):
                    guard t < text.count, text[t] == l else { return false }
                    p += 1; t += 1
                case .one:
                    guard t < text.count else { return false }
                    acc.append(t..<(t + 1))
                    p += 1; t += 1
                case .any:
                    // Non-greedy first (RFC 5229 §3.2: leftmost-shortest match), longer as needed.
                    var end = t
                    while end <= text.count {
                        var trial = acc + [t..<end]
                        if match(p + 1, end, &trial) { acc = trial; return true }
                        end += 1
                    }
                    return false
                }
            }
            return t == text.count
        }
        guard match(0, 0, &groups) else { return nil }
        return groups.map { r in String(String.UnicodeScalarView(orig[r])) }
    }
}
