/// Escapes text for XML or HTML element content and attribute values (`&`, `<`, `>`, `"`, `'`;
/// XML 1.0 §2.4, §3.3.3) and drops the characters XML 1.0 cannot carry at all (C0 controls other
/// than tab, LF and CR; U+FFFE, U+FFFF), so a document stays well-formed whatever a value holds.
public func markupEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default:
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0xFFFE || v == 0xFFFF { continue }
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}
