/// The unit hierarchy with indices, children, depth-first order and subtree tests.
///
/// Units named in history but missing from the directory (deleted since) are added as roots of
/// level `other` named by their code, so old months still add up.
struct UnitTree {
    private(set) var units: [UnitRecord] = []
    private(set) var indexByCode: [String: Int] = [:]
    private(set) var parent: [Int?] = []
    private(set) var children: [[Int]] = []
    /// Depth-first pre-order: each unit is followed by its sub-units; siblings sorted by level, then code.
    private(set) var preorder: [Int] = []
    private(set) var depth: [Int] = []

    init(units list: [UnitRecord], referencedCodes: some Sequence<String>) {
        for unit in list where indexByCode[unit.code] == nil {
            indexByCode[unit.code] = units.count
            units.append(unit)
        }
        for code in referencedCodes where indexByCode[code] == nil {
            indexByCode[code] = units.count
            units.append(UnitRecord(code: code, name: code, level: .other, parentCode: nil))
        }
        parent = units.map { $0.parentCode.flatMap { indexByCode[$0] } }
        // A parent chain that loops back is cut where it closes, so the tree is always a forest.
        for start in units.indices {
            var seen: Set<Int> = [start]
            var current = start
            while let p = parent[current] {
                if seen.contains(p) { parent[current] = nil; break }
                seen.insert(p)
                current = p
            }
        }
        children = Array(repeating: [], count: units.count)
        var roots: [Int] = []
        for i in units.indices {
            if let p = parent[i] { children[p].append(i) } else { roots.append(i) }
        }
        let byLevelThenCode: (Int, Int) -> Bool = { [units] a, b in
            units[a].level != units[b].level
                ? units[a].level < units[b].level
                : naturalOrder(units[a].code, units[b].code)
        }
        roots.sort(by: byLevelThenCode)
        for i in children.indices { children[i].sort(by: byLevelThenCode) }
        depth = Array(repeating: 0, count: units.count)
        var stack = roots.reversed().map { ($0, 0) }
        while let (unit, d) = stack.popLast() {
            preorder.append(unit)
            depth[unit] = d
            for child in children[unit].reversed() { stack.append((child, d + 1)) }
        }
    }

    /// Marks `root` and every unit below it.
    func subtree(of root: Int) -> [Bool] {
        var inside = Array(repeating: false, count: units.count)
        var stack = [root]
        while let u = stack.popLast() {
            inside[u] = true
            stack.append(contentsOf: children[u])
        }
        return inside
    }
}

/// Orders codes as people read them: `X2` before `X10` (runs of digits compare by value).
func naturalOrder(_ a: String, _ b: String) -> Bool {
    var i = a.unicodeScalars.makeIterator(), j = b.unicodeScalars.makeIterator()
    var x = i.next(), y = j.next()
    while let cx = x, let cy = y {
        if cx.properties.numericType == .decimal, cy.properties.numericType == .decimal,
            cx.value < 0x80, cy.value < 0x80
        {
            var na = "", nb = ""
            while let c = x, c.value < 0x80, c.properties.numericType == .decimal {
                na.unicodeScalars.append(c); x = i.next()
            }
            while let c = y, c.value < 0x80, c.properties.numericType == .decimal {
                nb.unicodeScalars.append(c); y = j.next()
            }
            let ta = na.drop { $0 == "0" }, tb = nb.drop { $0 == "0" }
            if ta.count != tb.count { return ta.count < tb.count }
            if ta != tb { return ta < tb }
            if na.count != nb.count { return na.count < nb.count }
            continue
        }
        if cx != cy { return cx.value < cy.value }
        x = i.next(); y = j.next()
    }
    return x == nil && y != nil
}
