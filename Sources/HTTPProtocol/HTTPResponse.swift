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
    let secs = Int(epochSeconds.rounded(.down))
    let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
    let rem = secs - days * 86_400
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    let weekday = ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday
    let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
        "\(names[weekday]), \(two(day)) \(months[month - 1]) \(year) \(two(rem / 3600)):\(two(rem / 60 % 60)):\(two(rem % 60)) GMT"
}
