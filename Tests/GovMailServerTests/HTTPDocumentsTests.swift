import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import GovMailConfig
import HTTPProtocol
import MailCore
import XCTest

@testable import GovMailServer

/// The client set-up documents as values: what the listeners say, escaped, local-domain logic aside.
final class HTTPDocumentsTests: XCTestCase {
    func config() -> Config {
        var c = Config()
        c.hostname = "mail.tinh.gov.vn"
        c.listeners = [
            .init(name: "imap", protocol: .imap, address: "0.0.0.0", port: 143, tls: .starttls),
            .init(name: "imaps", protocol: .imap, address: "0.0.0.0", port: 993, tls: .implicit),
            .init(name: "submission", protocol: .submission, address: "0.0.0.0", port: 587, tls: .starttls),
            .init(name: "submissions", protocol: .submission, address: "0.0.0.0", port: 465, tls: .implicit),
            .init(name: "test", protocol: .imap, address: "127.0.0.1", port: 1143, tls: .none),
        ]
        return c
    }

    func testSettingsPreferImplicitTLSAndSkipPlaintext() {
        let ports = BoundPorts()
        ports.set(["imaps": 10993])
        let s = MailClientSettings(config: config(), ports: ports)
        XCTAssertEqual(s.imap.map(\.port), [10993, 143], "bound port wins over the configured 0/port; implicit first")
        XCTAssertEqual(s.imap.map(\.security), [.implicitTLS, .startTLS])
        XCTAssertEqual(s.submission.map(\.port), [465, 587])
        XCTAssertFalse(s.imap.contains { $0.port == 1143 }, "tls: none is never advertised")
    }

    func testThunderbirdDocumentIsWellFormedAndEscaped() throws {
        var c = config()
        c.hostname = "mail&<x>"
        let xml = ThunderbirdAutoconfig.document(
            domain: try Domain("so.gov.vn"), settings: MailClientSettings(config: c, ports: BoundPorts()),
            hostname: c.hostname)
        XCTAssertTrue(xml.contains("<hostname>mail&amp;&lt;x&gt;</hostname>"))
        XCTAssertFalse(xml.contains("<x>"))
        let doc = try XMLDocument(xmlString: xml)
        XCTAssertEqual(try doc.nodes(forXPath: "/clientConfig/emailProvider/incomingServer[@type='imap']").count, 2)
        XCTAssertEqual(
            try doc.nodes(forXPath: "/clientConfig/emailProvider/outgoingServer[@type='smtp']/port").first?.stringValue,
            "465")
    }

    func testAutodiscoverRequestParsing() {
        let body = Array(
            "<?xml version=\"1.0\"?><Autodiscover><Request><EMailAddress> an@so.gov.vn </EMailAddress></Request></Autodiscover>"
                .utf8)
        XCTAssertEqual(OutlookAutodiscover.requestedAddress(body), "an@so.gov.vn")
        XCTAssertNil(
            OutlookAutodiscover.requestedAddress(Array("<EMailAddress>x@y</EMailAddress>".utf8)),
            "not an Autodiscover request")
        XCTAssertNil(OutlookAutodiscover.requestedAddress(Array("<Autodiscover><EMailAddress></EMailAddress>".utf8)))
    }

    func testAppleProfileIsAPropertyListWithStableIDs() throws {
        let address = try EmailAddress("an@so.gov.vn")
        let settings = MailClientSettings(config: config(), ports: BoundPorts())
        let text = try XCTUnwrap(
            AppleMobileConfig.document(address: address, settings: settings, hostname: "mail.tinh.gov.vn"))
        let plist = try PropertyListSerialization.propertyList(from: Data(text.utf8), format: nil) as? [String: Any]
        let payload = try XCTUnwrap((plist?["PayloadContent"] as? [[String: Any]])?.first)
        XCTAssertEqual(payload["PayloadType"] as? String, "com.apple.mail.managed")
        XCTAssertEqual(payload["IncomingMailServerPortNumber"] as? Int, 993)
        XCTAssertEqual(payload["OutgoingMailServerPortNumber"] as? Int, 465)
        XCTAssertEqual(AppleMobileConfig.stableUUID("a"), AppleMobileConfig.stableUUID("a"))
        XCTAssertNotEqual(AppleMobileConfig.stableUUID("a"), AppleMobileConfig.stableUUID("b"))
        XCTAssertNotNil(UUID(uuidString: AppleMobileConfig.stableUUID("profile:an@so.gov.vn")))
    }

    func testSetupPageLanguage() {
        func lang(_ target: String, _ accept: String?) -> SetupPage.Language {
            var h = HTTPHeaders([("Host", "x")])
            if let accept { h.add("Accept-Language", accept) }
            return SetupPage.language(HTTPRequest(method: "GET", target: target, version: .http1_1, headers: h))
        }
        XCTAssertEqual(lang("/", nil), .vi)
        XCTAssertEqual(lang("/", "en-US,en;q=0.9"), .en)
        XCTAssertEqual(lang("/", "en;q=0.4, vi-VN;q=0.8"), .vi)
        XCTAssertEqual(lang("/?lang=en", "vi"), .en)
        XCTAssertEqual(lang("/?lang=xx", "fr"), .vi)
    }

    func testRequestRateRefillsOverTime() {
        let rate = HTTPRequestRate(perMinute: 2)
        XCTAssertNil(rate.admit("a", now: 0))
        XCTAssertNil(rate.admit("a", now: 0))
        XCTAssertEqual(rate.admit("a", now: 0), 30, "one more after 30 s")
        XCTAssertNil(rate.admit("b", now: 0), "per address")
        XCTAssertNil(rate.admit("a", now: 30))
    }

    func testRefusalReasons() {
        XCTAssertEqual(ServerMetrics.refusalReason(550, "5.1.1"), "bad_recipient")
        XCTAssertEqual(ServerMetrics.refusalReason(553, "5.7.1"), "policy")
        XCTAssertEqual(ServerMetrics.refusalReason(552, "5.3.4"), "too_large")
        XCTAssertEqual(ServerMetrics.refusalReason(452, "4.2.2"), "quota")
        XCTAssertEqual(ServerMetrics.refusalReason(421, nil), "other_transient")
    }

    func testReadinessRunsAreSharedForAFewSeconds() {
        let cache = ReadinessCache(maxAge: 5)
        var runs = 0
        func run() -> [ReadinessChecks.Result] {
            runs += 1
            return [.init(name: "x", problem: runs == 1 ? nil : "second")]
        }
        XCTAssertNil(cache.results(now: 100, run).first?.problem)
        XCTAssertNil(cache.results(now: 104, run).first?.problem, "within maxAge: the first run's answer")
        XCTAssertEqual(runs, 1)
        XCTAssertEqual(cache.results(now: 105, run).first?.problem, "second", "after maxAge: checked again")
        XCTAssertEqual(cache.results(now: 50, run).count, 1, "a clock that went back runs the checks")
        XCTAssertEqual(runs, 3)
    }
}
