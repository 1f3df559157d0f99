/// Why a request could not be framed. The server answers `status` with `message` and closes the
/// connection: after a framing error the byte stream can no longer be trusted to be in sync, which
/// is also what keeps request smuggling out (RFC 9112 §6.3, §11.2).
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    /// Plain text for the client that says what was wrong; never echoes request bytes.
    public let message: String

    public init(_ status: HTTPStatus, _ message: String) { self.status = status; self.message = message }
    public var description: String { "\(status): \(message)" }

    static func bad(_ message: String) -> HTTPParseError { HTTPParseError(.badRequest, message) }
}
