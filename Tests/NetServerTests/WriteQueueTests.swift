import NetServer
import XCTest

final class WriteQueueTests: XCTestCase {
    private func drain(_ q: inout WriteQueue, step: Int) -> [UInt8] {
        var out: [UInt8] = []
        while !q.isEmpty {
            let n = q.withNextChunk { chunk -> Int in
                let n = min(step, chunk.count)
                out += chunk.prefix(n)
                return n
            }!
            q.didWrite(n)
        }
        return out
    }

    func testBytesComeOutInOrderWithPartialWrites() {
        var q = WriteQueue()
        q.coalesceLimit = 4
        q.append(Array("hello ".utf8))
        q.append(Array("wo".utf8))
        q.append(Array("rld".utf8))
        XCTAssertEqual(q.pendingBytes, 11)
        XCTAssertEqual(String(decoding: drain(&q, step: 3), as: UTF8.self), "hello world")
        XCTAssertEqual(q.pendingBytes, 0)
        XCTAssertNil(q.withNextChunk { $0.count })
    }

    func testSmallAppendsCoalesceIntoOneWrite() {
        var q = WriteQueue()
        for _ in 0..<10 { q.append(Array("250 OK\r\n".utf8)) }
        XCTAssertEqual(q.withNextChunk { $0.count }, 80)
    }

    func testBackpressureHasHysteresis() {
        var q = WriteQueue()
        q.append([UInt8](repeating: 0, count: 1500))
        XCTAssertTrue(q.isAboveLimit(1000))
        XCTAssertFalse(q.hasDrained(below: 1000))
        q.didWrite(800)
        XCTAssertFalse(q.isAboveLimit(1000))
        XCTAssertFalse(q.hasDrained(below: 1000))  // 700 > 500: keep waiting
        q.didWrite(200)
        XCTAssertTrue(q.hasDrained(below: 1000))
    }

    func testEmptyAppendChangesNothing() {
        var q = WriteQueue()
        q.append([])
        XCTAssertTrue(q.isEmpty)
    }
}
