import Dispatch
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import NetServer
import XCTest

/// `ConnectionHandle.notify` from another thread reaches the driver on its queue, also while
/// blocking work is in flight, and its actions are carried out.
final class ConnectionHandleTests: XCTestCase {
    /// "PING x": another thread calls notify("x"); the driver answers "notified x".
    /// "WAIT": blocking work that waits until the driver was notified, then answers "released"
    /// (or "not notified" after 5 s); meanwhile another thread calls notify("during-work").
    final class Driver: ProtocolDriver {
        let pool: WorkerPool
        let released = DispatchSemaphore(value: 0)
        var framer = LineFramer(maxLength: 100)
        init(pool: WorkerPool) { self.pool = pool }
        func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] { [.send(Array("hi\r\n".utf8))] }
        func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
            var actions: [ConnectionAction] = []
            while case .line(let line)? = framer.next(from: &input) {
                let text = String(decoding: line.bytes, as: UTF8.self)
                let handle = context.handle
                if text.hasPrefix("PING ") {
                    let name = String(text.dropFirst(5))
                    DispatchQueue.global().async { handle.notify(name) }
                } else if text == "WAIT" {
                    let released = self.released
                    DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { handle.notify("during-work") }
                    actions.append(
                        .run(
                            BlockingWork(
                                on: pool,
                                { released.wait(timeout: .now() + 5) == .success ? "released" : "not notified" },
                                then: { [.send(Array("\($0)\r\n".utf8))] })))
                    return actions
                } else if text == "BYE" {
                    return actions + [.send(Array("bye\r\n".utf8)), .close]
                }
            }
            return actions
        }
        func notified(_ name: String, _ context: ConnectionContext) -> [ConnectionAction] {
            if name == "during-work" { released.signal() }
            return [.send(Array("notified \(name)\r\n".utf8))]
        }
    }

    func testNotifyRunsTheDriverOnItsQueueAndSendsWhatItReturns() throws {
        let pool = WorkerPool(name: "test", width: 1)
        let factory = DriverFactory(makeDriver: { _ in Driver(pool: pool) }, refusal: { _ in [] })
        let server = NetServer(
            settings: ConnectionSettings(), tlsContext: nil, clock: SystemClock(), logger: Logger(label: "test"))
        let ports = try server.bind([
            ListenerSpec(name: "t", address: "127.0.0.1", port: 0, tlsMode: .none, drivers: factory)
        ])
        server.start()
        defer {
            let done = DispatchSemaphore(value: 0)
            server.shutdown(grace: 0) { done.signal() }
            _ = done.wait(timeout: .now() + 10)
        }
        let client = try LineClient(port: try XCTUnwrap(ports["t"]))
        XCTAssertEqual(try client.line(), "hi")
        try client.send("PING one")
        XCTAssertEqual(try client.line(), "notified one")
        try client.send("WAIT")
        XCTAssertEqual(try client.line(), "notified during-work", "delivered while work was in flight")
        XCTAssertEqual(try client.line(), "released")
        try client.send("BYE")
        XCTAssertEqual(try client.line(), "bye")
    }
}

/// A blocking line client on a loopback socket (10 s receive timeout).
final class LineClient {
    let fd: Int32
    var buffer: [UInt8] = []
    struct Failure: Error {}

    init(port: Int) throws {
        fd = LoopbackSocket.connect(port: port)
        guard fd >= 0 else { throw Failure() }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array((text + "\r\n").utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw Failure() }
    }

    func line() throws -> String {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let i = buffer.firstIndex(of: 10) {
                let line = buffer[..<i].filter { $0 != 13 }
                buffer.removeFirst(i + 1)
                return String(decoding: line, as: UTF8.self)
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure() }
            buffer += chunk[0..<n]
        }
    }
}
