/// The parts of a request target (RFC 9112 §3.2): a decoded path and query parameters.
public struct HTTPTarget: Sendable, Equatable {
    /// Percent-decoded path; always starts with "/".
    public let path: String
    public let query: HTTPQuery

    /// Parses origin-form ("/a/b?x=1") and absolute-form ("http://host/a?x=1"); nil when neither,
    /// when percent-encoding is broken, or when the path decodes to a NUL or invalid UTF-8.
    public init?(_ target: String) {
        var rest = Substring(target)
        if rest.hasPrefix("http://") || rest.hasPrefix("https://") {
            rest = rest.drop { $0 != ":" }.dropFirst(3)
            guard let slash = rest.firstIndex(of: "/") else {
                // "http://host" alone means the root (RFC 9112 §3.2.2).
                if rest.contains("?") { return nil }
                path = "/"; query = HTTPQuery(); return
            }
            rest = rest[slash...]
        }
        guard rest.hasPrefix("/") else { return nil }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let decoded = percentDecode(parts[0], plusIsSpace: false), !decoded.contains("\0") else { return nil }
        path = decoded
        if parts.count == 2 {
            guard let q = HTTPQuery(parsing: parts[1]) else { return nil }
            query = q
        } else {
            query = HTTPQuery()
        }
    }

    /// "Mail.Example.VN:443" → "mail.example.vn"; "[::1]:80" → "::1".
    static func hostWithoutPort(_ host: String) -> String {
        var h = Substring(host)
        if h.hasPrefix("["), let close = h.firstIndex(of: "]") {
            h = h[h.index(after: h.startIndex)..<close]
        } else if let colon = h.lastIndex(of: ":") {
            h = h[..<colon]
        }
        return asciiLowercased(String(h))
    }
}

/// Query parameters decoded as application/x-www-form-urlencoded ("a=b&c=d"), in order.
public struct HTTPQuery: Sendable, Equatable {
    public private(set) var items: [(name: String, value: String)] = []
    public init() {}

    /// Nil when a percent escape is broken or decodes to invalid UTF-8 or NUL.
    public init?(parsing text: Substring) {
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(kv[0], plusIsSpace: true),
                let value = percentDecode(kv.count == 2 ? kv[1] : "", plusIsSpace: true),
                !name.contains("\0"), !value.contains("\0")
            else { return nil }
            items.append((name: name, value: value))
        }
    }

    /// The first value of `name`; names compare case-insensitively (Outlook sends "Email", others "email").
    public subscript(name: String) -> String? {
        items.first { asciiLowercased($0.name) == asciiLowercased(name) }?.value
    }

    public static func == (a: HTTPQuery, b: HTTPQuery) -> Bool {
        a.items.count == b.items.count
            && zip(a.items, b.items).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// Decodes %XX escapes (and "+" as space in forms); nil for a broken escape or invalid UTF-8.
func percentDecode(_ s: Substring, plusIsSpace: Bool) -> String? {
    var out: [UInt8] = []
    out.reserveCapacity(s.utf8.count)
    var it = s.utf8.makeIterator()
    while let b = it.next() {
        if b == UInt8(ascii: "%") {
            guard let h = it.next().flatMap(hexValue), let l = it.next().flatMap(hexValue) else { return nil }
            out.append(h << 4 | l)
        } else if b == UInt8(ascii: "+") && plusIsSpace {
            out.append(32)
        } else {
            out.append(b)
        }
    }
    return String(validating: out, as: UTF8.self)
}

func hexValue(_ b: UInt8) -> UInt8? {
    switch b {
    case 48...57: b - 48
    case 65...70: b - 55
    case 97...102: b - 87
    default: nil
    }
}
