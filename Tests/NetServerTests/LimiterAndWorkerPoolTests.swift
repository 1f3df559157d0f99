import Dispatch
import NetServer
import Synchronization
import XCTest

final class ConnectionLimiterTests: XCTestCase {
    func testPerAddressAndTotalLimits() {
        var l = ConnectionLimiter(maxTotal: 3, maxPerAddress: 2)
        XCTAssertNil(l.admit("192.0.2.1"))
        XCTAssertNil(l.admit("192.0.2.1"))
        XCTAssertEqual(l.admit("192.0.2.1"), .tooManyFromAddress)
        XCTAssertNil(l.admit("192.0.2.2"))
        XCTAssertEqual(l.admit("192.0.2.3"), .tooManyConnections)
        XCTAssertEqual(l.total, 3)
        l.release("192.0.2.1")
        XCTAssertEqual(l.count(for: "192.0.2.1"), 1)
        XCTAssertNil(l.admit("192.0.2.3"))
    }

    func testUnauthenticatedConnectionsHaveTheirOwnSmallerCapPerAddress() {
        var l = ConnectionLimiter(maxTotal: 100, maxPerAddress: 5, maxPreAuthPerAddress: 2)
        XCTAssertNil(l.admit("192.0.2.1", preAuth: true))
        l.authenticated("192.0.2.1")  // a logged-in user of the office
        XCTAssertNil(l.admit("192.0.2.1", preAuth: true))
        XCTAssertNil(l.admit("192.0.2.1", preAuth: true))
        XCTAssertEqual(
            l.admit("192.0.2.1", preAuth: true), .tooManyFromAddress, "idle unauthenticated ones hold only their cap")
        XCTAssertEqual(l.preAuthCount(for: "192.0.2.1"), 2)
        XCTAssertNil(l.admit("192.0.2.2", preAuth: true), "another address is not affected")
        l.authenticated("192.0.2.1")
        XCTAssertNil(l.admit("192.0.2.1", preAuth: true), "a login frees a pre-authentication slot")
        XCTAssertEqual(l.count(for: "192.0.2.1"), 4)
        l.release("192.0.2.1", preAuth: true)
        XCTAssertEqual(l.preAuthCount(for: "192.0.2.1"), 1)
        XCTAssertEqual(l.count(for: "192.0.2.1"), 3)
        XCTAssertNil(l.admit("192.0.2.1"), "a listener without login (port 25) counts only against the total")
        XCTAssertEqual(l.preAuthCount(for: "192.0.2.1"), 1)
    }

    func testReleasingAnUnknownAddressChangesNothing() {
        var l = ConnectionLimiter(maxTotal: 1, maxPerAddress: 1)
        l.release("198.51.100.1")
        XCTAssertEqual(l.total, 0)
        XCTAssertNil(l.admit("198.51.100.1"))
    }
}

final class WorkerPoolTests: XCTestCase {
    func testNoMoreThanWidthJobsRunAtOnceAndAllRun() {
        let pool = WorkerPool(name: "test", width: 2)
        let counters = Mutex((running: 0, peak: 0, done: 0))
        let gate = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for _ in 0..<6 {
            finished.enter()
            pool.submit {
                counters.withLock {
                    $0.running += 1; $0.peak = max($0.peak, $0.running)
                }
                gate.wait()
                counters.withLock {
                    $0.running -= 1; $0.done += 1
                }
                finished.leave()
            }
        }
        // Two run, four wait.
        XCTAssertEqual(pool.load.waiting + pool.load.running, 6)
        XCTAssertEqual(pool.load.running, 2)
        for _ in 0..<6 { gate.signal() }
        finished.wait()
        counters.withLock {
            XCTAssertEqual($0.done, 6)
            XCTAssertLessThanOrEqual($0.peak, 2)
        }
    }
}
