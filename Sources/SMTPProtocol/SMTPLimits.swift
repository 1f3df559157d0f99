/// Limits of one SMTP session, with documented defaults; tests shrink them.
public struct SMTPLimits: Sendable, Equatable {
    /// Longest command line in bytes, CRLF included. RFC 5321 §4.5.3.1.4 says 512; AUTH
    /// initial responses need more (RFC 4954 §4 allows 12288), so the configuration decides.
    public var lineLength = 8192
    /// Largest message accepted (advertised as SIZE, RFC 1870); larger ones get `552 5.3.4`.
    public var maxMessageSize = 36_700_160
    /// Recipients per transaction; more get `452 4.5.3` (RFC 5321 §4.5.3.1.8 requires ≥ 100).
    public var maxRecipients = 100
    /// Consecutive failed commands before `421 4.7.0` and close.
    public var errorBudget = 10
    /// Pipelined input held while outside work is pending; more is abuse (`421 4.7.0`).
    public var maxBufferedInput = 1 << 20

    public init(
        lineLength: Int = 8192, maxMessageSize: Int = 36_700_160, maxRecipients: Int = 100,
        errorBudget: Int = 10, maxBufferedInput: Int = 1 << 20
    ) {
        self.lineLength = lineLength
        self.maxMessageSize = maxMessageSize
        self.maxRecipients = maxRecipients
        self.errorBudget = errorBudget
        self.maxBufferedInput = maxBufferedInput
    }
}
