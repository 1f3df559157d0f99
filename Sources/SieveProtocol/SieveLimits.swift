/// Bounds on what one script may cost; the defaults suit a mail server's delivery path and
/// tests shrink them. Passed to the parser (size, nesting) and the evaluator (the rest).
public struct SieveLimits: Sendable, Equatable {
    /// Bytes of script source accepted (Pigeonhole's sieve_max_script_size is 1 MiB).
    public var maxScriptSize = 64 * 1024
    /// Nesting depth of blocks and tests (`if` in `if`, `not` in `anyof`).
    public var maxNesting = 32
    /// Actions one run may collect (fileinto, redirect, keep, vacation, …); Pigeonhole: 32.
    public var maxActions = 32
    /// Redirects one run may perform (each is a message sent out); Pigeonhole: 4.
    public var maxRedirects = 4
    /// Commands and tests evaluated in one run; a bound on the work, since Sieve has no loops.
    public var maxSteps = 10_000
    /// Shortest vacation period accepted; shorter `:days`/`:seconds` are raised to it (RFC 6131 §2).
    public var minVacationPeriod = 86_400
    /// Longest vacation period; longer ones are lowered to it.
    public var maxVacationPeriod = 60 * 86_400
    /// Default period when the script gives neither `:days` nor `:seconds` (RFC 5230 §4.1: 7 days).
    public var defaultVacationPeriod = 7 * 86_400
    /// Bytes of message body searched by the `body` test.
    public var maxBodyBytes = 1024 * 1024
    /// Characters a variable may hold (RFC 5229 §3 allows truncation).
    public var maxVariableLength = 4096

    public init() {}
}
