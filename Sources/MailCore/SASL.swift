/// SASL credential decoding shared by SMTP AUTH (RFC 4954) and IMAP AUTHENTICATE (RFC 3501 §6.2.2).
public enum SASL {
    public struct PlainCredentials: Sendable, Equatable {
        public let authorizationIdentity: String
        public let username: String
        public let password: Secret
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notBase64, malformed, cancelled
        public var description: String {
            switch self {
            case .notBase64: return "the credentials are not valid base64"
            case .malformed: return "the PLAIN credentials must be authzid NUL user NUL password"
            case .cancelled: return "authentication cancelled by the client"
            }
        }
    }

    /// Decodes a base64 PLAIN response: `[authzid] NUL authcid NUL passwd` (RFC 4616 §2).
    public static func decodePlain(_ base64: String) throws -> PlainCredentials {
        if base64 == "*" { throw Problem.cancelled }
        guard let raw = Base64.decode(base64) else { throw Problem.notBase64 }
        let parts = raw.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty else { throw Problem.malformed }
        return PlainCredentials(
            authorizationIdentity: String(decoding: parts[0], as: UTF8.self),
            username: String(decoding: parts[1], as: UTF8.self),
            password: Secret(bytes: Array(parts[2])))
    }

    /// Decodes one base64 step of AUTH LOGIN (the username or the password).
    public static func decodeLoginStep(_ base64: String) throws -> [UInt8] {
        if base64 == "*" { throw Problem.cancelled }
        guard let raw = Base64.decode(base64) else { throw Problem.notBase64 }
        return raw
    }
}
