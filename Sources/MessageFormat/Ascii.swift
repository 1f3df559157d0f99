/// Byte constants and small ASCII helpers shared by the parsers of this module.
enum Ascii {
    static let cr: UInt8 = 13, lf: UInt8 = 10, space: UInt8 = 32, tab: UInt8 = 9
    static let colon = UInt8(ascii: ":"), semicolon = UInt8(ascii: ";"), equals = UInt8(ascii: "=")
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), dash = UInt8(ascii: "-")
    static let openParen = UInt8(ascii: "("), closeParen = UInt8(ascii: ")")
    static let question = UInt8(ascii: "?"), underscore = UInt8(ascii: "_"), star = UInt8(ascii: "*")

    static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }
    static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == tab || b == cr || b == lf }
    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 48...57: return b - 48
        case 65...70: return b - 55
        case 97...102: return b - 87
        default: return nil
        }
    }

    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        return zip(x, y).allSatisfy { lower($0) == lower($1) }
    }

    static func trimmingBlanks(_ bytes: [UInt8]) -> [UInt8] {
        var s = bytes.startIndex, e = bytes.endIndex
        while s < e && isWhitespace(bytes[s]) { s += 1 }
        while e > s && isWhitespace(bytes[e - 1]) { e -= 1 }
        return s == bytes.startIndex && e == bytes.endIndex ? bytes : Array(bytes[s..<e])
    }

    static func lowercased(_ bytes: some Sequence<UInt8>) -> String {
        String(decoding: bytes.map(lower), as: UTF8.self)
    }
}
