import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum RandomBytes {
    public enum Problem: Error, CustomStringConvertible {
        case generatorFailed
        public var description: String { "the system random generator failed; check OpenSSL and /dev/urandom" }
    }

    /// `count` random bytes.
    public static func make(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw Problem.generatorFailed }
        return out
    }
}
