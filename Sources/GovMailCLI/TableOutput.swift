import Foundation
import MailCore

/// Human output: aligned tables whose widths count what a terminal shows (Vietnamese letters with
/// combining marks take one cell, CJK two), and JSON for `--json`.
enum TableOutput {
    static func pad(_ s: String, to w: Int) -> String {
        s + String(repeating: " ", count: max(0, w - TerminalWidth.columns(of: s)))
    }

    /// Renders a header and rows as left-aligned columns separated by two spaces.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        var widths = header.map(TerminalWidth.columns(of:))
        for r in rows {
            for (i, cell) in r.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TerminalWidth.columns(of: cell))
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : pad(c, to: widths[i]) }.joined(separator: "  ")
        }
        var out = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// Prints a table, or a line saying the list is empty and what to do.
    static func print(_ header: [String], _ rows: [[String]], empty: String) {
        if rows.isEmpty { Console.out(empty) } else { Console.out(render(header, rows)) }
    }

    /// Prints `value` as pretty JSON with sorted keys.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Console.out(String(decoding: try e.encode(value), as: UTF8.self))
    }

    /// `2026-11-27 10:58` (UTC) for a Unix time.
    static func time(_ t: Int64) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(t))) + "Z"
    }

    /// `2.0 GiB`, `500 MiB`, `unlimited`.
    static func bytes(_ n: Int64) -> String {
        if n == 0 { return "unlimited" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var v = Double(n), i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return v == v.rounded() ? "\(Int(v)) \(units[i])" : String(format: "%.1f %@", v, units[i])
    }
}
