import COpenSSL

/// The OpenSSL key-derivation functions behind our password hashes.
enum KeyDerivation {
    struct Failed: Error, CustomStringConvertible {
        let function: String
        var description: String { "OpenSSL \(function) failed; check the hash parameters and available memory" }
    }

    /// scrypt (RFC 7914) through EVP_PBE_scrypt with an explicit memory limit.
    static func scrypt(_ password: [UInt8], salt: [UInt8], _ params: ScryptParameters, length: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        // A trailing NUL keeps the buffer non-empty; its length is passed explicitly.
        let padded = password.map { CChar(bitPattern: $0) } + [0]
        let rc = padded.withUnsafeBufferPointer { pw in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    EVP_PBE_scrypt(
                        pw.baseAddress, password.count, s.baseAddress, s.count,
                        params.n, UInt64(params.r), UInt64(params.p), params.maxMemory,
                        o.baseAddress, length)
                }
            }
        }
        guard rc == 1 else { throw Failed(function: "EVP_PBE_scrypt") }
        return out
    }

    /// PBKDF2-HMAC-SHA512 (RFC 8018 §5.2), the fallback when scrypt is unavailable.
    static func pbkdf2SHA512(_ password: [UInt8], salt: [UInt8], iterations: Int, length: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: length)
        let padded = password.map { CChar(bitPattern: $0) } + [0]
        let rc = padded.withUnsafeBufferPointer { pw in
            salt.withUnsafeBufferPointer { s in
                out.withUnsafeMutableBufferPointer { o in
                    PKCS5_PBKDF2_HMAC(
                        pw.baseAddress, Int32(password.count), s.baseAddress, Int32(s.count),
                        Int32(iterations), EVP_sha512(), Int32(length), o.baseAddress)
                }
            }
        }
        guard rc == 1 else { throw Failed(function: "PKCS5_PBKDF2_HMAC") }
        return out
    }
}
