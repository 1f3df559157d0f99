/// Terminal display width, the one table for every aligned text output (CLI tables, text
/// reports): one column per user-perceived character, so Vietnamese letters count once whether
/// precomposed or written with combining marks; two for East Asian wide characters and emoji;
/// none for control, format and combining characters.
public enum TerminalWidth {
    /// Columns one character occupies.
    public static func columns(_ character: Character) -> Int {
        guard let first = character.unicodeScalars.first else { return 0 }
        let v = first.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return 0 }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        // East Asian Wide/Fullwidth blocks (Hangul, CJK, fullwidth forms) and emoji.
        let wide =
            (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v)
        return wide ? 2 : 1
    }

    /// Columns a string occupies.
    public static func columns(of text: String) -> Int { text.reduce(0) { $0 + columns($1) } }
}
