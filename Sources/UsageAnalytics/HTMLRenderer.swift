/// One self-contained HTML page: inline CSS and SVG, no scripts, no external resources. The markup
/// is also well-formed XML (XHTML syntax), so it can be checked with any XML parser. Responsive on a
/// phone (tables scroll sideways, charts scale) and laid out for A4 when printed.
enum HTMLRenderer {
    static let style = """
        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bar: #2f6feb; --below: #d1242f; --target: #bf8700; }
        * { box-sizing: border-box; }
        body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
               max-width: 1100px; padding: 16px; line-height: 1.45; font-size: 15px; }
        h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
        .meta { color: var(--muted); margin: 0 0 12px; }
        .headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; flex: 1 1 150px; }
        .card .big { font-size: 1.8em; font-weight: 600; } .card .small { color: var(--muted); font-size: 0.9em; }
        .table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
        th { background: #f6f8fa; vertical-align: bottom; white-space: normal; }
        th:first-child, td:first-child, td.text { text-align: left; }
        td.name { white-space: normal; min-width: 12em; }
        tr.below td { background: #fff1f0; } .flag { color: var(--below); font-weight: 600; }
        .d1 { padding-left: 1.2em; } .d2 { padding-left: 2.4em; } .d3 { padding-left: 3.6em; } .d4 { padding-left: 4.8em; }
        ul.defs { padding-left: 1.2em; color: var(--muted); font-size: 0.92em; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
        .chart-wrap { overflow-x: auto; } svg.bars { max-width: 520px; }
        svg.bars .label { font-size: 15px; } svg.bars .value { font-size: 12px; } svg.trend { min-width: 480px; }
        svg .bar { fill: var(--bar); } svg .bar.below { fill: var(--below); }
        svg .target { stroke: var(--target); stroke-width: 2; stroke-dasharray: 6 4; }
        svg .target-label { fill: var(--target); font-size: 11px; }
        svg .grid { stroke: var(--line); stroke-width: 1; } svg .axis, svg .value { fill: var(--muted); font-size: 11px; }
        svg .label { fill: var(--ink); } svg .line { fill: none; stroke: var(--bar); stroke-width: 3; }
        svg .point { fill: var(--bar); }
        @media (max-width: 600px) { body { padding: 8px; font-size: 14px; } .card .big { font-size: 1.4em; } }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          .table-wrap, .chart-wrap { overflow: visible; } svg.trend { min-width: 0; } th, td { white-space: normal; padding: 2px 4px; }
          tr, .card, svg.trend { page-break-inside: avoid; break-inside: avoid; }
          h2 { page-break-after: avoid; break-after: avoid; }
          tr.below td { background: none; } .flag { color: #000; }
        }
        """

    static func page(lang: ReportLanguage, title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="\(lang.rawValue)" xml:lang="\(lang.rawValue)">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(htmlEscape(title))</title>
        <style>
        \(style)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static func monthly(_ r: MonthlyReport, _ l: ReportLabels) -> String {
        let e = htmlEscape
        let scope = r.scopeUnitName.map { "\($0) (\(r.scopeUnitCode ?? ""))" } ?? l.wholeOrganisation
        let o = r.organisation
        var b =
            "<h1>\(e(l.title))</h1>\n<p class=\"meta\">\(e(l.monthTitle(r.month))) · \(e(l.scope)): \(e(scope))</p>\n"
        b += "<div class=\"headline\">"
        b += card(
            l.shareLong, l.percent(o.share),
            "\(l.change(o.shareChange)) \(l.percentagePoints) \(l.comparedWithPrevious)")
        b += card(l.staff, l.count(o.staff), "\(l.active): \(l.count(o.active))")
        b += card(l.usedOnce, l.count(o.usedAtLeastOnce), "\(l.notUsed): \(l.count(o.notUsed))")
        b += card(l.sentPerActive, l.decimal(o.messagesSentPerActive), "\(l.signedShare): \(l.percent(o.signedShare))")
        b += "</div>\n"

        b += "<h2>\(e(l.belowTarget)) (&lt; \(e(l.percent(r.settings.targetShare))))</h2>\n"
        let below = r.units.filter { $0.own.belowTarget }
        if below.isEmpty {
            b += "<p>\(e(l.noneBelowTarget))</p>\n"
        } else {
            b +=
                "<ul>"
                + below.map { "<li class=\"flag\">\(e($0.name)) (\(e($0.code))): \(e(l.percent($0.own.share)))</li>" }
                .joined() + "</ul>\n"
        }

        b += "<h2>\(e(l.shareByUnitChart))</h2>\n"
        b +=
            "<div class=\"chart-wrap\">"
            + SVGCharts.shareBars(
                r.units.map {
                    .init(
                        label: $0.name,
                        share: $0.rolledUp.share, belowTarget: $0.rolledUp.belowTarget)
                },
                target: r.settings.targetShare, title: l.shareByUnitChart, targetLabel: l.targetLine,
                percent: l.percent) + "</div>\n"

        b += "<h2>\(e(l.byUnit))</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>"
        for h in [
            l.unit, l.level, l.staff, l.active, l.share, l.changeWithUnit, l.sentPerActive,
            l.signedShare, l.rolledUpStaff, l.rolledUpShare,
        ] { b += "<th>\(e(h))</th>" }
        b += "</tr></thead>\n<tbody>\n"
        for row in r.units {
            b +=
                "<tr\(row.own.belowTarget ? " class=\"below\"" : "")><td class=\"name d\(min(row.depth, 4))\">\(e(row.name))"
            b += " <small>(\(e(row.code)))</small>\(row.own.belowTarget ? " <span class=\"flag\">▼</span>" : "")</td>"
            b += "<td class=\"text\">\(e(l.level(row.level)))</td>"
            for cell in [
                l.count(row.own.staff), l.count(row.own.active), l.percent(row.own.share),
                l.change(row.own.shareChange),
                l.decimal(row.own.messagesSentPerActive), l.percent(row.own.signedShare),
                l.count(row.rolledUp.staff), l.percent(row.rolledUp.share),
            ] { b += "<td>\(e(cell))</td>" }
            b += "</tr>\n"
        }
        b += "</tbody></table></div>\n"
        if r.unpublishedUnitCount > 0 {
            b += "<p class=\"meta\">\(e(l.unpublished(r.unpublishedUnitCount, r.settings.minimumUnitSize)))</p>\n"
        }

        b += "<h2>\(e(l.byLevel))</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>"
        for h in [
            l.level, l.staff, l.active, l.usedOnce, l.notUsed, l.share, l.changeWithUnit,
            l.sentPerActive, l.signedShare,
        ] { b += "<th>\(e(h))</th>" }
        b += "</tr></thead>\n<tbody>\n"
        for row in r.levels {
            let f = row.figures
            b += "<tr\(f.belowTarget ? " class=\"below\"" : "")><td>\(e(l.level(row.level)))</td>"
            for cell in [
                l.count(f.staff), l.count(f.active), l.count(f.usedAtLeastOnce), l.count(f.notUsed),
                l.percent(f.share), l.change(f.shareChange), l.decimal(f.messagesSentPerActive),
                l.percent(f.signedShare),
            ] { b += "<td>\(e(cell))</td>" }
            b += "</tr>\n"
        }
        b += "</tbody></table></div>\n"

        b += "<h2>\(e(l.trend))</h2>\n"
        b +=
            "<div class=\"chart-wrap\">"
            + SVGCharts.trendLine(
                r.trend.map { (l.monthShort($0.month), $0.share) }, target: r.settings.targetShare,
                title: l.trend, targetLabel: l.targetLine, percent: l.percent) + "</div>\n"
        b += "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for h in [l.month, l.staff, l.active, l.share] { b += "<th>\(e(h))</th>" }
        b += "</tr></thead>\n<tbody>\n"
        for p in r.trend {
            b +=
                "<tr><td>\(e(l.monthShort(p.month)))</td><td>\(e(l.count(p.staff)))</td><td>\(e(l.count(p.active)))</td><td>\(e(l.percent(p.share)))</td></tr>\n"
        }
        b += "</tbody></table></div>\n"

        b += "<h2>\(e(l.clients))</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>"
        for h in [l.client, l.accounts, l.sessions] { b += "<th>\(e(h))</th>" }
        b += "</tr></thead>\n<tbody>\n"
        for c in r.clients {
            b +=
                "<tr><td>\(e(c.client ?? l.otherClients))</td><td>\(e(l.count(c.accounts)))</td><td>\(e(l.count(c.sessions)))</td></tr>\n"
        }
        b += "</tbody></table></div>\n"

        b += "<h2>\(e(l.definitions))</h2>\n<ul class=\"defs\">"
        for d in TextRenderer.definitionLines(r.settings, l) { b += "<li>\(e(d))</li>" }
        b += "</ul>"
        return page(lang: l.language, title: "\(l.title) — \(l.monthTitle(r.month))", body: b)
    }

    static func inactive(_ r: InactiveAccountsReport, _ l: ReportLabels) -> String {
        let e = htmlEscape
        let scope = r.scopeUnitName.map { "\($0) (\(r.scopeUnitCode ?? ""))" } ?? l.wholeOrganisation
        var b =
            "<h1>\(e(l.inactiveTitle))</h1>\n<p class=\"meta\">\(e(l.monthTitle(r.month))) · \(e(l.scope)): \(e(scope))</p>\n"
        b +=
            "<p><strong>\(e(l.inactiveNotice))</strong></p>\n<p>\(e(l.inactiveSummary(r.accounts.count, r.staff)))</p>\n"
        b += "<p class=\"meta\">\(e(l.definitionActive(r.settings.activeMinDays)))</p>\n"
        b += "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for h in [l.address, l.displayName, l.unit, l.daysUsed] { b += "<th>\(e(h))</th>" }
        b += "</tr></thead>\n<tbody>\n"
        for a in r.accounts {
            b +=
                "<tr><td>\(e(a.address))</td><td class=\"text\">\(e(a.displayName))</td><td class=\"text\">\(e(a.unitName)) (\(e(a.unitCode)))</td><td>\(a.daysUsed)</td></tr>\n"
        }
        b += "</tbody></table></div>"
        return page(lang: l.language, title: "\(l.inactiveTitle) — \(l.monthTitle(r.month))", body: b)
    }

    private static func card(_ title: String, _ big: String, _ small: String) -> String {
        "<div class=\"card\"><div class=\"small\">\(htmlEscape(title))</div><div class=\"big\">\(htmlEscape(big))</div><div class=\"small\">\(htmlEscape(small))</div></div>"
    }
}
