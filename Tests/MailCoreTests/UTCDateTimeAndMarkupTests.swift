import MailCore
import XCTest

final class UTCDateTimeAndMarkupTests: XCTestCase {
    func testCalendarFields() {
        let t = UTCDateTime(epochSeconds: 784_111_777)  // Sun, 06 Nov 1994 08:49:37 GMT (RFC 9110's example)
        XCTAssertEqual([t.year, t.month, t.day, t.hour, t.minute, t.second, t.weekday], [1994, 11, 6, 8, 49, 37, 0])
        let leap = UTCDateTime(epochSeconds: 1_709_164_800.9)
        XCTAssertEqual([leap.year, leap.month, leap.day, leap.weekday], [2024, 2, 29, 4])
        let before = UTCDateTime(epochSeconds: -1)
        XCTAssertEqual([before.year, before.month, before.day, before.hour, before.weekday], [1969, 12, 31, 23, 3])
    }

    func testMarkupEscaping() {
        XCTAssertEqual(markupEscaped("a&b<c>\"d\"'e'"), "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;")
        XCTAssertEqual(markupEscaped("Nguyễn\u{01}\tVăn\u{FFFE}"), "Nguyễn\tVăn")
    }
}
