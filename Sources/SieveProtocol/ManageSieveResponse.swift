/// ManageSieve responses and their wire form (RFC 5804 §1.3, §4).
public enum ManageSieveResponse: Sendable, Equatable {
    case ok(code: String? = nil, _ text: String? = nil)
    case no(code: String? = nil, _ text: String? = nil)
    case bye(code: String? = nil, _ text: String? = nil)
    /// A data line before the final response: strings, separated by spaces (CAPABILITY, LISTSCRIPTS).
    case line([ManageSieveString])
    /// A SASL challenge: one string on its own line.
    case challenge([UInt8])

    public var encoded: [UInt8] {
        switch self {
        case .ok(let code, let text): Self.status("OK", code, text)
        case .no(let code, let text): Self.status("NO", code, text)
        case .bye(let code, let text): Self.status("BYE", code, text)
        case .line(let items): items.map(\.encoded).joined(separator: [UInt8(ascii: " ")]).map { $0 } + [13, 10]
        case .challenge(let bytes): ManageSieveString.quotedOrLiteral(bytes).encoded + [13, 10]
        }
    }

    private static func status(_ word: String, _ code: String?, _ text: String?) -> [UInt8] {
        var out = Array(word.utf8)
        if let code { out += Array(" (\(code))".utf8) }
        if let text { out += [UInt8(ascii: " ")] + ManageSieveString.quotedOrLiteral(Array(text.utf8)).encoded }
        return out + [13, 10]
    }
}

/// A string on the wire: the encoder, not the caller, picks quoted or literal.
public enum ManageSieveString: Sendable, Equatable {
    case atom(String)
    case quoted([UInt8])
    case literal([UInt8])

    /// Quoted unless it holds CR, LF or NUL or is long (RFC 5804 §4: quoted strings are for short text).
    public static func quotedOrLiteral(_ bytes: [UInt8]) -> ManageSieveString {
        bytes.count <= 1024 && !bytes.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 })
            ? .quoted(bytes) : .literal(bytes)
    }

    public static func text(_ s: String) -> ManageSieveString { quotedOrLiteral(Array(s.utf8)) }

    public var encoded: [UInt8] {
        switch self {
        case .atom(let a): return Array(a.utf8)
        case .quoted(let b):
            var out: [UInt8] = [34]
            for c in b {
                if c == 34 || c == 92 { out.append(92) }
                out.append(c)
            }
            return out + [34]
        case .literal(let b): return Array("{\(b.count)}\r\n".utf8) + b
        }
    }
}
