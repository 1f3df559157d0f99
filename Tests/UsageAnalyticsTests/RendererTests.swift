import MailCore
import XCTest
#if canImport(FoundationXML)
    import FoundationXML
#endif
@testable import UsageAnalytics

final class RendererTests: XCTestCase {
    let settings = ReportSettings(activeMinDays: 4, targetShare: 0.5, minimumUnitSize: 3)

    func october() throws -> MonthlyReport {
        try UsageReports.monthly(
            from: SyntheticProvince.dataset(), month: SyntheticProvince.october, settings: settings)
    }

    // MARK: CSV

    /// RFC 4180 reader, written independently of the renderer: quoted fields, doubled quotes, CRLF.
    func readCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\""); chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" {
                XCTAssertEqual(chars.popFirst(), "\n", "bare CR outside quotes")
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                XCTAssertNotEqual(c, "\n", "bare LF outside quotes")
                field.unicodeScalars.append(c)
            }
        }
        XCTAssertTrue(row.isEmpty && field.isEmpty, "file must end with CRLF")
        return rows
    }

    func testCSVHasBOMQuotesAndReadsBack() throws {
        let data = try ReportRenderer.render(try october(), format: .csv, language: .vi)
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        let text = try XCTUnwrap(String(data: data.dropFirst(3), encoding: .utf8))
        let rows = readCSV(text)
        XCTAssertEqual(rows.first, ["Báo cáo sử dụng thư điện tử công vụ"])
        XCTAssertTrue(rows.contains(["Tháng", "2026-10"]))
        // The unit table: header row follows the title row "Theo đơn vị".
        let start = try XCTUnwrap(rows.firstIndex(of: ["Theo đơn vị"]))
        let header = rows[start + 1]
        XCTAssertEqual(
            Array(header.prefix(7)), ["Mã", "Đơn vị", "Cấp", "Đơn vị cấp trên", "Cán bộ", "Thường xuyên", "Có sử dụng"])
        let col = { (name: String) in header.firstIndex(of: name)! }
        let units = rows[(start + 2)...].prefix { $0 != [""] }
        XCTAssertEqual(units.map { $0[0] }, ["P", "SO1", "SO2", "H1", "X1", "H2", "X3"])
        let h1 = try XCTUnwrap(units.first { $0[0] == "H1" })
        XCTAssertEqual(h1[col("Đơn vị")], "UBND huyện Hoa Lư")
        XCTAssertEqual(h1[col("Cấp")], "Cấp huyện")
        XCTAssertEqual(h1[col("Cán bộ")], "5")
        XCTAssertEqual(h1[col("Tỷ lệ riêng ĐV (%)")], "60.0")
        XCTAssertEqual(h1[col("Thay đổi (điểm %)")], "60.0")
        XCTAssertEqual(h1[col("Tỷ lệ gồm ĐV trực thuộc (%)")], "62.5")
        let x3 = try XCTUnwrap(units.first { $0[0] == "X3" })
        XCTAssertEqual(x3[1], "UBND xã Kim Đông, \"mới\"")  // comma and quotes survive the round trip
        XCTAssertEqual(x3[col("Đơn vị dưới mục tiêu")], "1")
        XCTAssertTrue(text.contains("\"UBND xã Kim Đông, \"\"mới\"\"\""))
        // Every table row of a section has as many fields as its header.
        XCTAssertTrue(units.allSatisfy { $0.count == header.count })
        let trendStart = try XCTUnwrap(rows.firstIndex(of: ["Xu hướng 12 tháng"]))
        XCTAssertEqual(rows[trendStart + 13], ["2026-10", "24", "13", "54.2"])
        XCTAssertEqual(rows[trendStart + 2], ["2025-11", "0", "0", ""])
    }

    func testCSVForExcelInVietnameseUsesSemicolonsAndDecimalCommas() throws {
        let style = CSVStyle(separator: .semicolon, decimalMark: .comma)
        let data = try ReportRenderer.render(try october(), format: .csv, language: .vi, csv: style)
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        let h1 = try XCTUnwrap(text.components(separatedBy: "\r\n").first { $0.hasPrefix("H1;") })
        XCTAssertTrue(h1.hasPrefix("H1;UBND huyện Hoa Lư;Cấp huyện;P;5;3;"), h1)
        XCTAssertTrue(h1.contains(";60,0;"), h1)  // own share 60.0 % with a decimal comma
        XCTAssertFalse(h1.contains("60.0"))
        // A name with a comma or a semicolon is still one field.
        XCTAssertTrue(text.contains("X3;\"UBND xã Kim Đông, \"\"mới\"\"\";"), text)
        // The default stays RFC 4180 with points.
        let plain = String(
            decoding: try ReportRenderer.render(try october(), format: .csv, language: .vi), as: UTF8.self)
        XCTAssertTrue(plain.contains("H1,UBND huyện Hoa Lư,Cấp huyện,P,5,3,"))
        // Comma decimals with comma separators are quoted rather than split.
        let mixed = String(
            decoding: try ReportRenderer.render(
                try october(), format: .csv, language: .vi, csv: CSVStyle(decimalMark: .comma)), as: UTF8.self)
        XCTAssertTrue(mixed.contains(",\"60,0\","), "a decimal comma inside a comma-separated file must be quoted")
    }

    func testInactiveCSV() throws {
        let r = try UsageReports.inactive(
            from: SyntheticProvince.dataset(), month: SyntheticProvince.october, unitCode: "X2")
        let data = try ReportRenderer.render(r, format: .csv, language: .en)
        XCTAssertEqual(Array(data.prefix(3)), [0xEF, 0xBB, 0xBF])
        let rows = readCSV(String(decoding: data.dropFirst(3), as: UTF8.self))
        XCTAssertEqual(
            rows,
            [
                ["Address", "Name", "Code", "Unit", "Days used", "Status now"],
                ["y2@ninhbinh.gov.vn", "Hà Văn Xuân", "X2", "UBND xã Trường Yên", "0", "enabled"],
            ])
    }

    // MARK: JSON

    func testJSONDecodesBackAndHasTheDocumentedKeys() throws {
        let report = try october()
        let data = try ReportRenderer.render(report, format: .json, language: .vi)
        XCTAssertEqual(try JSONDecoder().decode(MonthlyReport.self, from: data), report)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "govmail.report.monthly")
        XCTAssertEqual(object["schema_version"] as? Int, 3)
        XCTAssertEqual(object["month"] as? String, "2026-10")
        XCTAssertEqual(object["previous_month"] as? String, "2026-09")
        XCTAssertEqual(object["units_below_target"] as? [String], ["P", "SO2", "X3"])
        let settings = try XCTUnwrap(object["settings"] as? [String: Any])
        XCTAssertEqual(settings["active_min_days"] as? Int, 4)
        XCTAssertEqual(settings["time_zone"] as? String, "Asia/Ho_Chi_Minh")
        let org = try XCTUnwrap(object["organisation"] as? [String: Any])
        XCTAssertEqual(org["staff"] as? Int, 24)
        XCTAssertEqual(org["active"] as? Int, 13)
        XCTAssertEqual(org["used_at_least_once"] as? Int, 17)
        XCTAssertEqual(org["share"] as? Double, 13.0 / 24.0)
        let units = try XCTUnwrap(object["units"] as? [[String: Any]])
        let h1 = try XCTUnwrap(units.first { $0["code"] as? String == "H1" })
        XCTAssertEqual(h1["merged_units"] as? [String], ["X2"])
        XCTAssertEqual((h1["rolled_up"] as? [String: Any])?["staff"] as? Int, 8)
        XCTAssertEqual(h1["level"] as? String, "district")
        // Stable: the same report gives the same bytes, and the language does not change JSON.
        XCTAssertEqual(data, try ReportRenderer.render(try october(), format: .json, language: .en))
    }

    // MARK: HTML

    /// A minimal element tree built with XMLParser, for structural assertions on the HTML.
    final class Node {
        let name: String
        let attributes: [String: String]
        var children: [Node] = []
        var text = ""
        init(_ name: String, _ attributes: [String: String]) { self.name = name; self.attributes = attributes }
        var classes: Set<String> { Set((attributes["class"] ?? "").split(separator: " ").map(String.init)) }
        /// Every descendant (not self), depth first, in document order.
        var descendants: [Node] { children.flatMap { [$0] + $0.descendants } }
        func all(_ name: String, class cls: String? = nil) -> [Node] {
            descendants.filter { $0.name == name && (cls == nil || $0.classes.contains(cls!)) }
        }
        /// The text of this node and its descendants.
        var allText: String { text + children.map(\.allText).joined() }
    }

    final class WellFormedness: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        var rootLang: String?
        let root = Node("#document", [:])
        private lazy var stack: [Node] = [root]
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements[name, default: 0] += 1
            if name == "html" { rootLang = attributes["lang"] }
            let node = Node(name, attributes)
            stack.last!.children.append(node)
            stack.append(node)
        }
        func parser(
            _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
        ) { stack.removeLast() }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
            stack.last!.text += string
        }
    }

    func parseXHTML(_ data: Data, file: StaticString = #filePath, line: UInt = #line) -> WellFormedness {
        let parser = XMLParser(data: data)
        let delegate = WellFormedness()
        parser.delegate = delegate
        XCTAssertTrue(
            parser.parse(), "HTML is not well-formed: \(String(describing: parser.parserError))",
            file: file, line: line)
        return delegate
    }

    func testHTMLIsWellFormedSelfContainedWithChartsAndEscapedText() throws {
        let data = try ReportRenderer.render(try october(), format: .html, language: .vi)
        let html = String(decoding: data, as: UTF8.self)
        let doc = parseXHTML(data)
        XCTAssertEqual(doc.rootLang, "vi")
        XCTAssertEqual(doc.elements["svg"], 1 + 7)  // the trend chart and one bar track per published unit
        XCTAssertEqual(doc.elements["polyline"], 1)  // Nov and Dec 2025 have no share: one unbroken run
        XCTAssertEqual(doc.elements["rect"], 7)  // one bar per published unit
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\""))
        XCTAssertTrue(html.contains("name=\"viewport\""))
        XCTAssertTrue(html.contains("@media print"))
        XCTAssertTrue(html.contains("size: A4"))
        XCTAssertTrue(html.contains("class=\"target\""))
        // Vietnamese labels with diacritics.
        for label in [
            "Tỷ lệ sử dụng thường xuyên", "Đơn vị", "Theo cấp (cấp tỉnh/huyện/xã)", "Cấp huyện", "Cấp xã",
            "Xu hướng 12 tháng", "Đơn vị dưới mục tiêu", "54,2%",
        ] {
            XCTAssertTrue(doc.text.contains(label), "missing \(label)")
        }
        // The unit name with markup characters is escaped, never emitted raw.
        XCTAssertTrue(html.contains("Sở Tài chính &lt;Kế hoạch &amp; Đầu tư&gt;"))
        XCTAssertFalse(html.contains("<Kế hoạch"))
        XCTAssertTrue(doc.text.contains("Sở Tài chính <Kế hoạch & Đầu tư>"))
        // No external resources: no scripts, links, images, imports or URLs other than XML namespaces.
        for forbidden in ["<script", "<link", "<img", "src=", "href=", "url(", "@import"] {
            XCTAssertFalse(html.contains(forbidden), "found \(forbidden)")
        }
        // Bars are red where the unit's own share is below target: P, SO2 and X3 (1/3 each).
        XCTAssertEqual(html.components(separatedBy: "class=\"bar below\"").count - 1, 3)
        let urls = html.components(separatedBy: "http").count - 1
        let namespaces =
            html.components(separatedBy: "xmlns=\"http://www.w3.org/1999/xhtml\"").count - 1
            + html.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        XCTAssertEqual(namespaces, 1 + 8)
        XCTAssertEqual(urls, namespaces)  // every URL is an XML namespace
    }

    func testHTMLBarChartKeepsNamesAndTargetLabelApartFromTheBars() throws {
        let doc = parseXHTML(try ReportRenderer.render(try october(), format: .html, language: .vi)).root
        let chart = try XCTUnwrap(doc.all("div", class: "bars").first)
        XCTAssertEqual(chart.attributes["style"], "--target: 50%")  // the dashed line's position, for CSS
        let rows = chart.all("div", class: "bar-row")
        XCTAssertEqual(rows.count, 7)
        // Each row: the name as HTML text (so it can wrap) with the full name and share as a tooltip,
        // then the bar in its own SVG scaled to the row's width, then the share as text.
        for row in rows {
            XCTAssertEqual(row.children.map { $0.attributes["class"] }, ["bar-name", "bar-track", "bar-value"])
            let name = row.children[0], value = row.children[2].allText
            XCTAssertEqual(name.attributes["title"], "\(name.allText): \(value)")
            let svg = try XCTUnwrap(row.children[1].children.first)
            XCTAssertEqual(svg.name, "svg")
            XCTAssertEqual(svg.attributes["viewBox"], "0 0 1000 14")
            XCTAssertEqual(svg.attributes["preserveAspectRatio"], "none")
            XCTAssertEqual(svg.all("text").count, 0, "no text inside the stretched bar")
            XCTAssertEqual(svg.all("rect").first?.all("title").first?.allText, "\(name.allText): \(value)")
        }
        XCTAssertEqual(
            rows.map { $0.children[0].allText }.first { $0.hasPrefix("Sở Tài") }, "Sở Tài chính <Kế hoạch & Đầu tư>")
        // The width of a bar is its share of the 1000-unit track: H1's own share 3/5 = 60%.
        let h1 = try XCTUnwrap(rows.first { $0.children[0].allText == "UBND huyện Hoa Lư" })
        XCTAssertEqual(h1.all("rect").first?.attributes["width"], "600")
        // One share definition per view: the red bars and their values are exactly the below-target
        // list (issue 14: a unit was blue at 50.0% in the chart and listed at 48.7%).
        let report = try october()
        let redBars = rows.filter { $0.classes.contains("below") }
        XCTAssertEqual(
            redBars.map { $0.children[0].allText },
            report.units.filter { report.unitsBelowTarget.contains($0.code) }.map(\.name))
        let listed = doc.all("li", class: "flag").map(\.allText)
        for (bar, item) in zip(redBars, listed) {
            XCTAssertTrue(item.contains(bar.children[2].allText), "\(item) vs \(bar.children[2].allText)")
        }
        XCTAssertEqual(listed.count, redBars.count)
        XCTAssertTrue(doc.allText.contains("tỷ lệ riêng của đơn vị"), "the chart says which share it shows")
        // The target label is in a header row of its own, never in a row with a name or a bar.
        let labels = chart.all("span", class: "target-label")
        XCTAssertEqual(labels.map(\.allText), ["Mục tiêu 50,0%"])
        XCTAssertTrue(labels[0].classes.contains("middle"))
        XCTAssertTrue(rows.allSatisfy { $0.all("span", class: "target-label").isEmpty })
        XCTAssertEqual(chart.children.first?.attributes["class"], "bars-head")
    }

    func testTrendTargetLabelNeverCoversThePoints() throws {
        let pct = ReportLabels(language: .vi).percent
        // The last month exactly on the target: the old label, right-aligned above the line, covered it.
        let points: [(label: String, share: Double?)] = (1...12).map { ("\($0)/2026", $0 == 12 ? 0.5 : 0.3) }
        let svg = SVGCharts.trendLine(points, target: 0.5, title: "t", targetLabel: "Mục tiêu", percent: pct)
        let doc = parseXHTML(Data(svg.utf8)).root
        let label = try XCTUnwrap(doc.all("text", class: "target-label").first)
        let labelX = try XCTUnwrap(Double(label.attributes["x"] ?? ""))
        let circles = doc.all("circle", class: "point")
        XCTAssertEqual(circles.count, 12)
        for c in circles {
            let cx = try XCTUnwrap(Double(c.attributes["cx"] ?? "")), r = try XCTUnwrap(Double(c.attributes["r"] ?? ""))
            XCTAssertLessThan(cx + r, labelX, "the target label starts left of a point")
        }
        XCTAssertEqual(label.attributes["text-anchor"], "start")
        // And it fits inside the drawing: about 7 px per character at 12 px is far less than the margin.
        let viewBoxWidth = try XCTUnwrap(
            Double(doc.all("svg").first?.attributes["viewBox"]?.split(separator: " ")[2] ?? ""))
        XCTAssertLessThan(labelX + 7 * Double(label.allText.count), viewBoxWidth)
    }

    func testHTMLTargetLabelIsAnchoredInsideTheTrackNearEitherEnd() {
        let bars = [SVGCharts.Bar(label: "A", share: 0.5, belowTarget: false)]
        let pct = ReportLabels(language: .en).percent
        func anchor(_ target: Double) -> String {
            let html = SVGCharts.shareBars(bars, target: target, title: "t", targetLabel: "Target", percent: pct)
            let doc = parseXHTML(Data(html.utf8)).root
            return doc.all("span", class: "target-label").first.map { $0.classes.subtracting(["target-label"]) }?
                .first ?? "none"
        }
        XCTAssertEqual(anchor(0.05), "start")
        XCTAssertEqual(anchor(0.5), "middle")
        XCTAssertEqual(anchor(0.95), "end")
    }

    func testHTMLWideTablesStackOnAPhoneAndSectionsBreakPagesInPrint() throws {
        let data = try ReportRenderer.render(try october(), format: .html, language: .vi)
        let html = String(decoding: data, as: UTF8.self)
        let doc = parseXHTML(data).root
        // The unit and level tables become cards on a narrow screen: every figure carries its column name.
        let stacked = doc.all("table", class: "stack")
        XCTAssertEqual(stacked.count, 2)
        for table in stacked {
            let headers = table.all("th").map(\.allText)
            let rows = table.all("tr").filter { $0.children.first?.name == "td" }
            XCTAssertFalse(rows.isEmpty)
            for row in rows {
                XCTAssertEqual(row.children.count, headers.count)
                XCTAssertEqual(
                    row.children.dropFirst().map { $0.attributes["data-label"] }, headers.dropFirst().map { $0 })
            }
        }
        XCTAssertEqual(stacked[0].all("th").first?.allText, "Đơn vị")
        XCTAssertTrue(html.contains("@media (max-width: 600px)"))
        XCTAssertTrue(html.contains("table.stack td::before { content: attr(data-label)"))
        // The trend, client, ranking and per-unit trend tables scroll sideways rather than stack.
        XCTAssertEqual(doc.all("table").count, 7)
        // Printed on A4: sections flow on (a forced break per section left pages mostly empty),
        // headings stay with what follows, and rows, cards and charts are never cut in two.
        let body = try XCTUnwrap(doc.all("body").first)
        XCTAssertEqual(body.children.map(\.name), ["section", "section", "section", "section"])
        XCTAssertFalse(html.contains("break-before: page"))
        XCTAssertFalse(html.contains("page-break-before: always"))
        XCTAssertTrue(html.contains("@page { size: A4;"))
        XCTAssertTrue(html.contains("h2 { margin-top: 14px; page-break-after: avoid; break-after: avoid; }"))
        XCTAssertTrue(html.contains(".bar-row, .bars-head, svg.trend"))  // never cut in two
    }

    func testHTMLInEnglishAndInactiveList() throws {
        let en = try ReportRenderer.render(try october(), format: .html, language: .en)
        let doc = parseXHTML(en)
        XCTAssertEqual(doc.rootLang, "en")
        XCTAssertTrue(doc.text.contains("Units below target"))
        XCTAssertTrue(doc.text.contains("54.2%"))
        let inactive = try UsageReports.inactive(from: SyntheticProvince.dataset(), month: SyntheticProvince.october)
        let page = parseXHTML(try ReportRenderer.render(inactive, format: .html, language: .vi))
        XCTAssertEqual(page.rootLang, "vi")
        XCTAssertTrue(page.text.contains("Lương Văn Sơn"))
        XCTAssertTrue(page.text.contains("không công bố"))
    }

    func testInactiveJSONAndText() throws {
        let r = try UsageReports.inactive(
            from: SyntheticProvince.dataset(), month: SyntheticProvince.october, unitCode: "H1")
        let json = try ReportRenderer.render(r, format: .json, language: .vi)
        XCTAssertEqual(try JSONDecoder().decode(InactiveAccountsReport.self, from: json), r)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        XCTAssertEqual(object["schema"] as? String, "govmail.report.inactive")
        XCTAssertEqual(object["schema_version"] as? Int, 1)
        let first = try XCTUnwrap((object["accounts"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["display_name"] as? String, "Lương Văn Sơn")
        XCTAssertEqual(first["days_used"] as? Int, 0)
        XCTAssertEqual(first["status"] as? String, "disabled")  // h4: listed, but not a person to chase
        let text = String(decoding: try ReportRenderer.render(r, format: .text, language: .vi), as: UTF8.self)
        XCTAssertTrue(text.contains("3 trên 8 tài khoản cán bộ chưa sử dụng thường xuyên."))
        XCTAssertTrue(text.contains("Danh sách nội bộ dành cho quản trị đơn vị; không công bố."))
        XCTAssertTrue(text.contains("2 người cần nhắc nhở"), text)
        let lines = text.components(separatedBy: "\n").filter { $0.contains("@ninhbinh.gov.vn") }
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(Set(lines.map(TerminalWidth.columns(of:))).count, 1, lines.joined(separator: "\n"))
    }

    // MARK: text

    func testTextReportInVietnameseLinesUp() throws {
        let text = String(
            decoding: try ReportRenderer.render(try october(), format: .text, language: .vi), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("BÁO CÁO SỬ DỤNG THƯ ĐIỆN TỬ CÔNG VỤ — Tháng 10/2026\n"))
        XCTAssertTrue(text.contains("Tỷ lệ sử dụng thường xuyên: 54,2% (+46,2 điểm % so với tháng trước)"))
        XCTAssertTrue(text.contains("Định nghĩa"))
        XCTAssertTrue(text.contains("ít nhất 4 ngày khác nhau"))
        XCTAssertTrue(text.contains("- UBND xã Kim Đông, \"mới\" (X3): 33,3%"))
        // In the unit table the header and every row end at the same display column (the rolled-up
        // share, right-aligned) once the below-target mark is taken off, whatever the Vietnamese names are.
        let lines = text.components(separatedBy: "\n")
        let start = try XCTUnwrap(lines.firstIndex(of: "Theo đơn vị"))
        XCTAssertTrue(lines[start + 2].allSatisfy { $0 == "-" || $0 == " " })
        let rows = ([lines[start + 1]] + lines[(start + 3)...(start + 9)]).map {
            $0.replacingOccurrences(of: "  ▼ dưới mục tiêu", with: "")
        }
        XCTAssertTrue(rows[4].hasPrefix("  UBND huyện Hoa Lư"), rows[4])
        XCTAssertEqual(Set(rows.map(TerminalWidth.columns(of:))).count, 1, rows.joined(separator: "\n"))
    }

    func testDisplayWidth() {
        XCTAssertEqual(TerminalWidth.columns(of: "Tỷ lệ"), 5)
        XCTAssertEqual(TerminalWidth.columns(of: "Tỷ lệ".decomposedStringWithCanonicalMapping), 5)
        XCTAssertEqual(TerminalWidth.columns(of: "Đơn vị"), 6)
        XCTAssertEqual(TerminalWidth.columns(of: "中文"), 4)
        XCTAssertEqual(TerminalWidth.columns(of: "a\u{1B}b"), 2)
    }

    func testNumberFormatsPerLanguage() {
        let vi = ReportLabels(language: .vi), en = ReportLabels(language: .en)
        XCTAssertEqual(vi.count(20000), "20.000")
        XCTAssertEqual(en.count(1234567), "1,234,567")
        XCTAssertEqual(vi.percent(13.0 / 24.0), "54,2%")
        XCTAssertEqual(en.percent(nil), "—")
        XCTAssertEqual(vi.change(0.05), "+5,0")
        XCTAssertEqual(en.change(-0.025), "-2.5")
        XCTAssertEqual(en.change(0), "0.0")
        XCTAssertEqual(CSVRenderer.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVRenderer.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVRenderer.field("line\r\nbreak"), "\"line\r\nbreak\"")
        XCTAssertEqual(CSVRenderer.field("plain"), "plain")
        XCTAssertEqual(htmlEscape("<a href='x'>&\"\u{1}"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;")
    }
}
