import XCTest
@testable import MailCore

final class ByteQueueTests: XCTestCase {
    func testAppendConsumeAndFind() {
        var q = ByteQueue()
        q.append(Array("EHLO x\r\nMAIL".utf8))
        XCTAssertEqual(q.firstIndex(of: 13), 6)
        XCTAssertEqual(q.consume(8), Array("EHLO x\r\n".utf8))
        XCTAssertEqual(q.count, 4)
        XCTAssertNil(q.firstIndex(of: 13))
        q.append(Array(" FROM:<>\r\n".utf8))
        XCTAssertEqual(q.firstIndex(of: 13), 12)
        XCTAssertEqual(q.firstIndex(of: UInt8(ascii: ":")), 9)
        q.discard(q.count)
        XCTAssertTrue(q.isEmpty)
    }

    func testCompactionKeepsContent() {
        var q = ByteQueue()
        var expected: [UInt8] = []
        for i in 0..<10_000 {
            let chunk = Array("line \(i)\r\n".utf8)
            q.append(chunk); expected.append(contentsOf: chunk)
            if i % 3 == 0 { let n = min(5, q.count); q.discard(n); expected.removeFirst(n) }
        }
        XCTAssertEqual(Array(q.readable), expected)
    }
}

final class SASLTests: XCTestCase {
    func testPlain() throws {
        let c = try SASL.decodePlain(Base64.encode(Array("\0an@x.vn\0mật khẩu".utf8)))
        XCTAssertEqual(c.username, "an@x.vn")
        XCTAssertEqual(c.authorizationIdentity, "")
        XCTAssertEqual(c.password.unsafeText, "mật khẩu")
    }

    func testPlainFailures() {
        XCTAssertThrowsError(try SASL.decodePlain("*")) { XCTAssertEqual($0 as? SASL.Problem, .cancelled) }
        XCTAssertThrowsError(try SASL.decodePlain("!!!!")) { XCTAssertEqual($0 as? SASL.Problem, .notBase64) }
        XCTAssertThrowsError(try SASL.decodePlain(Base64.encode(Array("user-only".utf8)))) {
            XCTAssertEqual($0 as? SASL.Problem, .malformed)
        }
        XCTAssertThrowsError(try SASL.decodePlain(Base64.encode(Array("\0user\0".utf8)))) {
            XCTAssertEqual($0 as? SASL.Problem, .malformed)
        }
    }

    func testBase64RoundTripAndStrictness() {
        for s in ["", "f", "fo", "foo", "foob", "fooba", "foobar", "Tiếng Việt"] {
            XCTAssertEqual(Base64.decode(Base64.encode(Array(s.utf8))), Array(s.utf8))
        }
        XCTAssertEqual(Base64.encode(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertNil(Base64.decode("Zm9vYmF"))
        XCTAssertNil(Base64.decode("Zm9v YmFy"))
        XCTAssertEqual(Base64.decodeMIME(Array("Zm9v\r\nYmFy".utf8)), Array("foobar".utf8))
    }
}
