import GovMailTestSupport
import MailCore
import NetServer
import XCTest

final class LineFramerTests: XCTestCase {
    private func frames(_ chunks: [[UInt8]], max: Int = 16) -> [LineFrame] {
        var framer = LineFramer(maxLength: max)
        var input = ByteQueue()
        var out: [LineFrame] = []
        for chunk in chunks {
            input.append(chunk)
            while let f = framer.next(from: &input) { out.append(f) }
        }
        return out
    }

    func testLinesAreSplitTheSameWayWhateverTheChunking() {
        let input = Array("HELO a\r\nNOOP\r\nbare\nQUIT\r\n".utf8)
        let expected: [LineFrame] = [
            .line(Line(bytes: Array("HELO a".utf8), endedWithCRLF: true)),
            .line(Line(bytes: Array("NOOP".utf8), endedWithCRLF: true)),
            .line(Line(bytes: Array("bare".utf8), endedWithCRLF: false)),
            .line(Line(bytes: Array("QUIT".utf8), endedWithCRLF: true)),
        ]
        for outcome in ChunkingVerifier.outcomes(of: input, { frames($0) }) { XCTAssertEqual(outcome, expected) }
    }

    func testIncompleteLineConsumesNothing() {
        var framer = LineFramer(maxLength: 100)
        var input = ByteQueue(Array("NOOP".utf8))
        XCTAssertNil(framer.next(from: &input))
        XCTAssertEqual(input.count, 4)
    }

    func testTooLongLineIsDiscardedAndTheNextLineParses() {
        let input = Array((String(repeating: "x", count: 40) + "\r\nNOOP\r\n").utf8)
        for outcome in ChunkingVerifier.outcomes(of: input, { frames($0) }) {
            XCTAssertEqual(outcome, [.tooLong, .line(Line(bytes: Array("NOOP".utf8), endedWithCRLF: true))])
        }
    }

    func testMaximumLengthIncludesCRLF() {
        XCTAssertEqual(
            frames([Array("12345678901234\r\n".utf8)]),
            [.line(Line(bytes: Array("12345678901234".utf8), endedWithCRLF: true))])
        XCTAssertEqual(frames([Array("123456789012345\r\n".utf8)]), [.tooLong])
    }

    func testDiscardingKeepsMemoryBounded() {
        var framer = LineFramer(maxLength: 8)
        var input = ByteQueue()
        for _ in 0..<100 {
            input.append([UInt8](repeating: 0x61, count: 1000))
            XCTAssertNil(framer.next(from: &input))
            XCTAssertEqual(input.count, 0)
        }
    }
}
