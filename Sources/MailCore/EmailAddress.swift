/// A mailbox address `local@domain` (RFC 5321 §4.1.2 Mailbox), with an SMTPUTF8-capable local part.
///
/// The domain is lowercased. The local part keeps its case for display and delivery, but
/// `key` (lowercased whole address) is what uniqueness and lookups use, as users expect.
public struct EmailAddress: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public let localPart: String
    public let domain: Domain

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case missingAt, emptyLocalPart, localPartTooLong, badLocalPart(String), badDomain(String), tooLong
        public var description: String {
            switch self {
            case .missingAt: return "the address has no @; write it as name@domain"
            case .emptyLocalPart: return "the part before @ is empty"
            case .localPartTooLong: return "the part before @ is longer than 64 bytes"
            case .badLocalPart(let s): return "the part before @ contains a character that is not allowed: \(s)"
            case .badDomain(let why): return "the domain is not valid: \(why)"
            case .tooLong: return "the address is longer than 254 bytes"
            }
        }
    }

    /// Characters allowed in a dot-atom local part besides letters and digits (RFC 5322 atext).
    private static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// Parses `local@domain` in dot-atom form; quoted local parts are refused (staff addresses never need them).
    public init(_ text: String) throws {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count <= 254 else { throw Problem.tooLong }
        guard let at = trimmed.lastIndex(of: "@") else { throw Problem.missingAt }
        let local = String(trimmed[trimmed.startIndex..<at])
        let domainText = String(trimmed[trimmed.index(after: at)...])
        guard !local.isEmpty else { throw Problem.emptyLocalPart }
        guard local.utf8.count <= 64 else { throw Problem.localPartTooLong }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") { throw Problem.badLocalPart(".") }
        for scalar in local.unicodeScalars {
            let v = scalar.value
            let ok =
                (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
                || v == 0x2E || (v < 0x80 && Self.atextSpecials.contains(UInt8(v))) || v >= 0x80
            if !ok { throw Problem.badLocalPart(String(scalar)) }
        }
        do { domain = try Domain(domainText) } catch let p as Domain.Problem {
            throw Problem.badDomain(p.description)
        }
        localPart = local
    }

    public init(localPart: String, domain: Domain) throws {
        try self.init("\(localPart)@\(domain.name)")
    }

    /// The address as written for display and in envelopes.
    public var description: String { "\(localPart)@\(domain.name)" }
    /// The lookup key: unique without regard to case.
    public var key: String { description.lowercased() }

    public static func == (a: EmailAddress, b: EmailAddress) -> Bool { a.key == b.key }
    public func hash(into h: inout Hasher) { h.combine(key) }
    public static func < (a: EmailAddress, b: EmailAddress) -> Bool { a.key < b.key }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        try self.init(try c.decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (no Foundation needed).
    public func trimmingASCIIWhitespace() -> String {
        let ws: Set<Character> = [" ", "\t", "\r", "\n", "\r\n"]
        var s = Substring(self)
        while let f = s.first, ws.contains(f) { s.removeFirst() }
        while let l = s.last, ws.contains(l) { s.removeLast() }
        return String(s)
    }
}
