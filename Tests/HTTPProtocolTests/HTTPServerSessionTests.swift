import HTTPProtocol
import MailCore
import XCTest

final class HTTPServerSessionTests: XCTestCase {
    func text(_ actions: [HTTPServerSession.Action]) -> String {
        actions.compactMap { if case .send(let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }.joined()
    }

    func testKeepAliveAnswersPipelinedRequestsInOrder() {
        var session = HTTPServerSession()
        var input = ByteQueue(Array("GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .handle(let first)? = session.receive(&input).first else { return XCTFail("no first request") }
        XCTAssertEqual(first.path, "/a")
        XCTAssertEqual(session.receive(&input), [], "the second waits for the first answer")
        let a = session.respond(.text(.ok, "one"))
        XCTAssertEqual(a.count, 1, "kept open")
        XCTAssertEqual(
            text(a), "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 4\r\n\r\none\n")
        guard case .handle(let second)? = session.receive(&input).first else { return XCTFail("no second request") }
        XCTAssertEqual(second.method, "HEAD")
        let b = session.respond(.text(.ok, "two"))
        XCTAssertTrue(text(b).hasSuffix("Content-Length: 4\r\n\r\n"), "HEAD keeps the length, drops the body")
    }

    func testConnectionCloseAndHTTP10() {
        var session = HTTPServerSession()
        var input = ByteQueue(
            Array("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        _ = session.receive(&input)
        let actions = session.respond(.text(.ok, "x"))
        XCTAssertEqual(actions.last, .close)
        XCTAssertTrue(text(actions).contains("Connection: close\r\n"))
        XCTAssertEqual(session.receive(&input), [], "nothing is read after close")

        var old = HTTPServerSession()
        var input10 = ByteQueue(Array("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n".utf8))
        _ = old.receive(&input10)
        XCTAssertEqual(old.respond(.text(.ok, "x")).count, 1, "HTTP/1.0 keep-alive honoured")
    }

    func testFramingErrorIsAnsweredAndCloses() {
        var session = HTTPServerSession()
        var input = ByteQueue(
            Array("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        let actions = session.receive(&input)
        XCTAssertEqual(actions.last, .close)
        XCTAssertTrue(text(actions).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        XCTAssertTrue(text(actions).contains("Connection: close"))
        XCTAssertTrue(input.isEmpty)
    }

    func testPartialRequestIsReported() {
        let session = HTTPServerSession()
        XCTAssertTrue(session.hasPartialRequest(ByteQueue(Array("GET / HT".utf8))))
        XCTAssertFalse(session.hasPartialRequest(ByteQueue()))
    }

    func testResponseHeadersCannotBeSplit() {
        let r = HTTPResponse(status: .ok, headers: HTTPHeaders([("X", "a\r\nSet-Cookie: evil")]))
        XCTAssertEqual(
            String(decoding: r.encoded(keepAlive: true), as: UTF8.self),
            "HTTP/1.1 200 OK\r\nX: a  Set-Cookie: evil\r\nContent-Length: 0\r\n\r\n")
    }

    func testHTTPDate() {
        XCTAssertEqual(httpDate(epochSeconds: 784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT")
        XCTAssertEqual(httpDate(epochSeconds: 0), "Thu, 01 Jan 1970 00:00:00 GMT")
        XCTAssertEqual(httpDate(epochSeconds: 1_709_164_800), "Thu, 29 Feb 2024 00:00:00 GMT")
    }

    func testExpectContinueIsAnsweredOnceBeforeTheBody() {
        var session = HTTPServerSession()
        var input = ByteQueue(
            Array("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n".utf8))
        XCTAssertEqual(text(session.receive(&input)), "HTTP/1.1 100 Continue\r\n\r\n")
        XCTAssertEqual(session.receive(&input), [], "only once")
        input.append(Array("hello".utf8))
        guard case .handle(let r)? = session.receive(&input).first else { return XCTFail("no request") }
        XCTAssertEqual(r.body, Array("hello".utf8))
        var plain = HTTPServerSession()
        var get = ByteQueue(Array("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n".utf8))
        guard case .handle? = plain.receive(&get).first else { return XCTFail("a GET without a body is just answered") }
    }
}
