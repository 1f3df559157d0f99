import XCTest
@testable import MessageFormat

/// Hostile and random input must never crash, hang or recurse without bound.
final class RobustnessTests: XCTestCase {
    /// A small deterministic generator so failures reproduce.
    private struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    func testRandomBytes() {
        var rng = SplitMix(state: 42)
        for _ in 0..<300 {
            let n = Int.random(in: 0..<600, using: &rng)
            let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
            MessageFormatFuzz.parse(bytes)
            MessageFormatFuzz.parseHeaderValue(bytes)
        }
    }

    func testRandomMIMEShapedInput() {
        // Fragments that steer random input into the MIME code paths.
        let pieces = [
            "Content-Type: multipart/mixed; boundary=a\r\n", "Content-Type: message/rfc822\r\n", "--a\r\n",
            "--a--\r\n", "\r\n", "\n", "=?utf-8?B?", "?=", "=?windows-1258?Q?=EC", "Subject: x\r\n", " folded\r\n",
            "From: G: a@b, <c@d>;\r\n", "filename*0*=utf-8''%E1", "; ", "\"", "(", ")", "<", ">", "@", ":", "=",
            "Content-Transfer-Encoding: quoted-printable\r\n", "Content-Transfer-Encoding: base64\r\n", "\u{0}",
        ]
        var rng = SplitMix(state: 7)
        for _ in 0..<500 {
            var s: [UInt8] = []
            for _ in 0..<Int.random(in: 1..<40, using: &rng) { s += Array(pieces.randomElement(using: &rng)!.utf8) }
            MessageFormatFuzz.parse(s)
            MessageFormatFuzz.parseHeaderValue(s)
        }
    }

    func testDeepCommentsAndQuotes() {
        let deep = Array(String(repeating: "(", count: 100_000).utf8) + Array("a@b".utf8)
        MessageFormatFuzz.parseHeaderValue(deep)
        let quotes = Array(String(repeating: "\"\\", count: 50_000).utf8)
        MessageFormatFuzz.parseHeaderValue(quotes)
        XCTAssertEqual(AddressList.parse(Array("a@b (((unclosed".utf8)).first?.mailboxes.first?.address, "a@b")
    }

    /// Inputs that would take quadratic time in a naive parser; these finish at once when linear.
    func testPathologicalHeadersStayLinear() {
        let starts = Array(String(repeating: "=?utf-8?q?a", count: 100_000).utf8)
        XCTAssertEqual(EncodedWords.decodeUnstructured(starts).utf8.count, starts.count)
        let startsWithBlanks =
            Array(String(repeating: "=?utf-8?q?" + String(repeating: "a", count: 50), count: 20_000).utf8) + [
                Ascii.space
            ]
        XCTAssertEqual(EncodedWords.decodeUnstructured(startsWithBlanks).utf8.count, startsWithBlanks.count)
        let colons = Array(("a@b " + String(repeating: ": ", count: 200_000)).utf8)
        XCTAssertEqual(AddressList.parse(colons).count, 1)
        var lines = ["Content-Type: multipart/mixed; boundary=" + String(repeating: "b", count: 200), ""]
        lines += Array(repeating: "--" + String(repeating: "b", count: 199), count: 20_000)
        XCTAssertEqual(MessageParser.parse(TestMessages.crlf(lines)).root.parts.count, 1)
    }

    func testDeeplyNestedMultipartWithDefaultLimits() {
        var lines: [String] = []
        for i in 0..<5_000 { lines += ["Content-Type: multipart/mixed; boundary=\(i)", "", "--\(i)"] }
        let bytes = TestMessages.crlf(lines)
        let m = MessageParser.parse(bytes)
        var count = 0
        m.root.forEachPart { _ in count += 1 }
        XCTAssertEqual(count, MessageFormatLimits().maxNestingDepth + 1)
        MessageFormatFuzz.parse(bytes)
    }
}
