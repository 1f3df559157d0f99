import MailCore

/// A plain-text table whose columns line up in a terminal with Vietnamese text.
struct TextTable {
    enum Alignment { case left, right }
    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    func render() -> String {
        var widths = headers.map(TerminalWidth.columns(of:))
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], TerminalWidth.columns(of: cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, width) in widths.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: width - TerminalWidth.columns(of: cell))
                parts.append(alignments[i] == .right ? pad + cell : cell + pad)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}

/// Removes control characters so text from the directory cannot move the terminal cursor.
func terminalSafe(_ text: String) -> String {
    String(
        String.UnicodeScalarView(
            text.unicodeScalars.filter { s in
                !(s.value < 0x20 || (0x7F...0x9F).contains(s.value))
            }))
}
