import Foundation

/// One self-contained HTML page: inline CSS and SVG, no scripts, no external resources. The markup
/// is also well-formed XML (XHTML syntax), so it can be checked with any XML parser. Responsive on a
/// phone (wide tables become one card per row, charts scale to the width) and laid out for A4 when
/// printed (each main section on its own page, no row or chart cut in two).
enum HTMLRenderer {
    static let style = """
        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bar: #2f6feb; --below: #d1242f; --target-color: #9a6700;
                --track: #eef1f4; }
        * { box-sizing: border-box; }
        body { font-family: "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
               max-width: 1100px; padding: 16px; line-height: 1.45; font-size: 15px; }
        h1 { font-size: 1.5em; margin: 0 0 4px; } h2 { font-size: 1.2em; margin: 28px 0 8px; border-bottom: 1px solid var(--line); }
        .meta { color: var(--muted); margin: 0 0 12px; }
        .partial { border: 2px solid var(--below); color: var(--below); background: #fff1f0; font-weight: 600;
                   padding: 8px 12px; border-radius: 6px; }
        .headline { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
        .card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 150px; flex: 1 1 150px; }
        .card .big { font-size: 1.8em; font-weight: 600; } .card .small { color: var(--muted); font-size: 0.9em; }
        .table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
        th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; white-space: nowrap; }
        th { background: #f6f8fa; vertical-align: bottom; white-space: normal; }
        th:first-child, td:first-child, td.text { text-align: left; }
        td.name { white-space: normal; min-width: 12em; }
        td.name small { color: var(--muted); white-space: nowrap; }
        tr.below td { background: #fff1f0; } .flag { color: var(--below); font-weight: 600; }
        .d1 { padding-left: 1.2em; } .d2 { padding-left: 2.4em; } .d3 { padding-left: 3.6em; } .d4 { padding-left: 4.8em; }
        ul.defs { padding-left: 1.2em; color: var(--muted); font-size: 0.92em; }
        .bars { margin: 8px 0 4px; }
        .bars-head, .bar-row { display: grid; grid-template-columns: minmax(10em, 22em) minmax(0, 1fr) 4.5em; column-gap: 12px; }
        .bars-head .bar-track { grid-column: 2; height: 1.6em; }
        .bar-row { border-top: 1px solid #f0f2f4; }
        .bar-name { padding: 5px 0; align-self: center; overflow: hidden; text-overflow: ellipsis; display: -webkit-box;
                    -webkit-box-orient: vertical; -webkit-line-clamp: 2; line-clamp: 2; overflow-wrap: anywhere; }
        .bar-track { position: relative; display: flex; align-items: center; }
        .bar-row .bar-track { background: linear-gradient(var(--track), var(--track)) center / 100% 14px no-repeat; }
        .bar-track::after { content: ""; position: absolute; top: 0; bottom: 0; left: var(--target);
                            border-left: 2px dashed var(--target-color); }
        .bars-head .bar-track::after { top: 1.3em; }
        .target-label { position: absolute; top: 0; left: var(--target); color: var(--target-color); font-size: 0.85em;
                        font-weight: 600; white-space: nowrap; line-height: 1.3; }
        .target-label.middle { transform: translateX(-50%); } .target-label.end { transform: translateX(-100%); }
        svg.track { display: block; width: 100%; height: 14px; }
        .bar-value { align-self: center; text-align: right; font-variant-numeric: tabular-nums; }
        .bar-row.below .bar-value { color: var(--below); font-weight: 600; }
        svg.chart { width: 100%; height: auto; display: block; font-size: 12px; }
        .chart-wrap { overflow-x: auto; }
        svg .bar { fill: var(--bar); } svg .bar.below { fill: var(--below); }
        svg .target { stroke: var(--target-color); stroke-width: 2; stroke-dasharray: 6 4; }
        svg .target-label { fill: var(--target-color); font-size: 12px; }
        svg .grid { stroke: var(--line); stroke-width: 1; } svg .axis, svg .value { fill: var(--muted); font-size: 12px; }
        svg .label { fill: var(--ink); } svg .line { fill: none; stroke: var(--bar); stroke-width: 3; }
        svg .point { fill: var(--bar); }
        @media (max-width: 600px) {
          body { padding: 8px; font-size: 14px; } .card .big { font-size: 1.4em; } .card { min-width: 140px; }
          .bars-head, .bar-row { grid-template-columns: minmax(0, 1fr) 4em; column-gap: 8px; }
          .bars-head .bar-track { grid-column: 1; }
          .bar-name { grid-column: 1 / -1; padding: 6px 0 0; }
          .bar-row .bar-track { height: 22px; }
          svg.trend { min-width: 0; } svg.trend .axis, svg.trend .target-label { font-size: 22px; }
          svg.trend .alternate { display: none; }
          /* Wide tables become one card per row: the column name is printed next to each figure. */
          table.stack thead { display: none; }
          table.stack, table.stack tbody { display: block; width: 100%; }
          table.stack tr { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 14px;
                           border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 4px 8px; }
          table.stack td { display: flex; justify-content: space-between; align-items: baseline; gap: 6px; border: 0;
                           padding: 2px 0; white-space: normal; text-align: right; width: auto; }
          table.stack td::before { content: attr(data-label); color: var(--muted); text-align: left; font-size: 0.92em; }
          table.stack td:first-child { grid-column: 1 / -1; display: block; text-align: left; font-weight: 600;
                                       padding: 2px 0 4px; border-bottom: 1px solid var(--line); margin-bottom: 2px; }
          table.stack td.text { grid-column: 1 / -1; }  /* names and units get the whole width */
          table.stack td:first-child::before { content: none; }
          table.stack tr.below td { background: none; } table.stack tr.below { background: #fff1f0; }
        }
        @page { size: A4; margin: 12mm; }
        @media print {
          body { max-width: none; padding: 0; font-size: 9.5pt; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
          /* Sections flow on from one another (no forced page breaks, so no half-empty A4 pages);
             a heading stays with what follows, and no row, card or chart is cut in two. */
          h2 { margin-top: 14px; page-break-after: avoid; break-after: avoid; }
          .table-wrap, .chart-wrap { overflow: visible; } svg.trend { max-height: 80mm; }
          th, td { white-space: normal; padding: 2px 4px; } td.text { white-space: nowrap; }
          thead { display: table-header-group; }
          tr, .card, .bar-row, .bars-head, svg.trend, ul.defs li { page-break-inside: avoid; break-inside: avoid; }
          .headline { gap: 8px; } .card { padding: 6px 10px; }
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
            "<section>\n<h1>\(e(l.title))</h1>\n<p class=\"meta\">\(e(l.monthTitle(r.month))) · \(e(l.scope)): \(e(scope))</p>\n"
        if r.period.partial { b += "<p class=\"partial\" role=\"alert\">⚠ \(e(l.partialNotice(r.period)))</p>\n" }
        b += "<p class=\"meta\">\(e(l.period)): \(e(l.periodRange(r.period)))"
        if let at = r.generatedAt { b += " · \(e(l.generatedAt)): \(e(at)) (\(e(r.settings.timeZone)))" }
        b += "<br/>\(e(l.definitionActive(r.settings.activeMinDays)))</p>\n"
        b += "<div class=\"headline\">"
        b += card(
            l.shareLong, l.percent(o.share),
            "\(l.change(o.shareChange)) \(l.percentagePoints) \(l.comparedWithPrevious)")
        b += card(l.staff, l.count(o.staff), "\(l.active): \(l.count(o.active))")
        b += card(l.usedOnce, l.count(o.usedAtLeastOnce), "\(l.notUsed): \(l.count(o.notUsed))")
        b += card(
            l.sentPerActive, l.decimal(o.messagesSentPerActive),
            "\(l.signedShare): \(l.percent(o.signedShare)) · \(l.signedVerifiedShare): \(l.percent(o.signedVerifiedShare))"
        )
        b += "</div>\n"

        b += "<h2>\(e(l.belowTarget)) (&lt; \(e(l.percent(r.settings.targetShare))), \(e(l.ownShareNote)))</h2>\n"
        let below = r.units.filter { $0.own.belowTarget }
        if below.isEmpty {
            b += "<p>\(e(l.noneBelowTarget))</p>\n"
        } else {
            b +=
                "<ul>"
                + below.map {
                    "<li class=\"flag\">\(e($0.name)) (\(e($0.code))): \(e(l.percent($0.own.share))), \(e(l.needed($0.own.activeNeededForTarget)))</li>"
                }
                .joined() + "</ul>\n"
        }

        b += "<h2>\(e(l.shareByUnitChart))</h2>\n"
        b +=
            SVGCharts.shareBars(
                r.units.map {
                    .init(label: $0.name, share: $0.own.share, belowTarget: $0.own.belowTarget)
                },
                target: r.settings.targetShare, title: l.shareByUnitChart, targetLabel: l.targetLine,
                percent: l.percent) + "\n</section>\n"

        b += "<section>\n<h2>\(e(l.byUnit))</h2>\n"
        b += table(
            [
                l.unit, l.level, l.staff, l.active, l.ownShare, l.changeWithUnit, l.neededForTarget,
                l.sentPerActive, l.signedShare, l.signedVerifiedShare, l.rolledUpStaff, l.rolledUpShare,
            ],
            r.units.map { row in
                let name =
                    "<td class=\"name d\(min(row.depth, 4))\">\(e(row.name)) <small>(\(e(row.code)))</small>"
                    + "\(row.own.belowTarget ? " <span class=\"flag\">▼</span>" : "")</td>"
                return Row(
                    below: row.own.belowTarget, first: name,
                    cells: [
                        (l.level(row.level), "text"), (l.count(row.own.staff), nil), (l.count(row.own.active), nil),
                        (l.percent(row.own.share), nil), (l.change(row.own.shareChange), nil),
                        (l.count(row.own.activeNeededForTarget), nil), (l.decimal(row.own.messagesSentPerActive), nil),
                        (l.percent(row.own.signedShare), nil), (l.percent(row.own.signedVerifiedShare), nil),
                        (l.count(row.rolledUp.staff), nil), (l.percent(row.rolledUp.share), nil),
                    ])
            }, stacked: true)
        if r.unpublishedUnitCount > 0 {
            b += "<p class=\"meta\">\(e(l.unpublished(r.unpublishedUnitCount, r.settings.minimumUnitSize)))</p>\n"
        }
        b += "</section>\n"

        b += "<section>\n<h2>\(e(l.byLevel))</h2>\n"
        b += table(
            [
                l.level, l.staff, l.active, l.usedOnce, l.notUsed, l.share, l.changeWithUnit,
                l.sentPerActive, l.signedShare, l.signedVerifiedShare,
            ],
            r.levels.map { row in
                let f = row.figures
                return Row(
                    below: f.belowTarget, first: "<td>\(e(l.level(row.level)))</td>",
                    cells: [
                        l.count(f.staff), l.count(f.active), l.count(f.usedAtLeastOnce), l.count(f.notUsed),
                        l.percent(f.share), l.change(f.shareChange), l.decimal(f.messagesSentPerActive),
                        l.percent(f.signedShare), l.percent(f.signedVerifiedShare),
                    ].map { ($0, nil) })
            }, stacked: true)

        b += "<h2>\(e(l.trend))</h2>\n"
        b +=
            "<div class=\"chart-wrap\">"
            + SVGCharts.trendLine(
                r.trend.map { (l.monthShort($0.month), $0.share) }, target: r.settings.targetShare,
                title: l.trend, targetLabel: l.targetLine, percent: l.percent) + "</div>\n"
        b += table(
            [l.month, l.staff, l.active, l.share],
            r.trend.map { p in
                Row(
                    below: false, first: "<td>\(e(l.monthShort(p.month)))</td>",
                    cells: [
                        (l.count(p.staff), nil), (l.count(p.active), nil),
                        (p.suppressed == true ? l.suppressed : l.percent(p.share), nil),
                    ])
            }, stacked: false)
        b += "</section>\n<section>\n"

        // Rankings and the per-unit trend: the same tables as the text report.
        for (title, t) in TextRenderer.leadershipTables(r, l) {
            b += "<h2>\(e(title))</h2>\n"
            b += table(
                t.headers,
                t.rows.map { cells in
                    Row(
                        below: false, first: "<td>\(e(cells[0].trimmingCharacters(in: .whitespaces)))</td>",
                        // Names read left-aligned, figures right-aligned.
                        cells: cells.dropFirst().map { ($0, $0.first?.isLetter == true ? "text" : nil) })
                }, stacked: false)
        }

        b += "<h2>\(e(l.clients))</h2>\n"
        b += table(
            [l.client, l.accounts, l.sessions],
            r.clients.map { c in
                Row(
                    below: false, first: "<td>\(e(c.client ?? l.otherClients))</td>",
                    cells: [(l.count(c.accounts), nil), (l.count(c.sessions), nil)])
            }, stacked: false)

        b += "<h2>\(e(l.definitions))</h2>\n<ul class=\"defs\">"
        for d in TextRenderer.definitionLines(r.settings, l) { b += "<li>\(e(d))</li>" }
        b += "</ul>\n</section>"
        return page(lang: l.language, title: "\(l.title) — \(l.monthTitle(r.month))", body: b)
    }

    static func inactive(_ r: InactiveAccountsReport, _ l: ReportLabels) -> String {
        let e = htmlEscape
        let scope = r.scopeUnitName.map { "\($0) (\(r.scopeUnitCode ?? ""))" } ?? l.wholeOrganisation
        var b =
            "<h1>\(e(l.inactiveTitle))</h1>\n<p class=\"meta\">\(e(l.monthTitle(r.month))) · \(e(l.scope)): \(e(scope))</p>\n"
        b +=
            "<p><strong>\(e(l.inactiveNotice))</strong></p>\n<p>\(e(l.inactiveSummary(r.accounts.count, r.staff))) \(e(l.followUp(r.accounts.filter { $0.status == .enabled }.count)))</p>\n"
        b += "<p class=\"meta\">\(e(l.definitionActive(r.settings.activeMinDays)))</p>\n"
        b += table(
            [l.address, l.displayName, l.unit, l.daysUsed, l.currentStatus],
            r.accounts.map { a in
                Row(
                    below: false, first: "<td>\(e(a.address))</td>",
                    cells: [
                        (a.displayName, "text"), ("\(a.unitName) (\(a.unitCode))", "text"), ("\(a.daysUsed)", nil),
                        (l.status(a.status), "text"),
                    ])
            }, stacked: true)
        return page(lang: l.language, title: "\(l.inactiveTitle) — \(l.monthTitle(r.month))", body: b)
    }

    /// One table row: its first cell as markup (it may hold a name, code and mark) and the other
    /// cells as text with an optional CSS class.
    struct Row {
        var below: Bool
        var first: String
        var cells: [(text: String, cls: String?)]
    }

    /// A table whose cells carry their column name in `data-label`: on a narrow screen a `stacked`
    /// table shows one card per row with the column name next to each figure, instead of scrolling.
    static func table(_ headers: [String], _ rows: [Row], stacked: Bool) -> String {
        let e = htmlEscape
        var t = "<div class=\"table-wrap\"><table\(stacked ? " class=\"stack\"" : "")>\n<thead><tr>"
        for h in headers { t += "<th>\(e(h))</th>" }
        t += "</tr></thead>\n<tbody>\n"
        for row in rows {
            t += "<tr\(row.below ? " class=\"below\"" : "")>\(row.first)"
            for (i, cell) in row.cells.enumerated() {
                let label = i + 1 < headers.count ? headers[i + 1] : ""
                t += "<td\(cell.cls.map { " class=\"\($0)\"" } ?? "") data-label=\"\(e(label))\">\(e(cell.text))</td>"
            }
            t += "</tr>\n"
        }
        return t + "</tbody></table></div>\n"
    }

    private static func card(_ title: String, _ big: String, _ small: String) -> String {
        "<div class=\"card\"><div class=\"small\">\(htmlEscape(title))</div><div class=\"big\">\(htmlEscape(big))</div><div class=\"small\">\(htmlEscape(small))</div></div>"
    }
}
