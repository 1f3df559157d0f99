/// Terminal display width of a string: one column per user-perceived character (so Vietnamese
/// letters count once whether precomposed or written with combining marks), two for East Asian
/// wide characters, none for control and format characters.
func displayWidth(_ text: String) -> Int {
    var width = 0
    for character in text {
        guard let first = character.unicodeScalars.first else { continue }
        let v = first.value
        if v < 0x20 || (0x7F...0x9F).contains(v) || first.properties.generalCategory == .format { continue }
        if first.properties.generalCategory == .nonspacingMark { continue }
        let wide =
            (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        width += wide ? 2 : 1
    }
    return width
}

/// A plain-text table whose columns line up in a terminal with Vietnamese text.
struct TextTable {
    enum Alignment { case left, right }
    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    func render() -> String {
        var widths = headers.map(displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, width) in widths.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let pad = String(repeating: " ", count: width - displayWidth(cell))
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
