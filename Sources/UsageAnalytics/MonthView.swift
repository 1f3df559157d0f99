/// One month as every view of a report sees it: the month's unit structure, its staff per unit, and
/// the privacy plan that decides what may be published (`PublicationPlan`).
struct MonthView {
    let month: ReportMonth
    let structure: MonthStructure
    let facts: MonthFacts
    let own: [Counters]
    let rolled: [Counters]
    let plan: PublicationPlan
    let minimum: Int
    /// Units to list this month: those that existed at its end, and any other that has staff in it.
    let present: [Bool]
    var tree: UnitTree { structure.tree }

    init(_ input: AnalyticsInput, _ month: ReportMonth) throws {
        self.month = month
        structure = input.structure(for: month)
        facts = try input.facts(for: month, in: structure)
        own = input.perUnit(facts, unitCount: structure.tree.units.count)
        rolled = AnalyticsInput.rolledUp(own, structure.tree)
        minimum = input.settings.minimumUnitSize
        plan = PublicationPlan(tree: structure.tree, own: own, rolled: rolled, minimum: minimum)
        let (tree, rolled, absent) = (structure.tree, rolled, structure.absent)
        present = tree.units.indices.map { !absent.contains(tree.units[$0].code) || rolled[$0].staff > 0 }
    }

    /// The tree index of a `--unit` scope. A published report needs a unit published this month; a unit
    /// merged into another has no figures of its own after the merge.
    func scope(_ code: String?, published: Bool) throws -> Int? {
        guard let code else { return nil }
        guard let index = tree.indexByCode[code] else { throw ReportError.unknownUnit(code) }
        if let target = structure.countsIn[code] { throw ReportError.unitMerged(code, into: target, month) }
        if published, !plan.published[index] {
            throw ReportError.unitBelowFloor(code, minimum: minimum, month)
        }
        return index
    }

    /// What the scope's report of this month would publish as its totals; nil when the scope is not
    /// a published unit this month (it did not exist, was merged away or was below the floor).
    func total(of code: String?) -> Counters? {
        guard let code else { return own.reduce(into: Counters()) { $0 += $1 } }
        guard structure.countsIn[code] == nil, let i = tree.indexByCode[code], plan.published[i] else { return nil }
        return rolled[i]
    }
}
