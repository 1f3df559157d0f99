/// A password or other credential whose text must never reach a log, an error or JSON output.
/// Its description is `<redacted>`; read the value only through `unsafeText`.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let storage: [UInt8]

    public init(_ text: String) { storage = Array(text.utf8) }
    public init(bytes: [UInt8]) { storage = bytes }

    /// The secret's bytes; the name warns callers that this is the escape hatch.
    public var unsafeBytes: [UInt8] { storage }
    /// The secret as UTF-8 text (invalid sequences repaired); for hashing and comparisons only.
    public var unsafeText: String { String(decoding: storage, as: UTF8.self) }
    public var isEmpty: Bool { storage.isEmpty }
    public var byteCount: Int { storage.count }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
