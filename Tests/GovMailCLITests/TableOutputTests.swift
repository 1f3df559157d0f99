@testable import GovMailCLI
import MailCore
import XCTest

final class TableOutputTests: XCTestCase {
    func testWidthCountsWhatATerminalShows() {
        XCTAssertEqual(TerminalWidth.columns(of: "Nguyễn Văn A"), 12)  // precomposed (NFC)
        XCTAssertEqual(TerminalWidth.columns(of: "Nguye\u{302}\u{303}n"), 6)  // decomposed (NFD) marks take no cell
        XCTAssertEqual(TerminalWidth.columns(of: "省政府"), 6)  // wide CJK
        XCTAssertEqual(TerminalWidth.columns(of: ""), 0)
    }

    func testColumnsAlignWithVietnameseInEitherNormalForm() {
        let nfd = "Tra\u{302}\u{300}n"  // "Trần" decomposed
        let table = TableOutput.render(["NAME", "UNIT"], [["Trần", "A"], [nfd, "B"], ["Lê", "C"]])
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 5)
        // Every UNIT cell starts at the same terminal column.
        let columns = lines.map { line in
            TerminalWidth.columns(of: String(line[..<line.range(of: "  ", options: .backwards)!.upperBound]))
        }
        XCTAssertEqual(Set(columns), [6])
    }

    func testQuotaFormatting() throws {
        XCTAssertEqual(TableOutput.bytes(0), "unlimited")
        XCTAssertEqual(TableOutput.bytes(2 << 30), "2 GiB")
        XCTAssertEqual(TableOutput.bytes(1536 << 20), "1.5 GiB")
        XCTAssertEqual(try Parse.quota("500M"), 500 << 20)
        XCTAssertEqual(try Parse.quota("2GiB"), 2 << 30)
        XCTAssertEqual(try Parse.quota("unlimited"), 0)
        XCTAssertThrowsError(try Parse.quota("-1"))
        XCTAssertThrowsError(try Parse.quota("99999999999T"))
    }
}
