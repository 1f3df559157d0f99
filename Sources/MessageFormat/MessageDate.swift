import MailCore

/// A Date header's moment and the sender's local calendar date (RFC 5322 §3.3). SENTON/SENTBEFORE/
/// SENTSINCE compare the local date, "disregarding time and timezone" (RFC 3501 §6.4.4).
public struct MessageDate: Sendable, Hashable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    /// The zone as minutes east of UTC (`+0700` → 420); 0 for `-0000` and unknown zones.
    public var zoneOffsetMinutes: Int
    public var year: Int, month: Int, day: Int
    public var hour: Int, minute: Int, second: Int

    /// Days since 1970-01-01 of the local calendar date (handy for SENTON comparisons).
    public var localDayNumber: Int64 { MessageDate.daysFromCivil(year, month, day) }

    /// Parses `[day ","] dd mon yyyy hh:mm[:ss] zone`, tolerating obsolete forms: two- and three-digit
    /// years, named and military zones, comments, missing seconds, missing zone. nil when unreadable.
    public static func parse(_ text: String) -> MessageDate? {
        // Tokens: runs of letters or digits, and the signs that start a numeric zone.
        var tokens: [String] = []
        var cur = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth > 0 { continue }
            if ch.isASCII && (ch.isLetter || ch.isNumber) {
                if let l = cur.last, l.isNumber != ch.isNumber, !(cur.first == "+" || cur.first == "-") {
                    tokens.append(cur); cur = ""
                }
                cur.append(ch)
            } else {
                if !cur.isEmpty { tokens.append(cur); cur = "" }
                if ch == "+" || ch == "-" { cur = String(ch) }
                if ch == ":" { tokens.append(":") }
            }
            if tokens.count > 64 { return nil }
        }
        if !cur.isEmpty { tokens.append(cur) }

        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        var i = 0
        // Skip a day name.
        if i < tokens.count, let f = tokens[i].first, f.isLetter,
            !months.contains(String(tokens[i].lowercased().prefix(3)))
        {
            i += 1
        }
        guard i + 2 < tokens.count, let day = Int(tokens[i]), (1...31).contains(day) else { return nil }
        guard let month = months.firstIndex(of: String(tokens[i + 1].lowercased().prefix(3))).map({ $0 + 1 }) else {
            return nil
        }
        guard tokens[i + 2].count <= 4, var year = Int(tokens[i + 2]) else { return nil }
        let yearDigits = tokens[i + 2].count
        if yearDigits <= 2 { year += year < 50 ? 2000 : 1900 } else if yearDigits == 3 { year += 1900 }  // RFC 5322 §4.3
        i += 3
        var hour = 0, minute = 0, second = 0
        if i < tokens.count, let h = Int(tokens[i]), i + 2 < tokens.count, tokens[i + 1] == ":",
            let m = Int(tokens[i + 2])
        {
            hour = h; minute = m; i += 3
            if i + 1 < tokens.count, tokens[i] == ":", let s = Int(tokens[i + 1]) { second = s; i += 2 }
        }
        guard hour < 24, minute < 60, second <= 60, day <= daysInMonth(year, month) else { return nil }
        var zone = 0
        if i < tokens.count { zone = zoneMinutes(tokens[i]) }
        let days = daysFromCivil(year, month, day)
        let secs = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(zone * 60)
        return MessageDate(
            secondsSinceEpoch: secs, zoneOffsetMinutes: zone, year: year, month: month, day: day,
            hour: hour, minute: minute, second: second)
    }

    // zone = (("+" / "-") 4DIGIT) / obs-zone   — RFC 5322 §3.3, §4.3
    static func zoneMinutes(_ t: String) -> Int {
        if let sign = t.first, sign == "+" || sign == "-" {
            let digits = t.dropFirst()
            guard digits.count == 4, let v = Int(digits) else { return 0 }
            let minutes = (v / 100) * 60 + v % 100
            guard v / 100 < 24, v % 100 < 60 else { return 0 }
            return sign == "-" ? -minutes : minutes
        }
        switch t.uppercased() {
        case "EDT": return -4 * 60
        case "EST", "CDT": return -5 * 60
        case "CST", "MDT": return -6 * 60
        case "MST", "PDT": return -7 * 60
        case "PST": return -8 * 60
        default: return 0  // UT, GMT, Z and military zones (treated as -0000 per RFC 5322 §4.3)
        }
    }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func daysFromCivil(_ y: Int, _ m: Int, _ d: Int) -> Int64 { CivilDate.days(year: y, month: m, day: d) }
}
