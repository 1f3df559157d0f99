import Foundation

/// The quarter or year report in every format: one table of the organisation month by month, one of
/// the listed units with the period's share and each month's.
enum PeriodRenderer {
    static func render(_ r: PeriodReport, format: ReportFormat, _ l: ReportLabels, csv style: CSVStyle) throws -> Data {
        switch format {
        case .json: return try JSONRenderer.encode(r)
        case .text: return Data(text(r, l).utf8)
        case .csv: return Data(CSVRenderer.byteOrderMark + Array(csv(r, l, style).utf8))
        case .html: return Data(html(r, l).utf8)
        }
    }

    static func title(_ r: PeriodReport, _ l: ReportLabels) -> String {
        "\(l.title) — \(l.periodName(r.period))\(r.partial ? " (\(l.partialMark))" : "")"
    }

    static func headerLines(_ r: PeriodReport, _ l: ReportLabels) -> [String] {
        var lines = ["\(l.scope): \(r.scopeUnitName.map { "\($0) (\(r.scopeUnitCode ?? ""))" } ?? l.wholeOrganisation)"]
        lines.append("\(l.period): \(l.monthShort(r.months.first!)) – \(l.monthShort(r.months.last!))")
        if r.partial { lines.append("⚠ " + l.periodPartial) }
        if let at = r.generatedAt { lines.append("\(l.generatedAt): \(at) (\(r.settings.timeZone))") }
        lines.append(l.definitionActive(r.settings.activeMinDays))
        lines.append(l.definitionPeriodShare)
        lines.append(l.definitionPeriodPrivacy(r.settings.minimumUnitSize))
        return lines
    }

    /// Rows of the unit table: name, period share, then each month's share ("·" when not published).
    static func unitCells(_ row: PeriodUnitRow, _ l: ReportLabels, indent: Bool) -> [String] {
        [
            (indent ? String(repeating: "  ", count: row.depth) : "") + terminalSafe(row.name),
            l.percent(row.rolledUp.share),
        ]
            + row.rolledUp.byMonth.map { l.percent($0.share) }
    }

    static func text(_ r: PeriodReport, _ l: ReportLabels) -> String {
        var out = title(r, l).uppercased() + "\n" + headerLines(r, l).joined(separator: "\n") + "\n\n"
        let o = r.organisation
        out +=
            "\(l.shareLong): \(l.percent(o.share)) · \(l.staffMonths): \(l.count(o.staffMonths)) · \(l.activeMonths): \(l.count(o.activeMonths))\n\n"
        var months = TextTable(
            headers: [l.month, l.staff, l.active, l.share], alignments: [.left, .right, .right, .right])
        for p in o.byMonth {
            months.rows.append([l.monthShort(p.month), l.count(p.staff), l.count(p.active), l.percent(p.share)])
        }
        out += months.render() + "\n\(l.byUnit) (\(l.rolledUpShare))\n"
        var units = TextTable(
            headers: [l.unit, l.periodShare] + r.months.map(l.monthShort),
            alignments: [.left] + Array(repeating: .right, count: r.months.count + 1))
        for row in r.units { units.rows.append(unitCells(row, l, indent: true)) }
        out += units.render()
        if r.unlistedUnitCount > 0 { out += l.unlistedInPeriod(r.unlistedUnitCount) + "\n" }
        return out
    }

    static func csv(_ r: PeriodReport, _ l: ReportLabels, _ style: CSVStyle) -> String {
        var out = style.line([title(r, l)])
        for line in headerLines(r, l) { out += style.line([line]) }
        out += "\r\n" + style.line([l.summary])
        out += style.line([l.month, l.staff, l.active, l.share + " (%)"])
        for p in r.organisation.byMonth {
            out += style.line([
                p.month.description, p.staff.map(String.init) ?? "", p.active.map(String.init) ?? "",
                style.percent(p.share),
            ])
        }
        let o = r.organisation
        out += style.line([r.period, String(o.staffMonths), String(o.activeMonths), style.percent(o.share)])
        out += "\r\n" + style.line([l.byUnit])
        out += style.line(
            [l.code, l.unit, l.staffMonths, l.activeMonths, l.periodShare + " (%)"]
                + r.months.map { $0.description + " (%)" })
        for row in r.units {
            let f = row.rolledUp
            out += style.line(
                [row.code, row.name, String(f.staffMonths), String(f.activeMonths), style.percent(f.share)]
                    + f.byMonth.map { style.percent($0.share) })
        }
        return out
    }

    static func html(_ r: PeriodReport, _ l: ReportLabels) -> String {
        let e = htmlEscape
        var b = "<section>\n<h1>\(e(title(r, l)))</h1>\n"
        for line in headerLines(r, l) {
            b += line.hasPrefix("⚠") ? "<p class=\"partial\">\(e(line))</p>\n" : "<p class=\"meta\">\(e(line))</p>\n"
        }
        let o = r.organisation
        b +=
            "<p><strong>\(e(l.shareLong)): \(e(l.percent(o.share)))</strong> · \(e(l.staffMonths)): \(e(l.count(o.staffMonths)))</p>\n"
        b += HTMLRenderer.table(
            [l.month, l.staff, l.active, l.share],
            o.byMonth.map { p in
                HTMLRenderer.Row(
                    below: false, first: "<td>\(e(l.monthShort(p.month)))</td>",
                    cells: [(l.count(p.staff), nil), (l.count(p.active), nil), (l.percent(p.share), nil)])
            }, stacked: false)
        b += "<h2>\(e(l.byUnit)) (\(e(l.rolledUpShare)))</h2>\n"
        b += HTMLRenderer.table(
            [l.unit, l.periodShare] + r.months.map(l.monthShort),
            r.units.map { row in
                let cells = unitCells(row, l, indent: false)
                return HTMLRenderer.Row(
                    below: row.rolledUp.belowTarget,
                    first: "<td class=\"name d\(min(row.depth, 4))\">\(e(cells[0]))</td>",
                    cells: cells.dropFirst().map { ($0, nil) })
            }, stacked: false)
        if r.unlistedUnitCount > 0 { b += "<p class=\"meta\">\(e(l.unlistedInPeriod(r.unlistedUnitCount)))</p>\n" }
        b += "</section>"
        return HTMLRenderer.page(lang: l.language, title: title(r, l), body: b)
    }
}

extension ReportRenderer {
    /// The quarter or year report; CSV starts with a byte-order mark, JSON ignores `language`.
    public static func render(
        _ report: PeriodReport, format: ReportFormat, language: ReportLanguage, csv: CSVStyle = .standard
    ) throws -> Data {
        try PeriodRenderer.render(report, format: format, ReportLabels(language: language), csv: csv)
    }
}
