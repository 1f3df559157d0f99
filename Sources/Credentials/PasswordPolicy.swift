import MailCore

/// The rules a new password must meet (Config.passwords): a minimum length, and not the address.
public struct PasswordPolicy: Sendable {
    public let minLength: Int
    /// Upper bound in bytes, so nobody can make hashing arbitrarily slow.
    public static let maxBytes = 1024

    public init(minLength: Int) { self.minLength = minLength }

    public enum Violation: Error, Equatable, CustomStringConvertible {
        case tooShort(minimum: Int), tooLong(maximum: Int), sameAsAddress, containsControlCharacter
        public var description: String {
            switch self {
            case .tooShort(let m): return "the password is too short; use at least \(m) characters"
            case .tooLong(let m): return "the password is longer than \(m) bytes; choose a shorter one"
            case .sameAsAddress: return "the password must not be the address or its name part; choose another"
            case .containsControlCharacter:
                return "the password contains a control character (e.g. a line break); type it again"
            }
        }
    }

    /// Throws the first rule `password` breaks for `address`.
    public func validate(_ password: Secret, for address: EmailAddress) throws {
        let text = password.unsafeText
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw Violation.containsControlCharacter
        }
        if text.count < minLength { throw Violation.tooShort(minimum: minLength) }
        if password.byteCount > Self.maxBytes { throw Violation.tooLong(maximum: Self.maxBytes) }
        let lowered = text.lowercased()
        if lowered == address.key || lowered == address.localPart.lowercased() { throw Violation.sameAsAddress }
    }
}
