/// Writes the standard Sieve script behind `govmail vacation set`, so any ManageSieve client
/// (Roundcube, Thunderbird) sees and can edit an ordinary vacation rule (RFC 5230, RFC 5260 dates).
public struct VacationScript: Sendable, Equatable {
    /// First and last day ("2026-12-01"), inclusive, in the server's time zone; nil: open-ended.
    public var firstDay: String?
    public var lastDay: String?
    public var subject: String
    public var message: String
    public var days: Int
    /// The script that was active before, re-activated by `vacation off`.
    public var previousActive: String?

    public static let previousActiveMarker = "# govmail-previous-active: "

    public init(
        firstDay: String?, lastDay: String?, subject: String, message: String, days: Int, previousActive: String?
    ) {
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.subject = subject
        self.message = message
        self.days = days
        self.previousActive = previousActive
    }

    /// True for "YYYY-MM-DD" with a plausible month and day.
    public static func isDay(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard digits.allSatisfy({ (48...57).contains(b[$0]) }) else { return false }
        let month = Int(b[5] - 48) * 10 + Int(b[6] - 48), day = Int(b[8] - 48) * 10 + Int(b[9] - 48)
        return (1...12).contains(month) && (1...31).contains(day)
    }

    public var source: String {
        var lines = ["# Out-of-office reply written by `govmail vacation set`; `govmail vacation off` removes it."]
        if let previousActive, !previousActive.contains("\n") {
            lines.append(Self.previousActiveMarker + previousActive)
        }
        var tests: [String] = []
        if let firstDay { tests.append("currentdate :value \"ge\" \"date\" \(Self.quoted(firstDay))") }
        if let lastDay { tests.append("currentdate :value \"le\" \"date\" \(Self.quoted(lastDay))") }
        lines.append(tests.isEmpty ? "require \"vacation\";" : "require [\"vacation\", \"date\", \"relational\"];")
        let action = "vacation :days \(days) :subject \(Self.quoted(subject)) \(Self.quoted(message));"
        if tests.isEmpty {
            lines.append(action)
        } else {
            lines.append("if allof (" + tests.joined(separator: ",\n          ") + ") {")
            lines.append("    " + action)
            lines.append("}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The name recorded by `source` as active before, if any.
    public static func previousActive(in source: String) -> String? {
        for line in source.split(separator: "\n") where line.hasPrefix(previousActiveMarker) {
            let name = String(line.dropFirst(previousActiveMarker.count))
            return name.isEmpty ? nil : name
        }
        return nil
    }

    /// A Sieve quoted string (RFC 5228 §2.4.2): `"` and `\` escaped; line breaks kept.
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
