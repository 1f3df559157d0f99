/// A FETCH BODY[section] specifier (RFC 3501 §6.4.5): a part path and an optional text part.
public struct SectionSpec: Sendable, Hashable {
    /// What follows the part numbers.
    public enum Text: Sendable, Hashable {
        case header
        case headerFields([String])
        case headerFieldsNot([String])
        case text
        /// The MIME header of the addressed part; needs at least one part number.
        case mime
    }

    /// Part numbers, 1-based; empty for the whole message.
    public var part: [Int]
    public var text: Text?

    public init(part: [Int] = [], text: Text? = nil) {
        self.part = part
        self.text = text
    }
}

/// The content of a section: a range of the original message bytes (no copy), or bytes built for the
/// answer (HEADER.FIELDS picks fields out of the header).
public enum SectionContent: Sendable, Hashable {
    case range(Range<Int>)
    case bytes([UInt8])

    /// The section's bytes taken from the message they were parsed from.
    public func bytes(in message: [UInt8]) -> ArraySlice<UInt8> {
        switch self {
        case .range(let r):
            let c = r.clamped(to: 0..<message.count)
            return message[c]
        case .bytes(let b): return b[...]
        }
    }
}

extension MessageStructure {
    /// Resolves part numbers as RFC 3501 §6.4.5 does: numbers index a multipart's parts; after a
    /// message/rfc822 part they continue inside the encapsulated message; a non-multipart message
    /// body is part 1. nil when the path names no part.
    public func part(at path: [Int]) -> MessagePart? {
        var current = root
        var atMessageTop = true  // `current` is the top-level entity of a message
        for (k, n) in path.enumerated() {
            if k > 0, let inner = current.encapsulated, !atMessageTop {
                current = inner.message.root
                atMessageTop = true
            }
            if current.contentType.isMultipart && !current.parts.isEmpty {
                guard n >= 1, n <= current.parts.count else { return nil }
                current = current.parts[n - 1]
                atMessageTop = false
            } else {
                // A part that is not multipart has only part 1: itself. Like Dovecot, `.1` is allowed
                // below any such part, so BODY[3.1.1] still names the text of an attached message
                // whose body is a single part.
                guard n == 1 else { return nil }
                atMessageTop = false
            }
        }
        return current
    }

    /// The message (top level or encapsulated) whose header and text a HEADER/TEXT section refers to.
    private func message(at path: [Int]) -> MessageStructure? {
        if path.isEmpty { return self }
        return part(at: path)?.encapsulated?.message
    }

    /// The bytes a BODY[section] fetch returns, as a range of the original bytes where possible; nil
    /// when the section does not exist (the caller answers with an empty string, as RFC 3501 allows).
    public func content(of section: SectionSpec) -> SectionContent? {
        switch section.text {
        case nil:
            if section.part.isEmpty { return .range(range) }
            guard let p = part(at: section.part) else { return nil }
            return .range(p.bodyRange)
        case .mime:
            guard !section.part.isEmpty, let p = part(at: section.part) else { return nil }
            return .range(p.headerRange)
        case .header:
            guard let m = message(at: section.part) else { return nil }
            return .range(m.root.headerRange)
        case .text:
            guard let m = message(at: section.part) else { return nil }
            return .range(m.root.bodyRange)
        case .headerFields(let names):
            guard let m = message(at: section.part) else { return nil }
            return .bytes(m.header.fieldBytes(names))
        case .headerFieldsNot(let names):
            guard let m = message(at: section.part) else { return nil }
            return .bytes(m.header.fieldBytes(names, excluding: true))
        }
    }
}
