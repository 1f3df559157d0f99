import GovMailTestSupport
import MailCore
import SMTPProtocol
import XCTest

final class DataDecoderTests: XCTestCase {
    private func decode(_ bytes: [UInt8], max: Int = 1000) -> (DataDecoder.Outcome?, rest: [UInt8]) {
        var decoder = DataDecoder(maxSize: max)
        var queue = ByteQueue(bytes)
        let outcome = decoder.decode(&queue)
        return (outcome, Array(queue.readable))
    }

    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testEndsOnlyAtCRLFDotCRLF() {
        let table: [(String, DataDecoder.Outcome?, String)] = [
            (".\r\n", .message([]), ""),
            ("a\r\n.\r\n", .message(b("a\r\n")), ""),
            ("a\r\n.\r\nNOOP\r\n", .message(b("a\r\n")), "NOOP\r\n"),
            ("..a\r\n.\r\n", .message(b(".a\r\n")), ""),
            ("a\r\n..\r\n.\r\n", .message(b("a\r\n.\r\n")), ""),
            ("a\r\n.b\r\n.\r\n", .message(b("a\r\nb\r\n")), ""),
            ("a. b\r\n.\r\n", .message(b("a. b\r\n")), ""),
            // Incomplete: nothing ends the data yet.
            ("a\r\n", nil, ""),
            ("a\r\n.", nil, ""),
            ("a\r\n.\r", nil, ""),
        ]
        for (input, expected, rest) in table {
            let (outcome, left) = decode(b(input))
            XCTAssertEqual(outcome, expected, input.debugDescription)
            XCTAssertEqual(left, b(rest), input.debugDescription)
        }
    }

    func testSmugglingVariantsNeverEndData() {
        for fake in ["\n.\n", "\r.\r", "\n.\r\n", "\r\n.\n", "\r\n.\r", "\r.\r\n", "\n..\n"] {
            let input = b("a" + fake + "MAIL FROM:<x@y.z>\r\n")
            let (outcome, left) = decode(input)
            XCTAssertNil(outcome, fake.debugDescription)
            XCTAssertEqual(left, [], fake.debugDescription)
            // The real end then refuses the message because of the bare line ending.
            let (final, _) = decode(input + b("\r\n.\r\n"))
            XCTAssertEqual(final, .bareLineEnding, fake.debugDescription)
        }
    }

    func testBareCROrLFAnywhereIsRefusedAfterTheRealEnd() {
        for input in ["\n\r\n.\r\n", "a\nb\r\n.\r\n", "a\rb\r\n.\r\n", "a\r\r\n.\r\n", ".\n\r\n.\r\n", "\r\r\n.\r\n"] {
            let (outcome, left) = decode(b(input) + b("NOOP\r\n"))
            XCTAssertEqual(outcome, .bareLineEnding, input.debugDescription)
            XCTAssertEqual(left, b("NOOP\r\n"), input.debugDescription)
        }
    }

    func testSizeLimitReadsToTheEndAndKeepsNoMoreThanTheLimit() {
        var decoder = DataDecoder(maxSize: 10)
        var queue = ByteQueue(b("0123456789\r\n"))
        XCTAssertNil(decoder.decode(&queue))
        XCTAssertLessThanOrEqual(decoder.bufferedCount, 10)
        for _ in 0..<100 {
            queue.append(b(String(repeating: "x", count: 100) + "\r\n"))
            XCTAssertNil(decoder.decode(&queue))
            XCTAssertLessThanOrEqual(decoder.bufferedCount, 10)
        }
        queue.append(b(".\r\nQUIT\r\n"))
        XCTAssertEqual(decoder.decode(&queue), .tooLarge)
        XCTAssertEqual(Array(queue.readable), b("QUIT\r\n"))
        // Exactly the limit fits.
        XCTAssertEqual(decode(b("01234567\r\n.\r\n"), max: 10).0, .message(b("01234567\r\n")))
        XCTAssertEqual(decode(b("012345678\r\n.\r\n"), max: 10).0, .tooLarge)
    }

    func testDecoderIsReusableAfterAnOutcome() {
        var decoder = DataDecoder(maxSize: 100)
        var queue = ByteQueue(b("a\nb\r\n.\r\nc\r\n.\r\n"))
        XCTAssertEqual(decoder.decode(&queue), .bareLineEnding)
        XCTAssertEqual(decoder.decode(&queue), .message(b("c\r\n")))
    }

    func testByteAtATimeEqualsAllAtOnce() {
        let inputs = ["From: a\r\n\r\n..x\r\n.y\r\n\r\n.\r\nREST", "a\n.\nb\r.\rc\r\n.\r\n", "x\r\n..\r\n.\r\n"]
        for input in inputs {
            let outcomes = ChunkingVerifier.outcomes(of: b(input)) { chunks -> String in
                var decoder = DataDecoder(maxSize: 1000)
                var queue = ByteQueue()
                var outcome: DataDecoder.Outcome?
                for chunk in chunks {
                    queue.append(chunk)
                    if outcome == nil { outcome = decoder.decode(&queue) }
                }
                return "\(String(describing: outcome)) rest=\(Array(queue.readable))"
            }
            for outcome in outcomes { XCTAssertEqual(outcome, outcomes[0], input.debugDescription) }
        }
    }

    func testEncoderStuffsDotsAndRoundTrips() {
        let message = b("a\r\n.b\r\n..\r\nlast")
        let encoded = DataEncoder.encode(message)
        XCTAssertEqual(encoded, b("a\r\n..b\r\n...\r\nlast\r\n.\r\n"))
        XCTAssertEqual(decode(encoded).0, .message(b("a\r\n.b\r\n..\r\nlast\r\n")))
        XCTAssertEqual(DataEncoder.encode(b(".\r\n")), b("..\r\n.\r\n"))
    }
}
