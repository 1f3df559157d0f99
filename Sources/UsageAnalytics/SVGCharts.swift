/// Inline SVG charts for the HTML report; sizes are in a viewBox so they scale to any screen.
enum SVGCharts {
    struct Bar { var label: String; var share: Double?; var belowTarget: Bool }

    private static func f(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Horizontal bars, one per unit, each under its label (so a phone needs no sideways scrolling),
    /// with a dashed vertical line at the target share.
    static func shareBars(
        _ bars: [Bar], target: Double, title: String, targetLabel: String,
        percent: (Double?) -> String
    ) -> String {
        let width = 480.0, barArea = 410.0, rowHeight = 38.0, top = 22.0
        let height = top + rowHeight * Double(bars.count) + 6
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart bars\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(htmlEscape(title))\">"
        svg += "<title>\(htmlEscape(title))</title>"
        for (i, bar) in bars.enumerated() {
            let y = top + rowHeight * Double(i)
            let label = bar.label.count > 60 ? String(bar.label.prefix(59)) + "…" : bar.label
            svg += "<text class=\"label\" x=\"0\" y=\"\(f(y + 15))\">\(htmlEscape(label))</text>"
            let w = barArea * min(max(bar.share ?? 0, 0), 1)
            svg +=
                "<rect class=\"\(bar.belowTarget ? "bar below" : "bar")\" x=\"0\" y=\"\(f(y + 21))\" width=\"\(f(w))\" height=\"12\"/>"
            svg +=
                "<text class=\"value\" x=\"\(f(w + 5))\" y=\"\(f(y + 32))\">\(htmlEscape(percent(bar.share)))</text>"
        }
        let tx = barArea * min(max(target, 0), 1)
        svg +=
            "<line class=\"target\" x1=\"\(f(tx))\" y1=\"\(f(top - 4))\" x2=\"\(f(tx))\" y2=\"\(f(height - 2))\"/>"
        svg +=
            "<text class=\"target-label\" x=\"\(f(tx))\" y=\"\(f(top - 8))\" text-anchor=\"middle\">\(htmlEscape(targetLabel)) \(htmlEscape(percent(target)))</text>"
        svg += "</svg>"
        return svg
    }

    /// The share per month as a line, with a dashed horizontal target line and 0–100% grid.
    static func trendLine(
        _ points: [(label: String, share: Double?)], target: Double, title: String,
        targetLabel: String, percent: (Double?) -> String
    ) -> String {
        let width = 800.0, height = 300.0, left = 50.0, right = 20.0, top = 20.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ i: Int) -> Double {
            left + (points.count > 1 ? plotW * Double(i) / Double(points.count - 1) : plotW / 2)
        }
        func y(_ share: Double) -> Double { top + plotH * (1 - min(max(share, 0), 1)) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart trend\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(htmlEscape(title))\">"
        svg += "<title>\(htmlEscape(title))</title>"
        for step in 0...4 {
            let share = Double(step) / 4
            svg +=
                "<line class=\"grid\" x1=\"\(f(left))\" y1=\"\(f(y(share)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(share)))\"/>"
            svg +=
                "<text class=\"axis\" x=\"\(f(left - 6))\" y=\"\(f(y(share) + 4))\" text-anchor=\"end\">\(Int(share * 100))%</text>"
        }
        svg +=
            "<line class=\"target\" x1=\"\(f(left))\" y1=\"\(f(y(target)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(target)))\"/>"
        svg +=
            "<text class=\"target-label\" x=\"\(f(width - right))\" y=\"\(f(y(target) - 5))\" text-anchor=\"end\">\(htmlEscape(targetLabel)) \(htmlEscape(percent(target)))</text>"
        // Months without staff have no share: the line is broken there rather than drawn through zero.
        var segment: [String] = []
        var lines: [String] = []
        for (i, p) in points.enumerated() {
            if let s = p.share {
                segment.append("\(f(x(i))),\(f(y(s)))")
            } else if !segment.isEmpty {
                lines.append(segment.joined(separator: " ")); segment = []
            }
        }
        if !segment.isEmpty { lines.append(segment.joined(separator: " ")) }
        for l in lines { svg += "<polyline class=\"line\" points=\"\(l)\"/>" }
        for (i, p) in points.enumerated() {
            svg +=
                "<text class=\"axis\" x=\"\(f(x(i)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(htmlEscape(p.label))</text>"
            if let s = p.share {
                svg +=
                    "<circle class=\"point\" cx=\"\(f(x(i)))\" cy=\"\(f(y(s)))\" r=\"4\"><title>\(htmlEscape(p.label)): \(htmlEscape(percent(s)))</title></circle>"
            }
        }
        svg += "</svg>"
        return svg
    }
}
