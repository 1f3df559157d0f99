import COpenSSL

/// A TLS failure with a message that says what went wrong and, for configuration errors, what to do.
public struct TLSError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The certificate, key or settings could not be loaded (a startup error).
        case configuration
        /// The peer sent something that is not valid TLS, or the handshake failed.
        case protocolFailure
        /// The peer closed the transport without close_notify.
        case unexpectedEOF
    }
    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) { self.kind = kind; self.message = message }

    public var description: String { message }

    /// Builds an error from OpenSSL's per-thread error queue (which it empties).
    static func fromQueue(_ kind: Kind, _ context: String) -> TLSError {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buf = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buf, buf.count)
            reasons.append(String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return TLSError(kind, reasons.isEmpty ? context : "\(context): \(reasons.joined(separator: "; "))")
    }
}
