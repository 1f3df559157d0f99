/// THREAD algorithms (RFC 5256 §2.1, §4); only ORDEREDSUBJECT is implemented.
public enum ThreadAlgorithm: String, Sendable, Hashable {
    case orderedSubject = "ORDEREDSUBJECT"
}

/// A thread: a message and its children (RFC 5256 §4 `thread-list`).
public struct ThreadNode: Sendable, Equatable {
    public var id: UInt32
    public var children: [ThreadNode]
    public init(_ id: UInt32, _ children: [ThreadNode] = []) {
        self.id = id
        self.children = children
    }

    /// `(a b)` for one child, `(a (b)(c))` for several, as RFC 5256 §4 writes them.
    var wire: String { "(" + body + ")" }
    private var body: String {
        switch children.count {
        case 0: return String(id)
        case 1: return "\(id) \(children[0].body)"
        default: return "\(id) " + children.map(\.wire).joined()
        }
    }
}

enum ThreadOrder {
    /// ORDEREDSUBJECT (RFC 5256 §2.1): messages grouped by base subject, each group sorted by sent
    /// date (then mailbox order); the first message is the parent of all the others; groups are
    /// ordered by their first message's sent date (then mailbox order).
    static func orderedSubject(_ rows: [(seq: Int, id: UInt32, values: MessageSortValues)]) -> [ThreadNode] {
        var groups: [[UInt8]: [(seq: Int, id: UInt32, values: MessageSortValues)]] = [:]
        var order: [[UInt8]] = []
        for r in rows {
            if groups[r.values.subject] == nil { order.append(r.values.subject) }
            groups[r.values.subject, default: []].append(r)
        }
        let sortedGroups = order.map { key in
            groups[key]!.sorted { ($0.values.date, $0.seq) < ($1.values.date, $1.seq) }
        }.sorted { ($0[0].values.date, $0[0].seq) < ($1[0].values.date, $1[0].seq) }
        return sortedGroups.map { g in ThreadNode(g[0].id, g.dropFirst().map { ThreadNode($0.id) }) }
    }
}
