import CCrypt

/// Verifies hashes imported from other systems with the system's `crypt_r` (libxcrypt).
///
/// libxcrypt 4.4.33 on Debian 12 computes `$6$` (SHA512-CRYPT), `$5$` (SHA256-CRYPT),
/// `$2y$`/`$2b$`/`$2a$` (bcrypt, BLF-CRYPT), `$y$` (yescrypt), `$gy$` and `$7$` (scrypt);
/// we accept exactly those. MD5-CRYPT (`$1$`) and DES crypt are refused as too weak.
public enum CryptVerifier {
    /// Prefixes of the crypt(3) schemes we verify.
    public static let acceptedPrefixes = ["$6$", "$5$", "$2y$", "$2b$", "$2a$", "$y$", "$gy$", "$7$"]

    /// Schemes the system libcrypt actually computes, probed once (for `govmail config check` and reports).
    public static let supportedBySystem: [String] = {
        let probes: [(String, String)] = [
            ("$6$", "$6$saltsalt$"), ("$5$", "$5$saltsalt$"), ("$2y$", "$2y$05$abcdefghijklmnopqrstuu"),
            ("$2b$", "$2b$05$abcdefghijklmnopqrstuu"), ("$y$", "$y$j9T$abcdefghijklmnop$"),
            ("$gy$", "$gy$j9T$abcdefghijklmnop$"), ("$7$", "$7$CU..../....abcdefgh$"),
        ]
        return probes.compactMap { name, setting in
            guard let out = crypt(password: [0x70, 0x77], setting: setting), out.hasPrefix(name) else { return nil }
            return name
        }
    }()

    /// True when `hash` names an accepted crypt scheme.
    public static func accepts(_ hash: String) -> Bool { acceptedPrefixes.contains { hash.hasPrefix($0) } }

    /// Recomputes the hash with the stored setting and compares in constant time.
    public static func verify(_ password: [UInt8], hash: String) -> Bool? {
        guard accepts(hash), !password.contains(0) else { return accepts(hash) ? false : nil }
        guard let computed = crypt(password: password, setting: hash) else { return nil }
        return ConstantTime.equal(Array(computed.utf8), Array(hash.utf8))
    }

    /// `crypt_r` with a private buffer; nil when libcrypt refuses the setting (it returns `*0`/`*1`).
    static func crypt(password: [UInt8], setting: String) -> String? {
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer {
            // The buffer held the computed hash: wipe it before giving the memory back.
            UnsafeMutableRawPointer(data).initializeMemory(
                as: UInt8.self, repeating: 0,
                count: MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        UnsafeMutableRawPointer(data).initializeMemory(
            as: UInt8.self, repeating: 0, count: MemoryLayout<crypt_data>.size)
        let pw = password.map { CChar(bitPattern: $0) } + [0]
        guard let r = crypt_r(pw, setting, data) else { return nil }
        let out = String(cString: r)
        if out.hasPrefix("*") { return nil }
        return out
    }
}
