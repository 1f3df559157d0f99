/// An IMAP unique identifier (RFC 3501 §2.3.1.1): non-zero, strictly ascending within a UIDVALIDITY.
public struct UID: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let value: UInt32
    public init(_ value: UInt32) { self.value = value }
    public init(integerLiteral value: UInt32) { self.value = value }
    public var description: String { String(value) }
    public static func < (a: UID, b: UID) -> Bool { a.value < b.value }
}
