import Foundation
import GovMailConfig
import GovMailTestSupport
import Logging
import MessageFormat
import SMIMEVerification
import XCTest

@testable import GovMailServer

/// The delivery step of issue 17: forged Authentication-Results removed, our result on top.
final class SMTPSignatureCheckTests: XCTestCase {
    let host = "mail.example.gov.vn"
    let alice = "alice@snv.example.gov.vn"
    let content = "Content-Type: text/plain; charset=utf-8\r\n\r\nGiấy mời họp.\r\n"

    func headers(_ extra: [String] = []) -> [String] {
        extra + ["From: Alice <\(alice)>", "To: bob@snv.example.gov.vn", "Subject: Moi hop"]
    }

    func topFields(_ m: [UInt8]) -> [String] {
        MessageParser.parseHeader(m).header.all("Authentication-Results").map {
            String(decoding: $0.raw, as: UTF8.self)
        }
    }

    func testResultsAreStampedAndForgeriesRemoved() throws {
        let ca = try SMIMETestCA()
        let other = try SMIMETestCA(name: "Other CA")
        let signer = try ca.issue(.init(commonName: "Alice", emails: [alice]))
        let stranger = try other.issue(.init(commonName: "Alice", emails: [alice]))
        var config = Config()
        config.hostname = host
        config.smime.trustAnchors = [ca.certificatePath]
        let check = SMTPSignatureCheck(
            hostname: host, verifier: try SMTPSignatureCheck.verifier(config), logger: Logger(label: "test"))
        let forged = "Authentication-Results: Mail.Example.Gov.VN; smime=pass header.from=\(alice)"
        let foreign = "Authentication-Results: mx.other.example; spf=pass"
        let now = Date().timeIntervalSince1970

        let good = check.apply(
            to: try ca.sign(content, by: signer, headers: headers([forged, foreign])), transactionID: "t1", now: now)
        XCTAssertEqual(
            topFields(good.bytes),
            ["Authentication-Results: \(host);\r\n\tsmime=pass header.from=\(alice)\r\n", foreign + "\r\n"])
        XCTAssertTrue(good.signed)
        XCTAssertTrue(good.verified)

        let untrusted = check.apply(
            to: try other.sign(content, by: stranger, headers: headers([forged])), transactionID: "t2", now: now)
        XCTAssertEqual(
            topFields(untrusted.bytes),
            [
                "Authentication-Results: \(host);\r\n\tsmime=fail (certificate not issued by a trusted CA) header.from=\(alice)\r\n"
            ])
        XCTAssertTrue(untrusted.signed)
        XCTAssertFalse(untrusted.verified)

        let plain = Array((headers([forged]).map { $0 + "\r\n" }.joined() + content).utf8)
        let unsigned = check.apply(to: plain, transactionID: "t3", now: now)
        XCTAssertEqual(
            topFields(unsigned.bytes), ["Authentication-Results: \(host);\r\n\tsmime=none header.from=\(alice)\r\n"])
        XCTAssertFalse(unsigned.signed)
        XCTAssertFalse(unsigned.verified)
        // Everything after our header is the message as it came, minus the forged field.
        XCTAssertTrue(
            String(decoding: unsigned.bytes, as: UTF8.self).hasSuffix(
                headers().map { $0 + "\r\n" }.joined() + content))
    }

    func testWithoutTrustAnchorsForgeriesAreStillRemovedAndNothingIsAdded() throws {
        let check = SMTPSignatureCheck(
            hostname: host, verifier: try SMTPSignatureCheck.verifier(Config()), logger: Logger(label: "test"))
        let m = Array(
            ("Authentication-Results: \(host); smime=pass\r\n" + headers().map { $0 + "\r\n" }.joined() + content).utf8)
        let out = check.apply(to: m, transactionID: "t", now: 0)
        XCTAssertEqual(topFields(out.bytes), [])
        XCTAssertFalse(out.verified)
    }

    func testUnreadableTrustAnchorStopsTheStartWithItsName() {
        var config = Config()
        config.stateDir = "/nonexistent-state"
        config.smime.trustAnchors = ["smime/ca.pem"]
        XCTAssertThrowsError(try SMTPSignatureCheck.verifier(config)) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent-state/smime/ca.pem"), "\(e)")
        }
    }

    func testSIGHUPReloadReadsTheFilesAgainAndKeepsTheOldOnesOnError() throws {
        let first = try SMIMETestCA(name: "First CA"), second = try SMIMETestCA(name: "Second CA")
        let message = try second.sign(
            content, by: try second.issue(.init(commonName: "Alice", emails: [alice])), headers: headers())
        let state = TemporaryDirectory()
        let anchors = state.file("anchors.pem")
        try FileManager.default.copyItem(atPath: first.certificatePath, toPath: anchors)
        var config = Config()
        config.stateDir = state.path
        config.smime.trustAnchors = ["anchors.pem"]
        let trust = try SMIMETrust(config: config)
        let now = Date().timeIntervalSince1970
        XCTAssertEqual(trust.current?.verify(message, now: now), .fail(.untrustedIssuer))

        try FileManager.default.removeItem(atPath: anchors)
        try FileManager.default.copyItem(atPath: second.certificatePath, toPath: anchors)
        XCTAssertEqual(
            trust.current?.verify(message, now: now), .fail(.untrustedIssuer), "nothing changes before SIGHUP")
        trust.reload(logger: Logger(label: "test"))
        XCTAssertEqual(trust.current?.verify(message, now: now), .pass(signer: alice))

        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: anchors))
        trust.reload(logger: Logger(label: "test"))
        XCTAssertEqual(
            trust.current?.verify(message, now: now), .pass(signer: alice), "a broken file keeps the old trust")
    }
}
