import XCTest
@testable import MessageFormat

final class MessageDateTests: XCTestCase {
    func testParseTable() {
        // input → (seconds since epoch, zone minutes, local y-m-d)
        let table: [(String, Int64, Int, (Int, Int, Int))] = [
            ("Fri, 27 Nov 2026 10:58:20 +0700", 1_795_751_900, 420, (2026, 11, 27)),
            ("27 Nov 2026 03:58:20 +0000", 1_795_751_900, 0, (2026, 11, 27)),
            ("Thu, 1 Jan 1970 00:00:00 GMT", 0, 0, (1970, 1, 1)),
            ("Thu, 01 Jan 1970 00:00 UT", 0, 0, (1970, 1, 1)),
            ("Wed, 31 Dec 1969 19:00:00 EST", 0, -300, (1969, 12, 31)),
            ("Wed, 31 Dec 1969 16:00:00 PST", 0, -480, (1969, 12, 31)),
            ("1 Jan 70 00:00:00 -0000", 0, 0, (1970, 1, 1)),
            ("1 Jan 05 00:00:00 +0000", 1_104_537_600, 0, (2005, 1, 1)),
            ("1 Jan 105 00:00:00 +0000", 1_104_537_600, 0, (2005, 1, 1)),
            ("Sat, 29 Feb 2020 23:59:59 -0130 (comment)", 1_583_026_199, -90, (2020, 2, 29)),
            ("Mon,  2 Mar 2026 08:00:00 Z", 1_772_438_400, 0, (2026, 3, 2)),
            ("2 March 2026 08:00:00 +0700", 1_772_413_200, 420, (2026, 3, 2)),
        ]
        for (input, secs, zone, ymd) in table {
            guard let d = MessageDate.parse(input) else { XCTFail("nil for \(input)"); continue }
            XCTAssertEqual(d.secondsSinceEpoch, secs, input)
            XCTAssertEqual(d.zoneOffsetMinutes, zone, input)
            XCTAssertEqual([d.year, d.month, d.day], [ymd.0, ymd.1, ymd.2], input)
        }
    }

    func testRejectsGarbage() {
        for input in [
            "", "yesterday", "32 Jan 2026 00:00:00 +0000", "30 Feb 2026 00:00 +0000", "1 Foo 2026 00:00 +0000",
            "1 Jan 2026 25:00:00 +0000",
        ] {
            XCTAssertNil(MessageDate.parse(input), input)
        }
    }

    func testLocalDayNumber() {
        XCTAssertEqual(MessageDate.parse("2 Jan 1970 23:00 +0700")?.localDayNumber, 1)
    }
}
