/// The outcome of checking a password against a stored hash.
public enum PasswordCheck: Sendable, Equatable {
    /// The password is right; `upgradedHash` is set when the stored hash used an older scheme or
    /// weaker parameters and should be replaced by this one (upgrade on login).
    case match(upgradedHash: String?)
    /// The password is wrong.
    case mismatch
    /// The stored hash names a scheme this system cannot verify (never matches).
    case unsupportedScheme
}

/// Checks passwords against stored hashes; lets the directory verify logins without importing
/// the hashing module (Credentials implements it).
public protocol PasswordVerifying: Sendable {
    /// Checks `password` against `storedHash` in time that does not depend on where they differ.
    func check(_ password: Secret, against storedHash: String) -> PasswordCheck
    /// Spends the same work as one check, for logins to unknown or disabled accounts.
    func checkDummy(_ password: Secret)
}
