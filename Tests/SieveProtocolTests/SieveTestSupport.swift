import SieveProtocol

/// A message for the table tests: header lines joined by CRLF, a blank line, a body.
func sieveMessage(
    _ headers: [String], body: String = "Hello\r\n", from: String = "sender@example.vn",
    to: String = "chuyenvien@tinh.gov.vn"
) -> SieveMessage {
    SieveMessage(
        bytes: Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8), envelopeFrom: from,
        envelopeTo: to)
}

/// 2026-12-04 11:06:40 UTC.
let testNow: Int64 = 1_796_382_400

func runScript(
    _ source: String, on message: SieveMessage, now: Int64 = testNow, limits: SieveLimits = SieveLimits()
) throws -> SieveOutcome {
    let script = try SieveScript.compile(source, limits: limits)
    return try SieveEvaluator(limits: limits, now: now, zoneOffsetMinutes: 420).run(script, on: message)
}

extension SieveOutcome {
    /// Folder names stored into, in order.
    var folders: [String] { deliveries.map(\.mailbox) }
}
