import MailCore

/// Random initial passwords that are easy to read aloud and type (no 0/O, 1/l/I).
public enum PasswordGenerator {
    static let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")

    /// A password of `length` characters (~5.8 bits each; 16 characters ≈ 93 bits).
    public static func generate(length: Int = 16) throws -> Secret {
        var chars: [Character] = []
        chars.reserveCapacity(length)
        // Rejection sampling keeps every character equally likely.
        let limit = UInt8(256 - 256 % alphabet.count)
        while chars.count < length {
            for b in try RandomBytes.make(length * 2) where b < limit && chars.count < length {
                chars.append(alphabet[Int(b) % alphabet.count])
            }
        }
        return Secret(String(chars))
    }
}
