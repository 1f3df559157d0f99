import Foundation  // JSON coders for the round trip only; the module itself does not use Foundation
import XCTest
@testable import MessageFormat

final class SearchTextTests: XCTestCase {
    func testMatchTable() {
        let table: [(String, String, Bool)] = [
            (TestMessages.vietnameseSubject, "CÔNG VĂN SỐ 123", true),
            (TestMessages.vietnameseSubject, "việc triển", true),
            (TestMessages.vietnameseSubject, "viec trien", false),  // diacritics matter
            ("vie\u{0323}\u{0302}c", "VIỆC", true),  // decomposed text, composed key
            ("Hello", "", true),
            ("Hello", "world", false),
        ]
        for (text, key, expected) in table {
            XCTAssertEqual(SearchText.matches(text, key), expected, "\(text) / \(key)")
        }
        XCTAssertTrue(SearchText.matches(any: ["a", "Kính gửi"], "GỬI"))
        XCTAssertFalse(SearchText.matches(any: [], "x"))
    }

    func testSearchOverDecodedMessage() {
        let bytes = MessageParserTests.nested
        let m = MessageParser.parse(bytes)
        XCTAssertTrue(SearchText.matches(any: m.decodedBodyTexts(in: bytes), "công văn"))
        XCTAssertTrue(SearchText.matches(any: m.decodedHeaderValues("Subject"), "TRIỂN KHAI"))
        XCTAssertTrue(SearchText.matches(any: m.decodedHeaderValues("From"), "phòng hành chính"))
    }

    /// Issue 11 item 4: an address is found whatever syntax wrote it; other headers are unchanged.
    func testAddressHeadersAreSearchedAsWrittenAndAsPlainAddresses() {
        let froms = [
            "user-from@domain.org", "Real Name <user-from@domain.org>", "user-from@domain.org (Real Name)",
            "=?utf-8?q?Nguy=E1=BB=85n?= <user-from@domain.org>", "Team: user-from@domain.org, o@domain.org;",
            "\"Folded\r\n Name\"\r\n <user-from@domain.org>", "\"user-from\"@domain.org",
        ]
        for from in froms {
            let m = MessageParser.parse(Array("From: \(from)\r\nSubject: \"q\"@x\r\n\r\nx\r\n".utf8))
            XCTAssertTrue(SearchText.matches(any: m.decodedHeaderValues("from"), "USER-FROM@domain.org"), from)
            XCTAssertEqual(m.decodedHeaderValues("Subject"), ["\"q\"@x"], "not an address field")
        }
    }

    func testStructureRoundTripsThroughCodable() throws {
        let m = MessageParser.parse(MessageParserTests.nested)
        let data = try JSONEncoderShim.roundTrip(m)
        XCTAssertEqual(data, m)
    }
}

enum JSONEncoderShim {
    static func roundTrip(_ m: MessageStructure) throws -> MessageStructure {
        try JSONDecoder().decode(MessageStructure.self, from: JSONEncoder().encode(m))
    }
}
