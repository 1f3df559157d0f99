import XCTest

@testable import UsageAnalytics

/// Issue 17: the signed share becomes two columns, signed and signed-and-verified, in every format.
extension RendererTests {
    func testJSONCarriesBothAndTheSchemaVersionIsThree() throws {
        let json = String(
            decoding: try ReportRenderer.render(try october(), format: .json, language: .en), as: UTF8.self)
        XCTAssertTrue(json.contains("\"schema_version\" : 3"), json.prefix(200).description)
        XCTAssertTrue(json.contains("\"messages_signed_verified\" : 3"))
        XCTAssertTrue(json.contains("\"signed_verified_share\" : 0.23"))
        let so1 = try XCTUnwrap(try october().units.first { $0.code == "SO1" })
        XCTAssertEqual(so1.own.messagesSignedVerified, 3)
        XCTAssertEqual(so1.own.signedShare, 0.4)
        XCTAssertEqual(so1.own.signedVerifiedShare, 0.3)
        // A level without messages omits the share instead of writing 0.
        XCTAssertTrue(
            try october().levels.contains { $0.figures.messagesSent == 0 && $0.figures.signedVerifiedShare == nil })
    }

    func testTablesShowVerifiedShareBesideSignedShare() throws {
        for lang in [ReportLanguage.vi, .en] {
            let l = ReportLabels(language: lang)
            for format in [ReportFormat.text, .csv, .html] {
                let text = String(
                    decoding: try ReportRenderer.render(try october(), format: format, language: lang), as: UTF8.self)
                let signed = try XCTUnwrap(text.range(of: l.signedShare), "\(format) \(lang)")
                let verified = try XCTUnwrap(text.range(of: l.signedVerifiedShare), "\(format) \(lang)")
                XCTAssertLessThan(signed.lowerBound, verified.lowerBound, "\(format) \(lang): signed first")
            }
        }
        let csv = String(decoding: try ReportRenderer.render(try october(), format: .csv, language: .en), as: UTF8.self)
        let so1 = try XCTUnwrap(csv.components(separatedBy: "\r\n").first { $0.hasPrefix("SO1,") })
        XCTAssertTrue(so1.contains(",40.0,"), so1)  // signed share
        XCTAssertTrue(so1.hasSuffix(",3,30.0") || so1.contains(",3,30.0,"), so1)  // verified count and share
    }
}
