import MailCore

/// Session ids that stay unique across restarts and across nodes: they end up in Message-IDs and
/// Received headers (`<sessionID>.<n>`), so a restart must never reuse one.
enum SMTPSessionID {
    /// Seconds since the epoch in base 36, 48 random bits (always 10 digits, so the parts cannot
    /// shift into each other), and the connection number.
    static func make(now: Double, connectionID: UInt64) -> String {
        var rng = SystemRandomNumberGenerator()
        let random = String(UInt64.random(in: 0..<(1 << 48), using: &rng), radix: 36)
        let padded = String(repeating: "0", count: max(0, 10 - random.count)) + random
        return String(UInt64(max(0, now)), radix: 36) + padded + "c" + String(connectionID, radix: 36)
    }
}
