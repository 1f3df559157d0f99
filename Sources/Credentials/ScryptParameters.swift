/// scrypt cost parameters (RFC 7914 §2): N = 2^logN, block size r, parallelism p.
public struct ScryptParameters: Sendable, Equatable, CustomStringConvertible {
    public var logN: Int
    public var r: Int
    public var p: Int

    /// The configured defaults: N = 2^15, r = 8, p = 1 (about 32 MiB per hash).
    public init(logN: Int = 15, r: Int = 8, p: Int = 1) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    public var n: UInt64 { 1 << UInt64(logN) }

    /// Memory one hash needs; OpenSSL refuses N ≥ 2^15 unless maxmem is given (its default is 32 MiB).
    public var maxMemory: UInt64 {
        let rr = UInt64(r), pp = UInt64(p)
        return 128 * rr * (n + 2) + 128 * rr * pp + (1 << 20)
    }

    public var isValid: Bool { (1...30).contains(logN) && (1...64).contains(r) && (1...16).contains(p) }

    /// `ln=15,r=8,p=1`, the form stored in hashes.
    public var description: String { "ln=\(logN),r=\(r),p=\(p)" }

    /// Parses `ln=15,r=8,p=1`.
    public init?(stored: Substring) {
        var values: [Substring: Int] = [:]
        for part in stored.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, let v = Int(kv[1]) else { return nil }
            values[kv[0]] = v
        }
        guard let ln = values["ln"], let r = values["r"], let p = values["p"], values.count == 3 else { return nil }
        self.init(logN: ln, r: r, p: p)
        guard isValid else { return nil }
    }
}
