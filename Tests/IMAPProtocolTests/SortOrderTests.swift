import XCTest
@testable import IMAPProtocol

/// RFC 5256 base subjects and the i;unicode-casemap collation, table-tested.
final class SortOrderTests: XCTestCase {
    func testBaseSubject() {
        let table: [(String, String)] = [
            ("Lịch họp", "Lịch họp"),
            ("Re: Lịch họp", "Lịch họp"),
            ("RE:  re: Re : Lịch họp", "Lịch họp"),
            ("Fwd: Re: [Sở TTTT] lịch họp (fwd)", "lịch họp"),
            ("Fw: [PATCH 2/3] sửa lỗi", "sửa lỗi"),
            ("[PATCH] công văn", "công văn"),
            ("[PATCH]", "[PATCH]"),  // a blob is kept when nothing would remain
            ("Re: [list] Re: [x] chào", "chào"),
            ("[fwd: Công văn]", "Công văn"),
            ("[Fwd: Re: Công văn (fwd)]", "Công văn"),
            ("Re:", ""),
            ("  Họp\t\r\n  giao ban  (fwd) (FWD) ", "Họp giao ban"),
            ("Research: kết quả", "Research: kết quả"),  // "re" must be followed by ":"
            ("Re[2]: trả lời", "trả lời"),
            ("", ""),
        ]
        for (subject, base) in table {
            XCTAssertEqual(BaseSubject.of(subject), base, subject)
        }
    }

    func testCollationIgnoresCaseAndCompositionAndPutsMarkedLettersAfterTheirBase() {
        XCTAssertEqual(SortCollation.key("công văn"), SortCollation.key("CÔNG VĂN"))
        XCTAssertEqual(SortCollation.key("c\u{00F4}ng"), SortCollation.key("co\u{0302}ng"))
        XCTAssertEqual(SortCollation.key("ệ"), Array("E\u{0323}\u{0302}".utf8), "canonical order: dot below first")
        XCTAssertEqual(SortCollation.key("Đạt"), Array("Đ".utf8) + Array("A\u{0323}T".utf8))
        let words = ["CB", "cá", "Ca", "Ấn", "an", "Đạt", "zz", "dung"]
        let sorted = words.sorted { SortCollation.key($0).lexicographicallyPrecedes(SortCollation.key($1)) }
        XCTAssertEqual(sorted, ["an", "Ấn", "Ca", "cá", "CB", "dung", "zz", "Đạt"])
    }
}
