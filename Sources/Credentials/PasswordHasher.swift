import MailCore

/// Hashes new passwords (scrypt, or PBKDF2-SHA512 as fallback) and verifies stored hashes of every
/// scheme we accept, telling the caller when a hash should be upgraded after a successful login.
///
/// Stored forms (the scheme and its parameters travel with the hash, so parameters can rise later):
/// - `$scrypt$ln=15,r=8,p=1$<salt base64>$<key base64>` (RFC 7914; 16-byte salt, 32-byte key)
/// - `$pbkdf2-sha512$i=210000$<salt base64>$<key base64>` (RFC 8018)
/// - imported crypt(3) hashes, bare or with Dovecot's `{SHA512-CRYPT}`, `{SHA256-CRYPT}`,
///   `{BLF-CRYPT}` or `{CRYPT}` prefix (see `CryptVerifier`).
public struct PasswordHasher: PasswordVerifying {
    /// The scheme new hashes use.
    public enum Scheme: String, Sendable { case scrypt, pbkdf2SHA512 = "pbkdf2-sha512" }

    public let scheme: Scheme
    public let scrypt: ScryptParameters
    public let pbkdf2Iterations: Int

    static let saltLength = 16
    static let keyLength = 32

    public init(
        scheme: Scheme = .scrypt, scrypt: ScryptParameters = ScryptParameters(), pbkdf2Iterations: Int = 210_000
    ) {
        self.scheme = scheme
        self.scrypt = scrypt
        self.pbkdf2Iterations = pbkdf2Iterations
    }

    /// The hasher the configuration asks for; falls back to PBKDF2-SHA512 when this OpenSSL cannot run scrypt.
    public static func configured(logN: Int, r: Int, p: Int) -> PasswordHasher {
        let params = ScryptParameters(logN: logN, r: r, p: p)
        let probe = ScryptParameters(logN: 4, r: 1, p: 1)
        if (try? KeyDerivation.scrypt([0x61], salt: [0x62], probe, length: 8)) != nil {
            return PasswordHasher(scheme: .scrypt, scrypt: params)
        }
        return PasswordHasher(scheme: .pbkdf2SHA512, scrypt: params)
    }

    /// One-line summary of what new hashes cost, e.g. `scrypt N=2^15 r=8 p=1 (33 MiB)`.
    public var parameterSummary: String {
        switch scheme {
        case .scrypt: return "scrypt N=2^\(scrypt.logN) r=\(scrypt.r) p=\(scrypt.p) (\(scrypt.maxMemory >> 20) MiB)"
        case .pbkdf2SHA512: return "pbkdf2-sha512 i=\(pbkdf2Iterations)"
        }
    }

    /// A new salted hash of `password` in the current scheme.
    public func hash(_ password: Secret) throws -> String {
        let salt = try RandomBytes.make(Self.saltLength)
        switch scheme {
        case .scrypt:
            let key = try KeyDerivation.scrypt(password.unsafeBytes, salt: salt, scrypt, length: Self.keyLength)
            return "$scrypt$\(scrypt)$\(Base64.encode(salt))$\(Base64.encode(key))"
        case .pbkdf2SHA512:
            let key = try KeyDerivation.pbkdf2SHA512(
                password.unsafeBytes, salt: salt, iterations: pbkdf2Iterations,
                length: Self.keyLength)
            return "$pbkdf2-sha512$i=\(pbkdf2Iterations)$\(Base64.encode(salt))$\(Base64.encode(key))"
        }
    }

    public func check(_ password: Secret, against storedHash: String) -> PasswordCheck {
        guard let parsed = Self.parse(storedHash) else { return .unsupportedScheme }
        let ok: Bool
        let current: Bool
        switch parsed {
        case .scrypt(let params, let salt, let key):
            guard let computed = try? KeyDerivation.scrypt(password.unsafeBytes, salt: salt, params, length: key.count)
            else { return .unsupportedScheme }
            ok = ConstantTime.equal(computed, key)
            current = scheme == .scrypt && params == scrypt
        case .pbkdf2(let iterations, let salt, let key):
            guard
                let computed = try? KeyDerivation.pbkdf2SHA512(
                    password.unsafeBytes, salt: salt,
                    iterations: iterations, length: key.count)
            else { return .unsupportedScheme }
            ok = ConstantTime.equal(computed, key)
            current = scheme == .pbkdf2SHA512 && iterations >= pbkdf2Iterations
        case .crypt(let hash):
            guard let result = CryptVerifier.verify(password.unsafeBytes, hash: hash) else { return .unsupportedScheme }
            ok = result
            current = false
        case .unknown:
            return .unsupportedScheme
        }
        guard ok else { return .mismatch }
        if current { return .match(upgradedHash: nil) }
        return .match(upgradedHash: try? hash(password))
    }

    public func checkDummy(_ password: Secret) {
        switch scheme {
        case .scrypt:
            _ = try? KeyDerivation.scrypt(
                password.unsafeBytes, salt: Array(repeating: 0x5A, count: Self.saltLength),
                scrypt, length: Self.keyLength)
        case .pbkdf2SHA512:
            _ = try? KeyDerivation.pbkdf2SHA512(
                password.unsafeBytes, salt: Array(repeating: 0x5A, count: Self.saltLength),
                iterations: pbkdf2Iterations, length: Self.keyLength)
        }
    }

    enum Parsed {
        case scrypt(ScryptParameters, salt: [UInt8], key: [UInt8])
        case pbkdf2(iterations: Int, salt: [UInt8], key: [UInt8])
        case crypt(String)
        case unknown
    }

    /// Dovecot scheme prefixes whose payload is a crypt(3) string.
    static let dovecotCryptPrefixes = ["{SHA512-CRYPT}", "{SHA256-CRYPT}", "{BLF-CRYPT}", "{CRYPT}"]

    static func parse(_ stored: String) -> Parsed? {
        var text = stored
        if text.hasPrefix("{") {
            guard let prefix = dovecotCryptPrefixes.first(where: { text.uppercased().hasPrefix($0) }) else {
                return .unknown
            }
            text = String(text.dropFirst(prefix.count))
            return CryptVerifier.accepts(text) ? .crypt(text) : .unknown
        }
        let parts = text.split(separator: "$", omittingEmptySubsequences: false)
        if parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" {
            guard let params = ScryptParameters(stored: parts[2]), let salt = Base64.decode(String(parts[3])),
                let key = Base64.decode(String(parts[4])), !salt.isEmpty, key.count >= 16
            else { return nil }
            return .scrypt(params, salt: salt, key: key)
        }
        if parts.count == 5, parts[0].isEmpty, parts[1] == "pbkdf2-sha512" {
            guard parts[2].hasPrefix("i="), let i = Int(parts[2].dropFirst(2)), (1_000...10_000_000).contains(i),
                let salt = Base64.decode(String(parts[3])), let key = Base64.decode(String(parts[4])),
                !salt.isEmpty, key.count >= 16
            else { return nil }
            return .pbkdf2(iterations: i, salt: salt, key: key)
        }
        if CryptVerifier.accepts(text) { return .crypt(text) }
        return .unknown
    }
}
