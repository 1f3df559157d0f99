/// The small-unit privacy floor, defined once for every view of a month (unit rows, levels, totals,
/// change column, trend, charts, every format): what a published report may show.
///
/// Staff are split into *publication groups*: each published unit's group is its own staff plus the
/// staff of the small sub-units merged into it; the *pool* holds top-level units too small to show.
/// The invariant: every group and the pool has either no staff or at least `minimum` staff, and every
/// published figure is a sum of whole groups (a unit's own figures = its group; rolled up = the groups
/// of its subtree; a level = the groups of its units; the totals = all groups and the pool). So any
/// difference of published figures is again a sum of whole groups, and no unit below the floor can be
/// derived by subtraction. Where a group would be too small (a parent whose own staff are 1–4 while its
/// sub-units are published, or a pool of one small top-level unit) complementary units are merged in,
/// smallest first, until it is not.
struct PublicationPlan {
    /// Whether the unit is shown as a row of its own.
    let published: [Bool]
    /// The published unit whose own figures count this unit's staff; nil = the pool (totals only).
    let group: [Int?]

    init(tree: UnitTree, own: [Counters], rolled: [Counters], minimum: Int) {
        let n = tree.units.count
        var published = (0..<n).map { rolled[$0].staff >= minimum }
        func unpublish(subtreeOf root: Int) {
            var stack = [root]
            while let u = stack.popLast() {
                published[u] = false
                stack.append(contentsOf: tree.children[u])
            }
        }
        // A unit's rank among siblings when complementary units are chosen: smallest first, then tree order.
        var rank = Array(repeating: 0, count: n)
        for (i, u) in tree.preorder.enumerated() { rank[u] = i }
        let smallestFirst = { (a: Int, b: Int) in (rolled[a].staff, rank[a]) < (rolled[b].staff, rank[b]) }

        // Bottom-up, so a parent decides after its sub-units (children come after parents in preorder).
        for u in tree.preorder.reversed() where published[u] {
            var groupStaff = own[u].staff
            for c in tree.children[u] where !published[c] { groupStaff += rolled[c].staff }
            guard groupStaff > 0, groupStaff < minimum else { continue }
            for c in tree.children[u].filter({ published[$0] }).sorted(by: smallestFirst) {
                unpublish(subtreeOf: c)
                groupStaff += rolled[c].staff
                if groupStaff >= minimum { break }
            }
        }

        let roots = tree.preorder.filter { tree.parent[$0] == nil }
        var pool = roots.filter { !published[$0] }.reduce(0) { $0 + rolled[$1].staff }
        if pool > 0, pool < minimum {
            for r in roots.filter({ published[$0] }).sorted(by: smallestFirst) {
                unpublish(subtreeOf: r)
                pool += rolled[r].staff
                if pool >= minimum { break }
            }
        }

        var group = Array(repeating: Int?.none, count: n)
        for u in tree.preorder {
            group[u] = published[u] ? u : tree.parent[u].flatMap { group[$0] }
        }
        self.published = published
        self.group = group
    }

    /// Whether a figure of `staff` people computed the same way may be shown at all (used for the
    /// previous month of a change: a unit that became visible must not reveal its hidden past).
    static func mayShow(staff: Int, minimum: Int) -> Bool { staff >= minimum }
}
