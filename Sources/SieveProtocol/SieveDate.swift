import MailCore

/// Date parts of the date extension (RFC 5260 §4.2), computed from a moment and a zone offset
/// without Foundation's calendars (the module takes the clock and zone it is given).
enum SieveDate {
    static let parts = [
        "year", "month", "day", "date", "julian", "hour", "minute", "second", "time", "iso8601", "std11", "zone",
        "weekday",
    ]

    /// "+0700" → 420, "-0130" → -90; nil when malformed.
    static func parseZone(_ text: String) -> Int? {
        let s = Array(text.utf8)
        guard s.count == 5, s[0] == UInt8(ascii: "+") || s[0] == UInt8(ascii: "-"),
            s[1...].allSatisfy({ (48...57).contains($0) })
        else { return nil }
        let hh = Int(s[1] - 48) * 10 + Int(s[2] - 48), mm = Int(s[3] - 48) * 10 + Int(s[4] - 48)
        guard hh <= 23, mm <= 59 else { return nil }
        return (s[0] == UInt8(ascii: "-") ? -1 : 1) * (hh * 60 + mm)
    }

    /// The value of `part` for `seconds` since the epoch seen in a zone `offsetMinutes` east of UTC.
    static func value(_ part: String, seconds: Int64, offsetMinutes: Int) -> String {
        let local = seconds + Int64(offsetMinutes) * 60
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = Int(local - days * 86_400)
        let (y, m, d) = CivilDate.date(fromDays: days)
        let hh = secondOfDay / 3600, mi = secondOfDay % 3600 / 60, ss = secondOfDay % 60
        let zone =
            (offsetMinutes < 0 ? "-" : "+") + pad(abs(offsetMinutes) / 60, 2) + pad(abs(offsetMinutes) % 60, 2)
        let weekday = CivilDate.weekday(ofDays: days)
        switch part {
        case "year": return pad(y, 4)
        case "month": return pad(m, 2)
        case "day": return pad(d, 2)
        case "date": return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        case "julian": return String(days + 40_587)  // Modified Julian Day of 1970-01-01 is 40587
        case "hour": return pad(hh, 2)
        case "minute": return pad(mi, 2)
        case "second": return pad(ss, 2)
        case "time": return "\(pad(hh, 2)):\(pad(mi, 2)):\(pad(ss, 2))"
        case "iso8601":
            let z = offsetMinutes == 0 ? "Z" : zone.prefix(3) + ":" + zone.suffix(2)
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mi, 2)):\(pad(ss, 2))\(z)"
        case "std11":
            return
                "\(CivilDate.weekdayNames[weekday]), \(d) \(CivilDate.monthNames[m - 1]) \(pad(y, 4)) \(pad(hh, 2)):\(pad(mi, 2)):\(pad(ss, 2)) \(zone)"
        case "zone": return zone
        case "weekday": return String(weekday)
        default: return ""
        }
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
