import XCTest
import SMTPProtocol

/// Runs every file in Transcripts/ whole and fed one byte at a time.
final class TranscriptTests: XCTestCase {
    func testEveryTranscriptPasses() throws {
        let names = try TranscriptRunner.allNames()
        XCTAssertGreaterThanOrEqual(names.count, 15, "the transcripts folder is missing files")
        for name in names {
            let result = try TranscriptRunner.run(try TranscriptRunner.load(name))
            XCTAssertEqual(result.mismatches, [], name)
        }
    }

    func testEveryTranscriptPassesFedOneByteAtATime() throws {
        for name in try TranscriptRunner.allNames() {
            let result = try TranscriptRunner.run(try TranscriptRunner.load(name), chunked: true)
            XCTAssertEqual(result.mismatches, [], name)
        }
    }

    func testDeliveredMessageIsUnstuffedAndFixed() throws {
        let result = try TranscriptRunner.run(try TranscriptRunner.load("submission-starttls-auth-plain.txt"))
        XCTAssertEqual(result.mismatches, [])
        let delivery = try XCTUnwrap(result.deliveries.first)
        let text = String(decoding: delivery.message, as: UTF8.self)
        XCTAssertTrue(
            text.hasPrefix(
                "Received: from client.example ([192.0.2.7])\r\n\tby mx.gov.vn (GovMail) with ESMTPSA (TLSv1.3)"), text)
        XCTAssertTrue(text.contains("\r\nDate: "), text)
        XCTAssertTrue(text.contains("\r\nMessage-ID: <"), text)
        XCTAssertTrue(text.hasSuffix("\r\n.a line that starts with a dot\r\nlast line\r\n"), text)
        XCTAssertEqual(delivery.sender?.description, "alice@gov.vn")
        XCTAssertEqual(delivery.recipients.map(\.address.description), ["bob@gov.vn"])
    }
}
