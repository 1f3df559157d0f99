import XCTest
@testable import MailCore

final class ModifiedUTF7Tests: XCTestCase {
    func testKnownEncodings() throws {
        // RFC 3501 §5.1.3 example, plus Vietnamese folder names.
        let table: [(String, String)] = [
            ("INBOX", "INBOX"),
            ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
            ("A&B", "A&-B"),
            ("Công văn đến", "C&APQ-ng v&AQM-n &AREevw-n"),
        ]
        for (plain, encoded) in table {
            XCTAssertEqual(ModifiedUTF7.encode(plain), encoded, plain)
            XCTAssertEqual(try ModifiedUTF7.decode(encoded), plain, encoded)
        }
    }

    func testRoundTripsVietnamese() throws {
        for name in ["Thư đã gửi", "Hồ sơ công việc", "Ủy ban nhân dân tỉnh", "😀 emoji", "&&&"] {
            XCTAssertEqual(try ModifiedUTF7.decode(ModifiedUTF7.encode(name)), name)
        }
    }

    func testRefusesMalformed() {
        for bad in ["&", "&AGE", "&*-", "&AGEAYQ-" /* encodes ASCII "aa": not shortest form */, "tab\there"] {
            XCTAssertThrowsError(try ModifiedUTF7.decode(bad), bad)
        }
    }
}

final class MailboxNameTests: XCTestCase {
    func testInboxIsCaseInsensitive() throws {
        XCTAssertTrue(try MailboxName("inbox").isInbox)
        XCTAssertEqual(try MailboxName("Inbox.Sub").name, "INBOX.Sub")
    }

    func testHierarchy() throws {
        let n = try MailboxName("Công văn đến.2026.Tháng 11")
        XCTAssertEqual(n.components, ["Công văn đến", "2026", "Tháng 11"])
        XCTAssertEqual(n.parent?.name, "Công văn đến.2026")
        XCTAssertTrue(n.isWithin(try MailboxName("Công văn đến")))
        XCTAssertFalse(try MailboxName("Công").isWithin(n))
    }

    func testRefusesEscapes() {
        let cases: [(String, MailboxName.Problem)] = [
            ("", .empty), ("..", .emptyComponent), ("a..b", .emptyComponent), (".hidden", .emptyComponent),
            ("a.", .emptyComponent), ("../../etc", .slash), ("a/b", .slash), ("a\u{0}b", .controlCharacter),
            ("line\nbreak", .controlCharacter), ("back\\slash", .slash),
        ]
        for (text, problem) in cases {
            XCTAssertThrowsError(try MailboxName(text), text) {
                XCTAssertEqual($0 as? MailboxName.Problem, problem, text)
            }
        }
    }
}
