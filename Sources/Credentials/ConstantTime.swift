import COpenSSL

/// Byte comparison whose time does not depend on where the inputs differ.
public enum ConstantTime {
    /// True when `a` and `b` are equal; lengths are public (they are fixed by the scheme).
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }
}
