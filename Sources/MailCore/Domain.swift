/// A mail domain, stored lowercased (RFC 5321 §2.4: domains are case-insensitive).
public struct Domain: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let name: String

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty, tooLong, badLabel(String)
        public var description: String {
            switch self {
            case .empty: return "the domain is empty"
            case .tooLong: return "the domain is longer than 253 characters"
            case .badLabel(let l):
                return
                    "the domain label \"\(l)\" is not valid (use letters, digits and hyphens, 1–63 characters, no leading or trailing hyphen)"
            }
        }
    }

    /// Parses a DNS domain name (letters, digits, hyphens; A-labels for IDN), lowercasing it.
    public init(_ text: String) throws {
        var t = text.lowercased()
        if t.hasSuffix(".") { t.removeLast() }
        guard !t.isEmpty else { throw Problem.empty }
        guard t.utf8.count <= 253 else { throw Problem.tooLong }
        for label in t.split(separator: ".", omittingEmptySubsequences: false) {
            let ok =
                !label.isEmpty && label.utf8.count <= 63
                && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
                && label.first != "-" && label.last != "-"
            if !ok { throw Problem.badLabel(String(label)) }
        }
        name = t
    }

    public var description: String { name }
    public static func < (a: Domain, b: Domain) -> Bool { a.name < b.name }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(try c.decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(name)
    }
}
