import MailCore

/// Session ids that stay unique across restarts and across nodes: they end up in Message-IDs and
/// Received headers (`<sessionID>.<n>`), so a restart must never reuse one.
enum SMTPSessionID {
    /// Seconds since the epoch in base 36, 48 random bits, and the connection number.
    static func make(now: Double, connectionID: UInt64) -> String {
        var rng = SystemRandomNumberGenerator()
        let random = UInt64.random(in: 0..<(1 << 48), using: &rng)
        return String(UInt64(max(0, now)), radix: 36) + String(random, radix: 36) + "c" + String(connectionID, radix: 36)
    }
}
