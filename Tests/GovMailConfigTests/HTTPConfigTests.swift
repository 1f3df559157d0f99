import GovMailConfig
import XCTest

final class HTTPConfigTests: XCTestCase {
    func testHTTPAndMetricsSectionsLoad() throws {
        let c = try ConfigLoader.parse(
            """
            listeners:
              - protocol: http
                address: 127.0.0.1
                port: 8080
                tls: none
            http:
              request_timeout: 5
              idle_timeout: 30
              requests_per_minute: 20
              max_header_size: 8192
              max_body_size: 4096
            metrics:
              enabled: true
              allow: [10.0.0.0/8, "::1"]
            """, file: "t.yaml")
        XCTAssertEqual(c.listeners.first?.protocol, .http)
        XCTAssertEqual(c.listeners.first?.name, "http")
        XCTAssertEqual(c.http.requestTimeout, 5)
        XCTAssertEqual(c.http.requestsPerMinute, 20)
        XCTAssertEqual(c.http.maxBodySize, 4096)
        XCTAssertTrue(c.metrics.enabled)
        XCTAssertEqual(c.metrics.allow, ["10.0.0.0/8", "::1"])
    }

    func testDefaultsAreOffAndLoopback() throws {
        let c = try ConfigLoader.parse("", file: "t.yaml")
        XCTAssertFalse(c.metrics.enabled)
        XCTAssertEqual(c.metrics.allow, ["127.0.0.1", "::1"])
        XCTAssertEqual(c.http.requestTimeout, 10)
    }

    func testBadValuesSayWhatToFix() {
        XCTAssertThrowsError(try ConfigLoader.parse("metrics:\n  allow: [everyone]\n", file: "t.yaml")) { e in
            XCTAssertTrue("\(e)".contains("metrics.allow"), "\(e)")
            XCTAssertTrue("\(e)".contains("10.0.0.0/8"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigLoader.parse("http:\n  request_timeout: 0\n", file: "t.yaml"))
        XCTAssertThrowsError(try ConfigLoader.parse("http:\n  profile_signing_certificate: a.pem\n", file: "t.yaml")) {
            e in
            XCTAssertTrue("\(e)".contains("or neither"), "\(e)")
        }
        XCTAssertThrowsError(try ConfigLoader.parse("http:\n  unknown_key: 1\n", file: "t.yaml"))
        XCTAssertThrowsError(
            try ConfigLoader.parse(
                "listeners:\n  - protocol: http\n    address: 0.0.0.0\n    port: 80\n    tls: none\n", file: "t.yaml"),
            "plaintext http only on loopback")
    }

    func testAddressPrefixes() {
        let net = AddressPrefix("10.0.0.0/8")!
        XCTAssertTrue(net.contains("10.20.30.40"))
        XCTAssertTrue(net.contains("::ffff:10.1.2.3"), "IPv4-mapped IPv6 peer")
        XCTAssertFalse(net.contains("11.0.0.1"))
        XCTAssertFalse(net.contains("::1"))
        XCTAssertTrue(AddressPrefix("127.0.0.1")!.contains("127.0.0.1"))
        XCTAssertFalse(AddressPrefix("127.0.0.1")!.contains("127.0.0.2"))
        XCTAssertTrue(AddressPrefix("2001:db8::/32")!.contains("2001:db8:1::5"))
        XCTAssertFalse(AddressPrefix("2001:db8::/32")!.contains("2001:db9::5"))
        XCTAssertTrue(AddressPrefix("192.168.1.0/23")!.contains("192.168.0.7"))
        XCTAssertFalse(AddressPrefix("192.168.1.0/24")!.contains("192.168.0.7"))
        XCTAssertNil(AddressPrefix("10.0.0.0/33"))
        XCTAssertNil(AddressPrefix("mail.example"))
        XCTAssertTrue(AddressPrefix("0.0.0.0/0")!.contains("8.8.8.8"))
    }
}
