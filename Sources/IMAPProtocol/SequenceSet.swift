/// One element of a sequence set: a number, `*`, or a range (RFC 3501 §9 `seq-number`, `seq-range`).
public enum SequenceNumber: Sendable, Hashable, CustomStringConvertible {
    case number(UInt32)
    /// `*`: the largest number in use (the last message, or the highest UID).
    case last

    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .last: return "*"
        }
    }

    func resolved(largest: UInt32) -> UInt32 {
        switch self {
        case .number(let n): return n
        case .last: return largest
        }
    }
}

/// A sequence set of message numbers or UIDs, such as `1:*` or `2,4:7,9` (RFC 3501 §9 `sequence-set`).
public struct SequenceSet: Sendable, Hashable, CustomStringConvertible {
    public struct Range: Sendable, Hashable, CustomStringConvertible {
        public var from: SequenceNumber
        public var to: SequenceNumber
        public init(_ from: SequenceNumber, _ to: SequenceNumber) {
            self.from = from
            self.to = to
        }
        public var description: String { from == to ? from.description : "\(from):\(to)" }
    }

    public var ranges: [Range]
    /// `$`, the result saved by the last `SEARCH RETURN (SAVE)` (RFC 5182 §2); the session
    /// substitutes the saved UIDs before the set is used, so `ranges` is empty here.
    public private(set) var isSavedResult = false
    public init(_ ranges: [Range]) { self.ranges = ranges }

    /// `$` (RFC 5182 `seq-last-command`).
    public static var savedResult: SequenceSet {
        var s = SequenceSet([])
        s.isSavedResult = true
        return s
    }

    /// Explicit numbers in the given order, with ascending runs compressed into ranges; order is kept
    /// because COPYUID pairs source and destination UIDs by position (RFC 4315 §3).
    public init(numbers: [UInt32]) {
        var out: [Range] = []
        for n in numbers {
            if let last = out.last, case .number(let hi) = last.to, hi &+ 1 == n {
                out[out.count - 1].to = .number(n)
            } else {
                out.append(Range(.number(n), .number(n)))
            }
        }
        ranges = out
    }

    public var description: String { isSavedResult ? "$" : ranges.map(\.description).joined(separator: ",") }

    /// Whether `n` is in the set, where `*` means `largest` (RFC 3501 §6.4.8: `n:m` equals `m:n`).
    public func contains(_ n: UInt32, largest: UInt32) -> Bool {
        for r in ranges {
            let a = r.from.resolved(largest: largest), b = r.to.resolved(largest: largest)
            if n >= min(a, b) && n <= max(a, b) { return true }
        }
        return false
    }
}
