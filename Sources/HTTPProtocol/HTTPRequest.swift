/// HTTP protocol versions this server speaks (RFC 9112 §2.3).
public enum HTTPVersion: String, Sendable, Equatable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
}

/// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
public struct HTTPHeaders: Sendable, Equatable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init() {}
    public init(_ fields: [(String, String)]) { self.fields = fields.map { (name: $0.0, value: $0.1) } }

    public mutating func add(_ name: String, _ value: String) { fields.append((name: name, value: value)) }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { asciiLowercased($0.name) == asciiLowercased(name) }.map(\.value)
    }
    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? { values(name).first }

    /// The comma-separated list elements of every `name` field, trimmed and lowercased (RFC 9110 §5.6.1).
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }
            .map { asciiLowercased(trimOWS(Substring($0))) }.filter { !$0.isEmpty }
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }

    public static func == (a: HTTPHeaders, b: HTTPHeaders) -> Bool {
        a.fields.count == b.fields.count
            && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}

/// One complete request as framed by `HTTPRequestParser` (body already de-chunked).
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target as sent (origin-form "/path?query", or absolute-form).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders, body: [UInt8] = []) {
        self.method = method; self.target = target; self.version = version; self.headers = headers; self.body = body
    }

    /// Whether the client wants the connection kept open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let connection = headers.tokens("Connection")
        switch version {
        case .http1_1: return !connection.contains("close")
        case .http1_0: return connection.contains("keep-alive")
        }
    }

    /// The path of the target, before "?", percent-decoded; nil when it is not valid.
    public var path: String? { HTTPTarget(target)?.path }
    /// The query parameters of the target (form-decoded); empty when there is none or it is not valid.
    public var query: HTTPQuery { HTTPTarget(target)?.query ?? HTTPQuery() }
    /// The Host header without its port, lowercased.
    public var hostName: String? {
        guard let host = headers["Host"] else { return nil }
        return HTTPTarget.hostWithoutPort(host)
    }
}

func asciiLowercased(_ s: String) -> String {
    String(decoding: s.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
}

func trimOWS(_ s: Substring) -> String {
    var u = s.utf8[...]
    while let f = u.first, f == 32 || f == 9 { u = u.dropFirst() }
    while let l = u.last, l == 32 || l == 9 { u = u.dropLast() }
    return String(decoding: u, as: UTF8.self)
}
