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
    public static func monthly(
        from dataset: any UsageDataset, month: ReportMonth, settings: ReportSettings = .init(),
        unitCode: String? = nil
    ) throws -> MonthlyReport {
        let input = try AnalyticsInput(dataset: dataset, settings: settings, unitCode: unitCode)
        let tree = input.tree
        let current = try input.facts(for: month, withClients: true)
        let previous = try input.facts(for: month.previous)
        let own = input.perUnit(current), ownBefore = input.perUnit(previous)
        let rolled = input.rolledUp(own), rolledBefore = input.rolledUp(ownBefore)

        // Publication: a unit with fewer staff (itself and sub-units) than the minimum is merged into
        // its nearest published ancestor; a too-small top unit of the scope appears only in totals.
        var target = Array(repeating: -1, count: tree.units.count)
        for u in tree.preorder where input.inScope[u] {
            if rolled[u].staff >= settings.minimumUnitSize {
                target[u] = u
            } else if u != input.scopeRoot, let p = tree.parent[u] {
                target[u] = target[p]
            }
        }
        var rowOwn = Array(repeating: Counters(), count: tree.units.count)
        var rowOwnBefore = rowOwn
        var merged = Array(repeating: [String](), count: tree.units.count)
        for u in tree.preorder where input.inScope[u] && target[u] >= 0 {
            rowOwn[target[u]] += own[u]
            rowOwnBefore[target[u]] += ownBefore[u]
            if target[u] != u { merged[target[u]].append(tree.units[u].code) }
        }
        let figures = { (now: Counters, before: Counters) in Self.figures(now, before, settings) }
        let baseDepth = input.scopeRoot.map { tree.depth[$0] } ?? 0
        var rows: [UnitRow] = []
        var unpublished = 0
        for u in tree.preorder where input.inScope[u] {
            guard target[u] == u else { unpublished += 1; continue }
            let unit = tree.units[u]
            let parent = u == input.scopeRoot ? nil : tree.parent[u].map { tree.units[$0].code }
            rows.append(
                UnitRow(
                    code: unit.code, name: unit.name, level: unit.level, parentCode: parent,
                    depth: tree.depth[u] - baseDepth, mergedUnits: merged[u],
                    own: figures(rowOwn[u], rowOwnBefore[u]),
                    rolledUp: figures(rolled[u], rolledBefore[u])))
        }

        var levels: [UnitLevel: (Counters, Counters)] = [:]
        var total = Counters(), totalBefore = Counters()
        for u in tree.units.indices where input.inScope[u] {
            levels[tree.units[u].level, default: (Counters(), Counters())].0 += own[u]
            levels[tree.units[u].level, default: (Counters(), Counters())].1 += ownBefore[u]
            total += own[u]
            totalBefore += ownBefore[u]
        }
        let levelRows = UnitLevel.allCases.compactMap { level -> LevelRow? in
            guard let (now, before) = levels[level], now.staff >= settings.minimumUnitSize else { return nil }
            return LevelRow(level: level, figures: figures(now, before))
        }

        var trend: [TrendPoint] = []
        for m in month.trailing(trendLength) {
            let counters: Counters
            switch m {
            case month: counters = total
            case month.previous: counters = totalBefore
            default: counters = input.perUnit(try input.facts(for: m)).reduce(into: Counters()) { $0 += $1 }
            }
            trend.append(
                TrendPoint(
                    month: m, staff: counters.staff, active: counters.active,
                    share: share(counters)))
        }

        return MonthlyReport(
            month: month, previousMonth: month.previous, settings: settings,
            scopeUnitCode: input.scopeRoot.map { tree.units[$0].code },
            scopeUnitName: input.scopeRoot.map { tree.units[$0].name },
            organisation: figures(total, totalBefore), units: rows, levels: levelRows, trend: trend,
            clients: clientRows(current.clients, minimum: settings.minimumUnitSize),
            unitsBelowTarget: rows.filter { $0.own.belowTarget }.map(\.code),
            unpublishedUnitCount: unpublished)
    }

    /// The per-person list of staff accounts that were not active in `month`, for unit administrators.
    public static func inactive(
        from dataset: any UsageDataset, month: ReportMonth, settings: ReportSettings = .init(),
        unitCode: String? = nil
    ) throws -> InactiveAccountsReport {
        let input = try AnalyticsInput(dataset: dataset, settings: settings, unitCode: unitCode)
        let facts = try input.facts(for: month)
        var staff = 0
        var rows: [InactiveAccount] = []
        for (id, slot) in input.slotByAccount {
            let u = facts.unit[slot]
            guard u >= 0 else { continue }
            staff += 1
            let days = facts.daysUsed[slot]
            guard days < settings.activeMinDays else { continue }
            let identity = input.identities[id]
            rows.append(
                InactiveAccount(
                    address: identity?.address.description ?? "account #\(id)",
                    displayName: identity?.displayName ?? "",
                    unitCode: input.tree.units[u].code, unitName: input.tree.units[u].name,
                    daysUsed: days))
        }
        rows.sort { ($0.unitCode, $0.address.lowercased()) < ($1.unitCode, $1.address.lowercased()) }
        return InactiveAccountsReport(
            month: month, settings: settings,
            scopeUnitCode: input.scopeRoot.map { input.tree.units[$0].code },
            scopeUnitName: input.scopeRoot.map { input.tree.units[$0].name },
            staff: staff, accounts: rows)
    }

    static func share(_ c: Counters) -> Double? { c.staff > 0 ? Double(c.active) / Double(c.staff) : nil }

    static func figures(_ now: Counters, _ before: Counters, _ settings: ReportSettings) -> UsageFigures {
        let s = share(now), b = share(before)
        return UsageFigures(
            staff: now.staff, active: now.active, usedAtLeastOnce: now.used, notUsed: now.staff - now.used,
            share: s, shareChange: s.flatMap { s in b.map { s - $0 } },
            messagesSent: now.sent, messagesSigned: now.signed, sentInternalRecipients: now.sentInternal,
            sentExternalRecipients: now.sentExternal, messagesReceived: now.received,
            messagesSentPerActive: now.active > 0 ? Double(now.sent) / Double(now.active) : nil,
            signedShare: now.sent > 0 ? Double(now.signed) / Double(now.sent) : nil,
            belowTarget: s.map { $0 < settings.targetShare } ?? false)
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
