/// Inline SVG charts for the HTML report; sizes are in a viewBox so they scale to any screen.
enum SVGCharts {
    struct Bar { var label: String; var share: Double?; var belowTarget: Bool }

    private static func f(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Horizontal bars, one per unit, as an HTML grid: the unit name is HTML text in its own column
    /// (its own line on a phone), wraps to at most two lines and carries the full name as a tooltip;
    /// each bar is a small SVG that stretches to the width left for it. The target label sits in a
    /// header row of its own, so it never collides with a bar or a name; the dashed target line runs
    /// through every row's track at the same position.
    static func shareBars(
        _ bars: [Bar], target: Double, title: String, targetLabel: String,
        percent: (Double?) -> String
    ) -> String {
        let e = htmlEscape
        let t = min(max(target, 0), 1)
        // Near either end a centred label would stick out of the track: anchor it at that end instead.
        let anchor = t < 0.15 ? "start" : t > 0.85 ? "end" : "middle"
        var html =
            "<div class=\"bars\" role=\"list\" aria-label=\"\(e(title))\" style=\"--target: \(f(t * 100))%\">"
        html +=
            "<div class=\"bars-head\" aria-hidden=\"true\"><div class=\"bar-track\"><span class=\"target-label \(anchor)\">"
            + "\(e(targetLabel)) \(e(percent(target)))</span></div></div>"
        for bar in bars {
            let share = percent(bar.share)
            let w = 1000 * min(max(bar.share ?? 0, 0), 1)
            html += "<div class=\"bar-row\(bar.belowTarget ? " below" : "")\" role=\"listitem\">"
            html += "<div class=\"bar-name\" title=\"\(e(bar.label)): \(e(share))\">\(e(bar.label))</div>"
            html +=
                "<div class=\"bar-track\"><svg xmlns=\"http://www.w3.org/2000/svg\" class=\"track\" viewBox=\"0 0 1000 14\" preserveAspectRatio=\"none\" aria-hidden=\"true\">"
            html +=
                "<rect class=\"\(bar.belowTarget ? "bar below" : "bar")\" x=\"0\" y=\"0\" width=\"\(f(w))\" height=\"14\"><title>\(e(bar.label)): \(e(share))</title></rect>"
            html += "</svg></div><div class=\"bar-value\">\(e(share))</div></div>"
        }
        html += "</div>"
        return html
    }

    /// The share per month as a line, with a dashed horizontal target line and 0–100% grid. The
    /// target's label sits in the right margin, past the last month, so it never covers a point.
    static func trendLine(
        _ points: [(label: String, share: Double?)], target: Double, title: String,
        targetLabel: String, percent: (Double?) -> String
    ) -> String {
        let width = 860.0, height = 300.0, left = 64.0, right = 118.0, top = 24.0, bottom = 40.0
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
            "<text class=\"target-label\" x=\"\(f(width - right + 10))\" y=\"\(f(y(target) + 4))\" text-anchor=\"start\">\(htmlEscape(targetLabel)) \(htmlEscape(percent(target)))</text>"
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
        // On a phone every other month label is hidden (CSS `.alternate`); the latest month always shows.
        for (i, p) in points.enumerated() {
            svg +=
                "<text class=\"axis month\((points.count - 1 - i) % 2 == 1 ? " alternate" : "")\" x=\"\(f(x(i)))\" y=\"\(f(height - bottom + 20))\" text-anchor=\"middle\">\(htmlEscape(p.label))</text>"
            if let s = p.share {
                svg +=
                    "<circle class=\"point\" cx=\"\(f(x(i)))\" cy=\"\(f(y(s)))\" r=\"4\"><title>\(htmlEscape(p.label)): \(htmlEscape(percent(s)))</title></circle>"
            }
        }
        svg += "</svg>"
        return svg
    }
}
