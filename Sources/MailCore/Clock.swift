/// A source of "now" injected into state machines, so timeouts are decisions tests can drive
/// with a manual clock instead of sleeping.
public protocol MailClock: Sendable {
    /// Seconds since the Unix epoch.
    func now() -> Double
}
