import COpenSSL
import MailCore

/// HMAC-SHA256 (RFC 2104) under a random key made at creation that exists only in this process's
/// memory: digests can be compared later in this process, but are worthless anywhere else.
public struct KeyedDigest: Sendable {
    public static let length = 32
    private let key: [UInt8]

    /// A digest function with a fresh 256-bit random key.
    public init() throws { key = try RandomBytes.make(32) }

    /// HMAC-SHA256 of `header` followed by the secret's bytes; the copy of the secret is wiped.
    public func digest(_ header: [UInt8], _ secret: Secret) -> [UInt8] {
        var message = header
        message.append(contentsOf: secret.unsafeBytes)
        defer { for i in message.indices { message[i] = 0 } }
        var out = [UInt8](repeating: 0, count: Self.length)
        var length: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                out.withUnsafeMutableBufferPointer { o in
                    _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, o.baseAddress, &length)
                }
            }
        }
        return out
    }
}
