/// THREAD algorithms (RFC 5256 §2.1, §2.2).
public enum ThreadAlgorithm: String, Sendable, Hashable {
    case orderedSubject = "ORDEREDSUBJECT", references = "REFERENCES"
}

/// A thread: a message (nil: a dummy standing for a missing parent) and its children (RFC 5256 §4).
public struct ThreadNode: Sendable, Equatable {
    public var id: UInt32?
    public var children: [ThreadNode]
    public init(_ id: UInt32?, _ children: [ThreadNode] = []) {
        self.id = id
        self.children = children
    }

    /// `(a b)` for one child, `(a (b)(c))` for several, `((a)(b))` under a dummy, as RFC 5256 §4
    /// writes them.
    var wire: String { "(" + body + ")" }
    private var body: String {
        guard let id else { return children.map(\.wire).joined() }
        switch children.count {
        case 0: return String(id)
        case 1: return "\(id) \(children[0].body)"
        default: return "\(id) " + children.map(\.wire).joined()
        }
    }
}

/// What THREAD=REFERENCES needs of a message besides its sort values.
public struct ThreadHeaders: Sendable, Equatable {
    public var messageID: String?
    /// References, or In-Reply-To when there is none, oldest first.
    public var references: [String]
    public var isReply: Bool

    public init(messageID: String?, references: [String], isReply: Bool) {
        self.messageID = messageID
        self.references = references
        self.isReply = isReply
    }

    public init(_ m: any SearchableMessage) {
        messageID = Self.ids(m.headerValues("Message-ID").first ?? "").first
        let refs = Self.ids(m.headerValues("References").joined(separator: " "))
        references = refs.isEmpty ? Array(Self.ids(m.headerValues("In-Reply-To").first ?? "").prefix(1)) : refs
        isReply = BaseSubject.extract(m.headerValues("Subject").first ?? "").isReply
    }

    /// Every `<…>` in a header, in order; text outside brackets and broken ids are ignored.
    static func ids(_ text: String) -> [String] {
        var out: [String] = []
        var current: String?
        for ch in text {
            if ch == "<" {
                current = ""
            } else if ch == ">", let c = current {
                if !c.isEmpty { out.append(c) }
                current = nil
            } else if ch != " ", ch != "\t" {
                current?.append(ch)
            }
        }
        return out
    }
}

public enum ThreadOrder {
    public typealias Row = (seq: Int, id: UInt32, values: MessageSortValues, headers: ThreadHeaders)

    /// REFERENCES (RFC 5256 §2.2, the algorithm of Jamie Zawinski): parents from References
    /// (In-Reply-To when absent) without loops, dummies for missing parents pruned, roots with the
    /// same base subject gathered, everything ordered by sent date then mailbox order.
    public static func references(_ rows: [Row]) -> [ThreadNode] {
        final class Box {
            var row: Row?
            weak var parent: Box?
            var children: [Box] = []
            init(_ row: Row?) { self.row = row }
            func isAncestor(of other: Box) -> Bool {
                var p: Box? = other
                while let b = p {
                    if b === self { return true }
                    p = b.parent
                }
                return false
            }
            func adopt(_ child: Box) {
                if let old = child.parent { old.children.removeAll { $0 === child } }
                child.parent = self
                children.append(child)
            }
            /// The date a container sorts by: its message's, or for a dummy its first child's.
            var key: (Int64, Int) {
                if let row { return (row.values.date, row.seq) }
                return children.first?.key ?? (Int64.max, Int.max)
            }
            func sortChildren() {
                for c in children { c.sortChildren() }
                children.sort { $0.key < $1.key }
            }
        }
        // (1) containers by Message-ID; a missing or repeated id gets a container of its own.
        var table: [String: Box] = [:]
        var all: [Box] = []
        func box(_ id: String) -> Box {
            if let b = table[id] { return b }
            let b = Box(nil)
            table[id] = b
            all.append(b)
            return b
        }
        for row in rows {
            let me: Box
            if let id = row.headers.messageID, let existing = table[id], existing.row == nil {
                existing.row = row
                me = existing
            } else {
                me = Box(row)
                all.append(me)
                if let id = row.headers.messageID, table[id] == nil { table[id] = me }
            }
            let refs = row.headers.references.map(box)
            for (parent, child) in zip(refs, refs.dropFirst())
            where child.parent == nil && parent !== child && !child.isAncestor(of: parent) {
                parent.adopt(child)
            }
            if let last = refs.last, last !== me, !me.isAncestor(of: last) {
                last.adopt(me)
            } else if let old = me.parent {
                old.children.removeAll { $0 === me }
                me.parent = nil
            }
        }
        // (2)-(4) the roots, with dummies pruned: an empty dummy goes; a dummy's children move up,
        // except a root dummy with several children.
        func pruned(_ b: Box, atRoot: Bool) -> [Box] {
            let kids = b.children.flatMap { pruned($0, atRoot: false) }
            b.children = kids
            for k in kids { k.parent = b }
            if b.row != nil { return [b] }
            if kids.isEmpty { return [] }
            if atRoot && kids.count > 1 { return [b] }
            for k in kids { k.parent = nil }
            return kids
        }
        var roots = all.filter { $0.parent == nil }.flatMap { pruned($0, atRoot: true) }
        for r in roots { r.sortChildren() }
        roots.sort { $0.key < $1.key }  // (5)
        // (6) roots with the same base subject become one thread.
        func subjectOf(_ b: Box) -> (key: [UInt8], isReply: Bool)? {
            guard let row = b.row ?? b.children.first?.row, !row.values.subject.isEmpty else { return nil }
            return (row.values.subject, b.row == nil ? false : row.headers.isReply)
        }
        var bySubject: [[UInt8]: Box] = [:]
        for r in roots {
            guard let s = subjectOf(r) else { continue }
            if let t = bySubject[s.key] {
                let tIsReply = t.row.map(\.headers.isReply) ?? false
                if (t.row != nil && r.row == nil) || (tIsReply && r.row != nil && !s.isReply) { bySubject[s.key] = r }
            } else {
                bySubject[s.key] = r
            }
        }
        for r in roots {
            guard let s = subjectOf(r), let t = bySubject[s.key], t !== r, r.parent == nil else { continue }
            if t.row == nil && r.row == nil {
                for c in r.children { t.adopt(c) }
            } else if t.row == nil {
                t.adopt(r)
            } else if r.row == nil {
                r.adopt(t)
                bySubject[s.key] = r
            } else if s.isReply && !(t.row?.headers.isReply ?? false) {
                t.adopt(r)
            } else {
                let dummy = Box(nil)
                all.append(dummy)  // parents are weak; `all` keeps every container alive
                dummy.adopt(t)
                dummy.adopt(r)
                bySubject[s.key] = dummy
            }
        }
        func topmost(_ b: Box) -> Box { b.parent.map(topmost) ?? b }
        var merged: [Box] = []
        for r in roots {
            let top = topmost(r)
            if (top.row != nil || !top.children.isEmpty) && !merged.contains(where: { $0 === top }) {
                merged.append(top)
            }
        }
        // (7) everything in date order once more.
        for r in merged { r.sortChildren() }
        merged.sort { $0.key < $1.key }
        func node(_ b: Box) -> ThreadNode { ThreadNode(b.row?.id, b.children.map(node)) }
        return merged.map(node)
    }

    /// ORDEREDSUBJECT (RFC 5256 §2.1): messages grouped by base subject, each group sorted by sent
    /// date (then mailbox order); the first message is the parent of all the others; groups are
    /// ordered by their first message's sent date (then mailbox order).
    public static func orderedSubject(_ rows: [(seq: Int, id: UInt32, values: MessageSortValues)]) -> [ThreadNode] {
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
