/// Escapes text for XML element content and attribute values (XML 1.0 §2.4, §2.3): every value the
/// documents here carry goes through it, and characters XML 1.0 cannot carry at all are dropped.
func xmlEscaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for u in text.unicodeScalars {
        switch u {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\t", "\n", "\r": out.unicodeScalars.append(u)
        case _ where u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF: continue
        default: out.unicodeScalars.append(u)
        }
    }
    return out
}
