/// Bounds on one HTTP request; tests shrink them. The defaults fit autoconfig, autodiscover and
/// scrape requests with room to spare and keep a hostile client's memory cost small.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line, CRLF included (RFC 9112 §3 suggests supporting at least 8000 octets).
    public var requestLineLength = 8192
    /// Most header fields in one request (trailer fields of a chunked body count too).
    public var headerCount = 64
    /// Largest header section, request line and final empty line included (431 past it, RFC 6585 §5).
    public var headerBytes = 16_384
    /// Largest body, after chunked decoding (413 past it, RFC 9110 §15.5.14).
    public var bodyBytes = 65_536
    /// Longest chunk-size line including chunk extensions (RFC 9112 §7.1.1).
    public var chunkLineLength = 256

    public init() {}
}
