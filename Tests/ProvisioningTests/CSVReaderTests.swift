import Provisioning
import XCTest

final class CSVReaderTests: XCTestCase {
    func rows(_ s: String) throws -> [[String]] { try CSVReader.read(Array(s.utf8)).map(\.fields) }

    func testCommaSemicolonBOMAndLineEnds() throws {
        XCTAssertEqual(try rows("a,b\r\n1,2\r\n"), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(try rows("a;b\n1;2"), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(
            try CSVReader.read([0xEF, 0xBB, 0xBF] + Array("a;b\n1;2,5\n".utf8)).map(\.fields),
            [["a", "b"], ["1", "2,5"]])
    }

    func testQuotedFieldsKeepSeparatorsQuotesAndNewlines() throws {
        let records = try CSVReader.read(Array("name,x\n\"Lê, Văn \"\"C\"\"\",\"a\nb\"\nnext,1\n".utf8))
        XCTAssertEqual(records.map(\.fields), [["name", "x"], ["Lê, Văn \"C\"", "a\nb"], ["next", "1"]])
        XCTAssertEqual(records.map(\.row), [1, 2, 4])
    }

    func testBlankLinesAreSkippedButRowNumbersStayTrue() throws {
        XCTAssertEqual(try CSVReader.read(Array("h\n\n\nv\n".utf8)).map(\.row), [1, 4])
    }

    func testUnquotedFieldsAreTrimmed() throws {
        XCTAssertEqual(try rows(" a , b \n"), [["a", "b"]])
    }

    func testProblemsNameTheRow() {
        XCTAssertThrowsError(try rows("h\n\"open\n")) {
            XCTAssertEqual($0 as? CSVReader.Problem, .unterminatedQuote(row: 2))
        }
        XCTAssertThrowsError(try CSVReader.read(Array("h\nok\n".utf8) + [0xC3, 0x28, 0x0A])) {
            XCTAssertEqual($0 as? CSVReader.Problem, .notUTF8(row: 3))
        }
        XCTAssertThrowsError(try rows("")) { XCTAssertEqual($0 as? CSVReader.Problem, .empty) }
        XCTAssertThrowsError(try CSVReader.read([0xEF, 0xBB, 0xBF])) {
            XCTAssertEqual($0 as? CSVReader.Problem, .empty)
        }
    }
}
