import MailCore

/// A response to encode (RFC 9112 §4). The encoder adds Content-Length and Connection itself.
public struct HTTPResponse: Sendable, Equatable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status; self.headers = headers; self.body = body
    }

    /// A body with its media type, e.g. "application/xml; charset=utf-8".
    public init(status: HTTPStatus = .ok, contentType: String, body: [UInt8], headers: [(String, String)] = []) {
        self.status = status
        self.headers = HTTPHeaders([("Content-Type", contentType)] + headers)
        self.body = body
    }

    /// A short plain-text answer that says what went wrong and what to do.
    public static func text(_ status: HTTPStatus, _ message: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8),
            headers: headers)
    }

    /// The bytes on the wire. `headOnly` leaves the body out but keeps its length (RFC 9110 §9.3.2);
    /// header values lose any CR or LF so nothing can split the response.
    public func encoded(keepAlive: Bool, headOnly: Bool = false, date: String? = nil) -> [UInt8] {
        var out = "HTTP/1.1 \(status.code) \(status.reason)\r\n"
        if let date { out += "Date: \(date)\r\n" }
        for (name, value) in headers.fields {
            var safe = String.UnicodeScalarView()
            for u in value.unicodeScalars { safe.append(u == "\r" || u == "\n" ? " " : u) }
            out += "\(name): \(String(safe))\r\n"
        }
        if status.code != 204 && status.code >= 200 { out += "Content-Length: \(body.count)\r\n" }
        out += keepAlive ? "" : "Connection: close\r\n"
        out += "\r\n"
        return Array(out.utf8) + (headOnly ? [] : body)
    }
}

/// IMF-fixdate for a Date header (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
public func httpDate(epochSeconds: Double) -> String {
    let t = UTCDateTime(epochSeconds: epochSeconds)
    let two = UTCDateTime.twoDigits
    return "\(CivilDate.weekdayNames[t.weekday]), \(two(t.day)) \(CivilDate.monthNames[t.month - 1]) \(t.year) "
        + "\(two(t.hour)):\(two(t.minute)):\(two(t.second)) GMT"
}
