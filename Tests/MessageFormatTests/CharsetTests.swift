import XCTest
@testable import MessageFormat

final class CharsetTests: XCTestCase {
    func testNamesAndAliases() {
        let table: [(String, Charset)] = [
            ("UTF-8", .utf8), ("utf8", .utf8), ("US-ASCII", .usASCII), ("ascii", .usASCII),
            ("ISO-8859-1", .iso8859_1), ("latin1", .iso8859_1), ("Windows-1252", .windows1252),
            ("cp1252", .windows1252),
            ("windows-1258", .windows1258), ("CP1258", .windows1258), ("utf-8*vi", .utf8),
            ("koi8-r", .unknown("koi8-r")),
        ]
        for (name, expected) in table { XCTAssertEqual(Charset(name: name), expected, name) }
    }

    func testDecodeEachCharset() {
        let table: [(Charset, [UInt8], String)] = [
            (.utf8, Array("Hà Nội".utf8), "Hà Nội"),
            (.usASCII, Array("plain".utf8), "plain"),
            (.iso8859_1, [0x43, 0x61, 0x66, 0xE9, 0x20, 0xE0], "Café à"),
            (.windows1252, [0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0x9C], "€ “q” œ"),
            (.windows1258, [0xC3, 0xE3, 0xD0, 0xF0, 0xD5, 0xF5, 0xDD, 0xFD, 0xFE], "ĂăĐđƠơƯư₫"),
            // ê + U+0301 (0xEC) → ế; ê + dot below (0xF2) → ệ (needs the decomposition fallback)
            (.windows1258, [0x74, 0x69, 0xEA, 0xEC, 0x74, 0x20, 0x76, 0x69, 0xEA, 0xF2, 0x63], "tiết việc"),
            (.usASCII, [0x61, 0xE9], "aé"),  // mislabelled 8-bit read as Windows-1252
            (.usASCII, Array("Kính gửi".utf8), "Kính gửi"),  // unlabelled but valid UTF-8 is UTF-8 (as Dovecot)
            (.utf8, [0x61, 0xFF, 0x62], "a\u{FFFD}b"),
            (.utf8, Array("vie\u{0323}\u{0302}c".utf8), "vi\u{1EC7}c"),  // decomposed UTF-8 composed to NFC
        ]
        for (cs, bytes, expected) in table {
            // Scalars, not String ==, which would accept any canonically equivalent form.
            XCTAssertEqual(cs.decode(bytes).map { Array($0.unicodeScalars) }, Array(expected.unicodeScalars), "\(cs)")
        }
    }

    func testWindows1258ResultIsPrecomposed() throws {
        let bytes: [UInt8] = [0x43, 0xF4, 0x6E, 0x67, 0x20, 0x76, 0xE3, 0x6E, 0x20, 0x73, 0xF4, 0xEC]  // "Công văn số"
        let s = try XCTUnwrap(Charset.windows1258.decode(bytes))
        XCTAssertEqual(s, "Công văn số")
        // Precomposed, not merely canonically equivalent: no combining marks remain.
        XCTAssertFalse(s.unicodeScalars.contains { (0x300...0x36F).contains($0.value) })
        XCTAssertEqual(Array(s.unicodeScalars.map(\.value).suffix(1)), [0x1ED1])
    }

    func testUnknownCharsetKeepsBytes() {
        XCTAssertNil(Charset.unknown("x-foo").decode([0x61]))
        XCTAssertEqual(Charset.unknown("x-foo").decodeOrKeep(Array("ok".utf8)), "ok")
    }

    func testLatinCompositionOfDecomposedUTF8() {
        func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }
        XCTAssertEqual(scalars(LatinComposition.compose("vie\u{0323}\u{0302}c")), [0x76, 0x69, 0x1EC7, 0x63])
        XCTAssertEqual(scalars(LatinComposition.compose("e\u{0302}\u{0301}")), [0x1EBF])
        XCTAssertEqual(scalars(LatinComposition.compose("\u{00EA}\u{0301}")), [0x1EBF])
        XCTAssertEqual(scalars(LatinComposition.compose("x\u{0301}")), [0x78, 0x301])  // no precomposed form: kept
    }
}
