import GovMailTestSupport
import HTTPProtocol
import MailCore
import XCTest

/// Table tests for the request parser: success, incomplete, refusal and limit cases, each fed whole,
/// one byte at a time and in odd splits (the outcome must not depend on how bytes arrive).
final class HTTPRequestParserTests: XCTestCase {
    enum Outcome: Equatable {
        case request(HTTPRequest, rest: Int)
        case incomplete
        case refused(Int)
    }

    /// Parses `text` every way; all splits must agree.
    func outcome(_ text: String, limits: HTTPLimits = HTTPLimits(), file: StaticString = #filePath, line: UInt = #line)
        -> Outcome
    {
        let bytes = Array(text.utf8)
        let outcomes = ChunkingVerifier.outcomes(of: bytes) { Self.simple($0, limits: limits) }
        for o in outcomes.dropFirst() {
            XCTAssertEqual(
                o, outcomes[0], "split-dependent outcome for \(text.debugDescription)", file: file, line: line)
        }
        return outcomes[0]
    }

    /// Feeds chunks and reports the first request (with how many bytes were left), a refusal, or incomplete.
    static func simple(_ chunks: [[UInt8]], limits: HTTPLimits) -> Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var queue = ByteQueue()
        for (i, chunk) in chunks.enumerated() {
            queue.append(chunk)
            do {
                if let r = try parser.next(&queue) {
                    let later = chunks[(i + 1)...].reduce(0) { $0 + $1.count }
                    return .request(r, rest: queue.count + later)
                }
            } catch {
                return .refused(error.status.code)
            }
        }
        return .incomplete
    }

    func request(_ method: String, _ target: String, _ headers: [(String, String)], body: String = "") -> HTTPRequest {
        HTTPRequest(
            method: method, target: target, version: .http1_1, headers: HTTPHeaders(headers), body: Array(body.utf8))
    }

    func testSimpleGet() {
        XCTAssertEqual(
            outcome(
                "GET /mail/config-v1.1.xml?emailaddress=an%40so.gov.vn HTTP/1.1\r\nHost: autoconfig.so.gov.vn\r\n\r\n"),
            .request(
                request("GET", "/mail/config-v1.1.xml?emailaddress=an%40so.gov.vn", [("Host", "autoconfig.so.gov.vn")]),
                rest: 0))
    }

    func testHeaderValuesAreTrimmedAndLeadingEmptyLinesIgnored() {
        XCTAssertEqual(
            outcome("\r\nGET / HTTP/1.1\r\nHost:  x \t\r\nAccept-Language: vi, en;q=0.5\r\n\r\n"),
            .request(request("GET", "/", [("Host", "x"), ("Accept-Language", "vi, en;q=0.5")]), rest: 0))
    }

    func testContentLengthBodyAndPipelinedRest() {
        let text =
            "POST /autodiscover/autodiscover.xml HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
            + "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        XCTAssertEqual(
            outcome(text),
            .request(
                request(
                    "POST", "/autodiscover/autodiscover.xml", [("Host", "h"), ("Content-Length", "5")], body: "hello"),
                rest: 27))
    }

    func testChunkedBodyWithExtensionAndTrailer() {
        let text =
            "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\n"
        XCTAssertEqual(
            outcome(text),
            .request(
                request("POST", "/x", [("Host", "h"), ("Transfer-Encoding", "chunked")], body: "hello world"), rest: 0))
    }

    func testHTTP10WithoutHost() {
        guard case .request(let r, _) = outcome("GET / HTTP/1.0\r\n\r\n") else { return XCTFail("not parsed") }
        XCTAssertEqual(r.version, .http1_0)
        XCTAssertFalse(r.keepAlive)
    }

    func testIncomplete() {
        XCTAssertEqual(outcome("GET / HTTP/1.1\r\nHost: h\r\n"), .incomplete)
        XCTAssertEqual(outcome("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc"), .incomplete)
        XCTAssertEqual(outcome("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), .incomplete)
        XCTAssertEqual(outcome("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"), .incomplete)
    }

    func testRefusals() {
        let table: [(String, Int, String)] = [
            ("GET / HTTP/1.1\nHost: h\n\n", 400, "bare LF"),
            ("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n", 400, "bare CR"),
            ("GET / HTTP/1.1\r\n\r\n", 400, "HTTP/1.1 without Host"),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Hosts"),
            ("GET / HTTP/1.1\r\nHost: h\r\nX-Long: a\r\n b\r\n\r\n", 400, "obsolete folding"),
            ("GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400, "space before colon"),
            ("GET / HTTP/1.1\r\nHost h\r\n\r\n", 400, "no colon"),
            ("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "double space in request line"),
            ("GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505, "HTTP/2 over text"),
            ("GET / FOO\r\nHost: h\r\n\r\n", 400, "no version"),
            ("G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400, "method not a token"),
            ("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{01}b\r\n\r\n", 400, "control character in a value"),
            // Smuggling: every ambiguous length is refused.
            (
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
                "CL and TE"
            ),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", 400,
                "TE and CL"
            ),
            ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400, "two lengths"),
            ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 6\r\n\r\nhello!", 400, "a length list"),
            ("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +5\r\n\r\nhello", 400, "signed length"),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400,
                "chunked twice"
            ),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 400,
                "chunked not last"
            ),
            ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "unknown coding"),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501,
                "gzip then chunked"
            ),
            ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "TE in HTTP/1.0"),
            ("POST / HTTP/1.1\r\nHost: h\r\n\r\n", 411, "POST without a length"),
            ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "chunk size not hex"),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n", 400,
                "chunk longer than its size"
            ),
            (
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n", 400,
                "chunk line with bare LF"
            ),
        ]
        for (text, status, why) in table {
            XCTAssertEqual(outcome(text), .refused(status), why)
        }
    }

    func testLimits() {
        var limits = HTTPLimits()
        limits.requestLineLength = 64; limits.headerBytes = 256; limits.headerCount = 3; limits.bodyBytes = 10
        XCTAssertEqual(
            outcome("GET /" + String(repeating: "a", count: 80) + " HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits),
            .refused(414))
        XCTAssertEqual(
            outcome("GET /" + String(repeating: "a", count: 80), limits: limits), .refused(414), "no CRLF yet")
        XCTAssertEqual(
            outcome("GET / HTTP/1.1\r\nHost: h\r\nX: " + String(repeating: "b", count: 300), limits: limits),
            .refused(431))
        XCTAssertEqual(
            outcome("GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits: limits), .refused(431))
        XCTAssertEqual(
            outcome("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", limits: limits), .refused(413))
        XCTAssertEqual(
            outcome(
                "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\n", limits: limits),
            .refused(413))
        XCTAssertEqual(
            outcome("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFF\r\n", limits: limits),
            .refused(400),
            "a chunk size past 8 hex digits")
        // Just under the limits still parses.
        guard
            case .request = outcome(
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)
        else {
            return XCTFail("a body at the limit was refused")
        }
    }

    func testTargetDecoding() {
        let t = HTTPTarget("/mail/config-v1.1.xml?emailaddress=an%40so.gov.vn&x=a+b")
        XCTAssertEqual(t?.path, "/mail/config-v1.1.xml")
        XCTAssertEqual(t?.query["EmailAddress"], "an@so.gov.vn")
        XCTAssertEqual(t?.query["x"], "a b")
        XCTAssertEqual(HTTPTarget("http://autoconfig.so.gov.vn/mail/config-v1.1.xml")?.path, "/mail/config-v1.1.xml")
        XCTAssertEqual(
            HTTPTarget("/%2e%2e/etc/passwd")?.path, "/../etc/passwd", "decoded, but never used as a file path")
        XCTAssertNil(HTTPTarget("/a?x=%zz"), "broken escape")
        XCTAssertNil(HTTPTarget("/a%00b"), "NUL")
        XCTAssertNil(HTTPTarget("/a%ff"), "invalid UTF-8")
        XCTAssertNil(HTTPTarget("*"))
        let r = HTTPRequest(
            method: "GET", target: "/", version: .http1_1, headers: HTTPHeaders([("Host", "Mail.Example.VN:8443")]))
        XCTAssertEqual(r.hostName, "mail.example.vn")
    }
}
