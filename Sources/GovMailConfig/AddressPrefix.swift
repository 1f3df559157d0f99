#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IP address or prefix from an allow-list ("127.0.0.1", "::1", "10.0.0.0/8", "2001:db8::/32").
/// IPv4-mapped IPv6 peers ("::ffff:10.1.2.3") match IPv4 entries.
public struct AddressPrefix: Sendable, Equatable {
    let bytes: [UInt8]
    let bits: Int

    /// Nil when `text` is not an address or the prefix length does not fit it.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.parse(String(parts[0])) else { return nil }
        bytes = address
        if parts.count == 2 {
            guard let n = Int(parts[1]), (0...(address.count * 8)).contains(n) else { return nil }
            bits = n
        } else {
            bits = address.count * 8
        }
    }

    /// Whether `host` (an IP address as NetServer reports it) falls within this prefix.
    public func contains(_ host: String) -> Bool {
        guard var address = Self.parse(host) else { return false }
        if address.count == 16 && bytes.count == 4
            && address.prefix(12).elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255])
        {
            address = Array(address.suffix(4))
        }
        guard address.count == bytes.count else { return false }
        for i in 0..<bytes.count {
            let used = min(8, max(0, bits - i * 8))
            if used == 0 { break }
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - used))
            if address[i] & mask != bytes[i] & mask { return false }
        }
        return true
    }

    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
