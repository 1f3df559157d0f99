/// Plain-text reports for a terminal or an e-mail body.
enum TextRenderer {
    static func monthly(_ r: MonthlyReport, _ l: ReportLabels) -> String {
        var out = "\(l.title.uppercased()) — \(l.monthTitle(r.month))\(r.period.partial ? " (\(l.partialMark))" : "")\n"
        out +=
            "\(l.scope): \(r.scopeUnitName.map { terminalSafe($0) + " (\(terminalSafe(r.scopeUnitCode ?? "")))" } ?? l.wholeOrganisation)\n"
        for line in headerLines(r, l) { out += line + "\n" }
        out += "\n"
        let o = r.organisation
        out +=
            "\(l.shareLong): \(l.percent(o.share)) (\(l.change(o.shareChange)) \(l.percentagePoints) \(l.comparedWithPrevious))\n"
        out +=
            "\(l.staff): \(l.count(o.staff)) · \(l.active): \(l.count(o.active)) · \(l.usedOnce): \(l.count(o.usedAtLeastOnce)) · \(l.notUsed): \(l.count(o.notUsed))\n"
        out +=
            "\(l.messagesSent): \(l.count(o.messagesSent)) · \(l.sentPerActive): \(l.decimal(o.messagesSentPerActive)) · \(l.signedShare): \(l.percent(o.signedShare)) · \(l.signedVerifiedShare): \(l.percent(o.signedVerifiedShare))\n\n"

        out += "\(l.definitions)\n"
        for line in definitionLines(r.settings, l) { out += "- \(line)\n" }

        out += "\n\(l.byUnit)\n"
        var units = TextTable(
            headers: [
                l.unit, l.code, l.level, l.staff, l.active, l.ownShare, l.changeWithUnit, l.neededForTarget,
                l.sentPerActive, l.signedShare, l.signedVerifiedShare, l.rolledUpStaff, l.rolledUpShare, "",
            ],
            alignments: [.left, .left, .left] + Array(repeating: .right, count: 10) + [.left])
        for row in r.units {
            units.rows.append([
                String(repeating: "  ", count: row.depth) + terminalSafe(row.name), terminalSafe(row.code),
                l.level(row.level), l.count(row.own.staff), l.count(row.own.active),
                l.percent(row.own.share), l.change(row.own.shareChange), l.count(row.own.activeNeededForTarget),
                l.decimal(row.own.messagesSentPerActive), l.percent(row.own.signedShare),
                l.percent(row.own.signedVerifiedShare), l.count(row.rolledUp.staff), l.percent(row.rolledUp.share),
                row.own.belowTarget ? "▼ " + l.belowTargetMark : "",
            ])
        }
        out += units.render()
        if r.unpublishedUnitCount > 0 {
            out += l.unpublished(r.unpublishedUnitCount, r.settings.minimumUnitSize) + "\n"
        }

        out += "\n\(l.byLevel)\n"
        var levels = TextTable(
            headers: [
                l.level, l.staff, l.active, l.usedOnce, l.notUsed, l.share, l.changeWithUnit,
                l.sentPerActive, l.signedShare, l.signedVerifiedShare,
            ],
            alignments: [.left] + Array(repeating: .right, count: 9))
        for row in r.levels {
            let f = row.figures
            levels.rows.append([
                l.level(row.level), l.count(f.staff), l.count(f.active), l.count(f.usedAtLeastOnce),
                l.count(f.notUsed), l.percent(f.share), l.change(f.shareChange),
                l.decimal(f.messagesSentPerActive), l.percent(f.signedShare), l.percent(f.signedVerifiedShare),
            ])
        }
        out += levels.render()

        out += "\n\(l.trend)\n"
        var trend = TextTable(
            headers: [l.month, l.staff, l.active, l.share, ""],
            alignments: [.left, .right, .right, .right, .left])
        for p in r.trend {
            let bar = p.share.map { String(repeating: "█", count: Int(($0 * 40).rounded())) } ?? ""
            trend.rows.append([
                l.monthShort(p.month), l.count(p.staff), l.count(p.active), l.percent(p.share),
                p.suppressed == true ? l.suppressed : bar,
            ])
        }
        out += trend.render()

        out += "\n\(l.belowTarget) (< \(l.percent(r.settings.targetShare)), \(l.ownShareNote))\n"
        let below = r.units.filter { $0.own.belowTarget }
        if below.isEmpty { out += l.noneBelowTarget + "\n" }
        for row in below {
            out +=
                "- \(terminalSafe(row.name)) (\(terminalSafe(row.code))): \(l.percent(row.own.share)), \(l.needed(row.own.activeNeededForTarget))\n"
        }

        out += leadershipTables(r, l).map { "\n\($0.title)\n" + $0.table.render() }.joined()

        out += "\n\(l.clients)\n"
        var clients = TextTable(headers: [l.client, l.accounts, l.sessions], alignments: [.left, .right, .right])
        for c in r.clients {
            clients.rows.append([
                c.client.map(terminalSafe) ?? l.otherClients, l.count(c.accounts), l.count(c.sessions),
            ])
        }
        out += clients.render()
        return out
    }

    static func inactive(_ r: InactiveAccountsReport, _ l: ReportLabels) -> String {
        var out = "\(l.inactiveTitle.uppercased()) — \(l.monthTitle(r.month))\n"
        out +=
            "\(l.scope): \(r.scopeUnitName.map { terminalSafe($0) + " (\(terminalSafe(r.scopeUnitCode ?? "")))" } ?? l.wholeOrganisation)\n"
        out += l.inactiveNotice + "\n"
        out += l.inactiveSummary(r.accounts.count, r.staff) + "\n"
        out += l.followUp(r.accounts.filter { $0.status == .enabled }.count) + "\n"
        out += l.definitionActive(r.settings.activeMinDays) + "\n\n"
        var table = TextTable(
            headers: [l.address, l.displayName, l.unit, l.code, l.currentStatus, l.daysUsed],
            alignments: [.left, .left, .left, .left, .left, .right])
        for a in r.accounts {
            table.rows.append([
                terminalSafe(a.address), terminalSafe(a.displayName), terminalSafe(a.unitName),
                terminalSafe(a.unitCode), l.status(a.status), String(a.daysUsed),
            ])
        }
        out += table.render()
        return out
    }

    /// The rankings and the per-unit trend, shared by the text and HTML renderers: (title, table).
    static func leadershipTables(_ r: MonthlyReport, _ l: ReportLabels) -> [(title: String, table: TextTable)] {
        let byCode = Dictionary(uniqueKeysWithValues: r.units.map { ($0.code, $0) })
        var share = TextTable(
            headers: [l.rank, l.unit, l.ownShare, l.changeWithUnit, l.neededForTarget],
            alignments: [.right, .left, .right, .right, .right])
        for (i, code) in r.ranking.byShare.enumerated() {
            guard let row = byCode[code] else { continue }
            share.rows.append([
                String(i + 1), terminalSafe(row.name), l.percent(row.own.share), l.change(row.own.shareChange),
                l.count(row.own.activeNeededForTarget),
            ])
        }
        var change = TextTable(
            headers: [l.rank, l.unit, l.changeWithUnit, l.ownShare], alignments: [.right, .left, .right, .right])
        for (i, code) in r.ranking.byChange.enumerated() {
            guard let row = byCode[code] else { continue }
            change.rows.append([
                String(i + 1), terminalSafe(row.name), l.change(row.own.shareChange), l.percent(row.own.share),
            ])
        }
        var trends = TextTable(
            headers: [l.unit] + r.trend.map { l.monthShort($0.month) },
            alignments: [.left] + Array(repeating: .right, count: r.trend.count))
        for row in r.units {
            trends.rows.append(
                [String(repeating: "  ", count: row.depth) + terminalSafe(row.name)]
                    + row.trend.map { $0.suppressed == true ? "·" : l.percent($0.share) })
        }
        return [(l.rankingByShare, share), (l.rankingByChange, change), (l.unitTrends, trends)]
    }

    static func definitionLines(_ s: ReportSettings, _ l: ReportLabels) -> [String] {
        [
            l.definitionStaff, l.definitionActive(s.activeMinDays), l.definitionShare(l.percent(s.targetShare)),
            l.definitionOwnShare, l.definitionAttribution, l.definitionMessages,
            l.definitionPrivacy(s.minimumUnitSize), l.definitionTimeZone(s.timeZone),
        ]
    }

    /// What every format prints at the top: the partial-month warning, the period, the generation
    /// time and the definition of active (the full definitions follow in each format).
    static func headerLines(_ r: MonthlyReport, _ l: ReportLabels) -> [String] {
        var lines: [String] = []
        if r.period.partial { lines.append("⚠ " + l.partialNotice(r.period)) }
        lines.append("\(l.period): \(l.periodRange(r.period))")
        if let at = r.generatedAt { lines.append("\(l.generatedAt): \(at) (\(r.settings.timeZone))") }
        lines.append(l.definitionActive(r.settings.activeMinDays))
        return lines
    }
}
