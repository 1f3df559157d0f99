import Foundation

/// CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel shows Vietnamese), CRLF line ends,
/// fields quoted per RFC 4180 §2. The monthly report is several tables one after another: each
/// starts with a one-cell title row and a header row, and ends with an empty line. Numbers use `.`
/// as the decimal mark; shares and changes are in percent with one decimal (62.5 = 62.5%).
enum CSVRenderer {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One field, quoted when it holds the separator, a quote, CR or LF (RFC 4180 §2.6–2.7).
    static func field(_ text: String, separator: Character = ",") -> String {
        guard
            text.contains(where: { $0 == separator || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func monthly(_ r: MonthlyReport, _ l: ReportLabels, _ style: CSVStyle) -> Data {
        let line = style.line, percent = style.percent, number = style.number
        var out = ""
        out += line([l.title])
        out += line([l.item, l.value])
        out += line([l.month, r.month.description])
        out += line([l.scope, r.scopeUnitName.map { "\($0) (\(r.scopeUnitCode ?? ""))" } ?? l.wholeOrganisation])
        out += line([l.period, r.period.firstDay, r.period.lastDay])
        if r.period.partial { out += line([l.partialMark, l.partialNotice(r.period)]) }
        if let at = r.generatedAt { out += line([l.generatedAt, at, r.settings.timeZone]) }
        for d in TextRenderer.definitionLines(r.settings, l) { out += line([l.definitions, d]) }
        out += "\r\n"

        let figureHeaders = [
            l.staff, l.active, l.usedOnce, l.notUsed, l.share + " (%)", l.changeWithUnit,
            l.messagesSent, l.messagesSigned, l.sentPerActive, l.signedShare + " (%)", l.messagesReceived,
            l.messagesSignedVerified, l.signedVerifiedShare + " (%)",
        ]
        func figureFields(_ f: UsageFigures) -> [String] {
            [
                String(f.staff), String(f.active), String(f.usedAtLeastOnce), String(f.notUsed), percent(f.share),
                number(f.shareChange.map { $0 * 100 }), String(f.messagesSent), String(f.messagesSigned),
                number(f.messagesSentPerActive), percent(f.signedShare), String(f.messagesReceived),
                String(f.messagesSignedVerified), percent(f.signedVerifiedShare),
            ]
        }

        out += line([l.summary])
        out += line([l.unit] + figureHeaders)
        out += line([r.scopeUnitName ?? l.wholeOrganisation] + figureFields(r.organisation))
        out += "\r\n"

        out += line([l.byUnit])
        out += line(
            [l.code, l.unit, l.level, l.parentUnit]
                + figureHeaders.map { $0 == l.share + " (%)" ? l.ownShare + " (%)" : $0 }
                + [l.rolledUpStaff, l.rolledUpActive, l.rolledUpShare + " (%)", l.belowTarget, l.neededForTarget])
        for row in r.units {
            out += line(
                [row.code, row.name, l.level(row.level), row.parentCode ?? ""] + figureFields(row.own)
                    + [
                        String(row.rolledUp.staff), String(row.rolledUp.active), percent(row.rolledUp.share),
                        row.own.belowTarget ? "1" : "0", String(row.own.activeNeededForTarget),
                    ])
        }
        out += "\r\n"

        out += line([l.byLevel])
        out += line([l.level] + figureHeaders)
        for row in r.levels { out += line([l.level(row.level)] + figureFields(row.figures)) }
        out += "\r\n"

        out += line([l.trend])
        out += line([l.month, l.staff, l.active, l.share + " (%)"])
        for p in r.trend {
            out += line([
                p.month.description, p.staff.map(String.init) ?? "", p.active.map(String.init) ?? "", percent(p.share),
            ])
        }
        out += "\r\n"

        let byCode = Dictionary(uniqueKeysWithValues: r.units.map { ($0.code, $0) })
        out += line([l.rankingByShare])
        out += line([l.rank, l.code, l.unit, l.ownShare + " (%)", l.changeWithUnit, l.neededForTarget])
        for (i, code) in r.ranking.byShare.enumerated() {
            guard let row = byCode[code] else { continue }
            out += line([
                String(i + 1), code, row.name, percent(row.own.share), number(row.own.shareChange.map { $0 * 100 }),
                String(row.own.activeNeededForTarget),
            ])
        }
        out += "\r\n"
        out += line([l.rankingByChange])
        out += line([l.rank, l.code, l.unit, l.changeWithUnit, l.ownShare + " (%)"])
        for (i, code) in r.ranking.byChange.enumerated() {
            guard let row = byCode[code] else { continue }
            out += line([
                String(i + 1), code, row.name, number(row.own.shareChange.map { $0 * 100 }), percent(row.own.share),
            ])
        }
        out += "\r\n"
        out += line([l.unitTrends])
        out += line([l.code, l.unit] + r.trend.map { $0.month.description + " (%)" })
        for row in r.units { out += line([row.code, row.name] + row.trend.map { percent($0.share) }) }
        out += "\r\n"

        out += line([l.clients])
        out += line([l.client, l.accounts, l.sessions])
        for c in r.clients { out += line([c.client ?? l.otherClients, String(c.accounts), String(c.sessions)]) }
        return Data(byteOrderMark + Array(out.utf8))
    }

    static func inactive(_ r: InactiveAccountsReport, _ l: ReportLabels, _ style: CSVStyle) -> Data {
        let line = style.line
        var out = line([l.address, l.displayName, l.code, l.unit, l.daysUsed, l.currentStatus])
        for a in r.accounts {
            out += line([a.address, a.displayName, a.unitCode, a.unitName, String(a.daysUsed), l.status(a.status)])
        }
        return Data(byteOrderMark + Array(out.utf8))
    }
}

/// How a CSV file separates fields and writes decimals. The default (`,` and `.`) is RFC 4180 as
/// most programs read it; Excel set to Vietnamese (or other locales that write 62,5) expects `;`
/// between fields and `,` as the decimal mark: choose both with `--csv-separator semicolon
/// --decimal-mark comma`.
public struct CSVStyle: Sendable, Equatable {
    public enum Separator: String, Sendable, CaseIterable { case comma, semicolon }
    public enum DecimalMark: String, Sendable, CaseIterable { case point, comma }
    public var separator: Separator
    public var decimalMark: DecimalMark

    public init(separator: Separator = .comma, decimalMark: DecimalMark = .point) {
        self.separator = separator
        self.decimalMark = decimalMark
    }

    public static let standard = CSVStyle()

    func line(_ fields: [String]) -> String {
        let mark: Character = separator == .comma ? "," : ";"
        return fields.map { CSVRenderer.field($0, separator: mark) }.joined(separator: String(mark)) + "\r\n"
    }

    func percent(_ share: Double?) -> String { share.map { number($0 * 100) } ?? "" }

    /// One decimal, no grouping: 62.5 or 62,5.
    func number(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        let tenths = Int((x * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10)\(decimalMark == .point ? "." : ",")\(abs(tenths) % 10)"
    }
}

/// JSON with a stable, documented schema (docs/REPORT-SCHEMA.md): sorted keys, snake_case names,
/// optional values omitted when undefined. The language only affects labels, never JSON.
enum JSONRenderer {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
