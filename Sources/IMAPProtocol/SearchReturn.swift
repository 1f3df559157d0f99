/// `SEARCH RETURN (...)` options (RFC 4731 §3.1 ESEARCH, RFC 5182 §2.4 SAVE).
public enum SearchReturnOption: String, Sendable, Hashable, CaseIterable {
    case min = "MIN", max = "MAX", all = "ALL", count = "COUNT", save = "SAVE"
}

/// The untagged `* ESEARCH` result (RFC 4731 §3.1); numbers are UIDs for UID SEARCH.
public struct ExtendedSearchResult: Sendable, Equatable {
    public var tag: String
    public var uid: Bool
    public var min: UInt32?
    public var max: UInt32?
    public var all: SequenceSet?
    public var count: Int?

    /// The items asked for, computed from the ascending matches. MIN, MAX and ALL are left out
    /// when nothing matched, COUNT is always there when asked (RFC 4731 §3.1).
    public init(tag: String, uid: Bool, options: Set<SearchReturnOption>, matches: [UInt32]) {
        self.tag = tag
        self.uid = uid
        if options.contains(.min) { min = matches.first }
        if options.contains(.max) { max = matches.last }
        if options.contains(.all) && !matches.isEmpty { all = SequenceSet(numbers: matches) }
        if options.contains(.count) { count = matches.count }
    }

    /// `MIN`, `MAX`, `ALL`, then `COUNT`: the order Dovecot writes them in.
    var wire: String {
        var s = ""
        if let min { s += " MIN \(min)" }
        if let max { s += " MAX \(max)" }
        if let all { s += " ALL \(all)" }
        if let count { s += " COUNT \(count)" }
        return s
    }
}

extension SearchKey {
    /// The key with every `$` (RFC 5182) replaced by the saved UIDs, so the evaluator never sees `$`.
    public func substitutingSavedResult(_ saved: [UInt32]) -> SearchKey {
        switch self {
        case .sequence(let set) where set.isSavedResult, .uid(let set) where set.isSavedResult:
            return .uid(SequenceSet(numbers: saved))
        case .not(let k): return .not(k.substitutingSavedResult(saved))
        case .or(let a, let b): return .or(a.substitutingSavedResult(saved), b.substitutingSavedResult(saved))
        case .and(let ks): return .and(ks.map { $0.substitutingSavedResult(saved) })
        default: return self
        }
    }

    /// Whether `$` appears anywhere in the key.
    public var usesSavedResult: Bool {
        switch self {
        case .sequence(let set), .uid(let set): return set.isSavedResult
        case .not(let k): return k.usesSavedResult
        case .or(let a, let b): return a.usesSavedResult || b.usesSavedResult
        case .and(let ks): return ks.contains { $0.usesSavedResult }
        default: return false
        }
    }
}
