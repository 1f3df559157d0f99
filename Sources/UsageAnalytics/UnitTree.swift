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
            (units[a].level, units[a].code) < (units[b].level, units[b].code)
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
