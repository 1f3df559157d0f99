import MailCore

/// Entry points of the usage report: pure functions of a dataset, a month and the settings.
///
/// ```swift
/// let report = try UsageReports.monthly(from: dataset, month: try ReportMonth("2026-10"), settings: .init())
/// let bytes = try ReportRenderer.render(report, format: .html, language: .vi)
/// ```
public enum UsageReports {
    /// Months in the trend, ending with the report month.
    public static let trendLength = 12

    /// The published monthly report (aggregates only) for the organisation or one unit's subtree.
    /// `generatedAt` (seconds since the epoch) stamps the report and decides whether the month is
    /// partial; nil leaves both out (for comparisons of the figures alone).
    public static func monthly(
        from dataset: any UsageDataset, month: ReportMonth, settings: ReportSettings = .init(),
        unitCode: String? = nil, generatedAt: Double? = nil
    ) throws -> MonthlyReport {
        let input = try AnalyticsInput(dataset: dataset, settings: settings)
        let minimum = settings.minimumUnitSize
        let now = try MonthView(input, month)
        let tree = now.tree
        let scopeRoot = try now.scope(unitCode, published: true)
        let inScope = scopeRoot.map { tree.subtree(of: $0) } ?? Array(repeating: true, count: tree.units.count)

        // The previous month in this month's structure: its staff per unit code, a merged unit's
        // staff counted in the unit it was merged into, so a change compares the same people's units.
        let before = try MonthView(input, month.previous)
        var ownBefore = Array(repeating: Counters(), count: tree.units.count)
        for u in before.tree.units.indices {
            guard let i = now.structure.index(of: before.tree.units[u].code) else { continue }
            ownBefore[i] += before.own[u]
        }
        let rolledBefore = AnalyticsInput.rolledUp(ownBefore, tree)

        let figures = { (now: Counters, before: Counters) in Self.figures(now, before, settings) }
        var groupNow = Array(repeating: Counters(), count: tree.units.count)
        var groupBefore = groupNow
        var merged = Array(repeating: [String](), count: tree.units.count)
        for u in tree.preorder where inScope[u] && now.present[u] {
            guard let g = now.plan.group[u] else { continue }
            groupNow[g] += now.own[u]
            groupBefore[g] += ownBefore[u]
            if g != u { merged[g].append(tree.units[u].code) }
        }
        let baseDepth = scopeRoot.map { tree.depth[$0] } ?? 0
        var rows: [UnitRow] = []
        var unpublished = 0
        var levels: [UnitLevel: (Counters, Counters)] = [:]
        var levelsWithSmallPast = Set<UnitLevel>()
        for u in tree.preorder where inScope[u] && now.present[u] {
            guard now.plan.published[u] else { unpublished += 1; continue }
            let unit = tree.units[u]
            let publishedBefore = before.total(of: unit.code) != nil
            let parent = u == scopeRoot ? nil : tree.parent[u].map { tree.units[$0].code }
            rows.append(
                UnitRow(
                    code: unit.code, name: unit.name, level: unit.level, parentCode: parent,
                    depth: tree.depth[u] - baseDepth, mergedUnits: merged[u],
                    // A change only where last month's report published the unit too (a unit hidden
                    // last month, even as a complement, must not reveal that month through a change).
                    own: figures(groupNow[u], publishedBefore ? groupBefore[u] : Counters()),
                    rolledUp: figures(now.rolled[u], publishedBefore ? rolledBefore[u] : Counters())))
            // A level sums whole publication groups: merged staff count at the level of their row.
            levels[unit.level, default: (Counters(), Counters())].0 += groupNow[u]
            levels[unit.level, default: (Counters(), Counters())].1 += groupBefore[u]
            if groupBefore[u].staff > 0,
                !publishedBefore || !PublicationPlan.mayShow(staff: groupBefore[u].staff, minimum: minimum)
            {
                levelsWithSmallPast.insert(unit.level)
            }
        }
        // A level's change only when each of its groups was published last month with enough staff.
        let levelRows = UnitLevel.allCases.compactMap { level -> LevelRow? in
            guard let (n, b) = levels[level], n.staff > 0, n.staff >= minimum else { return nil }
            return LevelRow(level: level, figures: figures(n, levelsWithSmallPast.contains(level) ? Counters() : b))
        }

        let total: Counters, totalBefore: Counters
        if let root = scopeRoot {
            // As for a row: the scope's change only if last month's report published the scope.
            let publishedBefore = before.total(of: tree.units[root].code) != nil
            (total, totalBefore) = (now.rolled[root], publishedBefore ? rolledBefore[root] : Counters())
        } else {
            total = now.own.reduce(into: Counters()) { $0 += $1 }
            totalBefore = before.own.reduce(into: Counters()) { $0 += $1 }
        }

        // Each month of the trend is published as that month's own report would publish it: the
        // scope's total only when the scope was a published unit in that month's structure.
        // The same holds for each unit's own trend (its rolled-up figures, month by month).
        let views = try month.trailing(trendLength).map { m in
            m == month ? now : m == month.previous ? before : try MonthView(input, m)
        }
        func point(_ view: MonthView, _ counters: Counters?) -> TrendPoint {
            TrendPoint(
                month: view.month, staff: counters?.staff, active: counters?.active,
                share: counters.flatMap(share), suppressed: counters == nil ? true : nil)
        }
        let trend = views.map { point($0, $0.month == month ? total : $0.total(of: unitCode)) }
        for i in rows.indices {
            rows[i].trend = views.map { point($0, $0.total(of: rows[i].code)) }
        }

        let clients = try input.clients(for: month, now.facts, inScope: inScope)
        return MonthlyReport(
            month: month, previousMonth: month.previous, settings: settings,
            generatedAt: generatedAt.map { ReportClock.timestamp($0, input.timeZone) },
            period: ReportPeriod(month: month, generatedAt: generatedAt, timeZone: input.timeZone),
            scopeUnitCode: scopeRoot.map { tree.units[$0].code },
            scopeUnitName: scopeRoot.map { tree.units[$0].name },
            organisation: figures(total, totalBefore), units: rows, levels: levelRows, trend: trend,
            clients: clientRows(clients, minimum: minimum),
            unitsBelowTarget: rows.filter { $0.own.belowTarget }.map(\.code),
            ranking: Ranking(rows), unpublishedUnitCount: unpublished)
    }

    /// The per-person list of staff accounts that were not active in `month`, for unit administrators.
    /// Not published, so the privacy floor does not apply; the month's own unit structure does.
    public static func inactive(
        from dataset: any UsageDataset, month: ReportMonth, settings: ReportSettings = .init(),
        unitCode: String? = nil
    ) throws -> InactiveAccountsReport {
        let input = try AnalyticsInput(dataset: dataset, settings: settings)
        let view = try MonthView(input, month)
        let tree = view.tree
        let root = try view.scope(unitCode, published: false)
        let inScope = root.map { tree.subtree(of: $0) } ?? Array(repeating: true, count: tree.units.count)
        let facts = view.facts
        let status = input.history.currentStatus()
        var staff = 0
        var rows: [InactiveAccount] = []
        for (id, slot) in input.slotByAccount {
            let u = facts.unit[slot]
            guard u >= 0, inScope[u] else { continue }
            staff += 1
            let days = facts.daysUsed[slot]
            guard days < settings.activeMinDays else { continue }
            let identity = input.identities[id]
            rows.append(
                InactiveAccount(
                    address: identity?.address.description ?? "account #\(id)",
                    displayName: identity?.displayName ?? "",
                    unitCode: tree.units[u].code, unitName: tree.units[u].name,
                    daysUsed: days, status: status[id] ?? .enabled))
        }
        rows.sort { ($0.unitCode, $0.address.lowercased()) < ($1.unitCode, $1.address.lowercased()) }
        return InactiveAccountsReport(
            month: month, settings: settings,
            scopeUnitCode: root.map { tree.units[$0].code },
            scopeUnitName: root.map { tree.units[$0].name },
            staff: staff, accounts: rows)
    }

    static func share(_ c: Counters) -> Double? { c.staff > 0 ? Double(c.active) / Double(c.staff) : nil }

    static func figures(_ now: Counters, _ before: Counters, _ settings: ReportSettings) -> UsageFigures {
        let s = share(now), b = share(before)
        return UsageFigures(
            staff: now.staff, active: now.active, usedAtLeastOnce: now.used, notUsed: now.staff - now.used,
            share: s,
            // The previous month of a group below the floor is not shown, not even as a difference.
            shareChange: PublicationPlan.mayShow(staff: before.staff, minimum: settings.minimumUnitSize)
                ? s.flatMap { s in b.map { s - $0 } } : nil,
            messagesSent: now.sent, messagesSigned: now.signed, sentInternalRecipients: now.sentInternal,
            sentExternalRecipients: now.sentExternal, messagesReceived: now.received,
            messagesSentPerActive: now.active > 0 ? Double(now.sent) / Double(now.active) : nil,
            signedShare: now.sent > 0 ? Double(now.signed) / Double(now.sent) : nil,
            messagesSignedVerified: now.signedVerified,
            signedVerifiedShare: now.sent > 0 ? Double(now.signedVerified) / Double(now.sent) : nil,
            belowTarget: s.map { $0 < settings.targetShare } ?? false,
            activeNeededForTarget: activeNeeded(now, target: settings.targetShare))
    }

    /// How many more active staff would bring the share to the target (0 when it is reached).
    static func activeNeeded(_ c: Counters, target: Double) -> Int {
        guard c.staff > 0 else { return 0 }
        var needed = max(0, Int((target * Double(c.staff)).rounded(.up)) - c.active)
        // Guard against rounding: the smallest k with (active + k) / staff ≥ target.
        while needed > 0, Double(c.active + needed - 1) / Double(c.staff) >= target { needed -= 1 }
        while Double(c.active + needed) / Double(c.staff) < target { needed += 1 }
        return needed
    }

    /// Clients used by fewer staff than the minimum unit size are pooled as `nil` ("other") for privacy.
    static func clientRows(_ clients: [String: ClientUse], minimum: Int) -> [ClientRow] {
        var rows: [ClientRow] = []
        var otherAccounts = Set<Int>(), otherSessions = 0
        for (name, use) in clients {
            if use.accounts.count >= minimum {
                rows.append(ClientRow(client: name, accounts: use.accounts.count, sessions: use.sessions))
            } else {
                otherAccounts.formUnion(use.accounts)
                otherSessions += use.sessions
            }
        }
        rows.sort { ($1.accounts, $0.client ?? "") < ($0.accounts, $1.client ?? "") }
        if !otherAccounts.isEmpty {
            rows.append(ClientRow(client: nil, accounts: otherAccounts.count, sessions: otherSessions))
        }
        return rows
    }
}
