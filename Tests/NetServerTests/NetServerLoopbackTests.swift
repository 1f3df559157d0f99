import Dispatch
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import NetServer
import XCTest

/// The driver interface end to end over a loopback socket (no TLS): work results come back on the
/// connection's queue in order, pausing keeps later commands waiting, close flushes the reply.
final class NetServerLoopbackTests: XCTestCase {
    /// "WORK x" runs on the pool and answers "done x"; "BYE" closes; other lines are answered "ok line".
    final class TestDriver: ProtocolDriver {
        let pool: WorkerPool
        var framer = LineFramer(maxLength: 100)
        init(pool: WorkerPool) { self.pool = pool }
        func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
            [.send(Array("hello \(context.listenerName) tls=\(context.isTLSActive)\r\n".utf8))]
        }
        func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
            var actions: [ConnectionAction] = []
            while case .line(let line)? = framer.next(from: &input) {
                let text = String(decoding: line.bytes, as: UTF8.self)
                if text.hasPrefix("WORK ") {
                    let arg = String(text.dropFirst(5))
                    actions.append(
                        .run(
                            BlockingWork(
                                on: pool,
                                { () -> String in
                                    usleep(20_000); return arg
                                },
                                then: { [Array("done \($0)\r\n".utf8)].map { .send($0) } })))
                    return actions  // the next command waits for this one
                }
                if text == "BYE" { return actions + [.send(Array("bye\r\n".utf8)), .close] }
                if text == "LOGIN" { actions.append(.authenticated) }
                actions.append(.send(Array("ok \(text)\r\n".utf8)))
            }
            return actions
        }
    }

    private func startServer(
        _ settings: ConnectionSettings = ConnectionSettings(), requiresAuthentication: Bool = false
    ) throws -> (NetServer, Int) {
        let pool = WorkerPool(name: "test", width: 1)
        let factory = DriverFactory(
            makeDriver: { _ in TestDriver(pool: pool) },
            refusal: { _ in Array("busy\r\n".utf8) })
        let server = NetServer(settings: settings, tlsContext: nil, clock: SystemClock(), logger: Logger(label: "test"))
        let ports = try server.bind([
            ListenerSpec(
                name: "t", address: "127.0.0.1", port: 0, tlsMode: .none, drivers: factory,
                requiresAuthentication: requiresAuthentication)
        ])
        server.start()
        return (server, try XCTUnwrap(ports["t"]))
    }

    private func dialog(port: Int, send: String, halfClose: Bool = false) throws -> String {
        let fd = LoopbackSocket.connect(port: port)
        XCTAssertGreaterThanOrEqual(fd, 0, "connect to the test server")
        defer { close(fd) }
        let bytes = Array(send.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if halfClose { shutdown(fd, Int32(SHUT_WR)) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {  // until the server closes (BYE) or the receive timeout
            let n = buf.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    func testPipelinedCommandsWaitForBlockingWorkAndStayInOrder() throws {
        let (server, port) = try startServer()
        let transcript = try dialog(port: port, send: "a\r\nWORK 1\r\nb\r\nWORK 2\r\nc\r\nBYE\r\n")
        XCTAssertEqual(transcript, "hello t tls=false\r\nok a\r\ndone 1\r\nok b\r\ndone 2\r\nok c\r\nbye\r\n")
        let done = DispatchSemaphore(value: 0)
        server.shutdown(grace: 0) { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }

    func testHalfClosedClientStillGetsTheResultOfWorkInFlight() throws {
        let (server, port) = try startServer()
        XCTAssertEqual(try dialog(port: port, send: "WORK 7\r\n", halfClose: true), "hello t tls=false\r\ndone 7\r\n")
        let done = DispatchSemaphore(value: 0)
        server.shutdown(grace: 0) { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }

    func testConnectionOverThePerAddressLimitGetsTheRefusal() throws {
        var settings = ConnectionSettings()
        settings.maxConnectionsPerAddress = 0 + 1
        let (server, port) = try startServer(settings)
        // Hold one connection open (a dialog that does not close), then a second is refused.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var greeting = [UInt8](repeating: 0, count: 100)
        _ = greeting.withUnsafeMutableBytes { read(holder, $0.baseAddress, $0.count) }  // admitted once greeted
        XCTAssertEqual(try dialog(port: port, send: ""), "busy\r\n")
        close(holder)
        let done = DispatchSemaphore(value: 0)
        server.shutdown(grace: 0) { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }

    /// Reads until `text` has arrived or the peer closed; returns what was read.
    private func readSocket(_ fd: Int32, until text: String) -> String {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: out, as: UTF8.self).contains(text) {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func send(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    func testUnauthenticatedConnectionsHaveTheirOwnCapAndTimeoutButLoggedInOnesDoNot() throws {
        var settings = ConnectionSettings()
        settings.maxConnectionsPerAddress = 5
        settings.maxPreAuthConnectionsPerAddress = 1
        settings.preAuthTimeout = 0.5
        let (server, port) = try startServer(settings, requiresAuthentication: true)
        let member = LoopbackSocket.connect(port: port)
        defer { close(member) }
        XCTAssertTrue(readSocket(member, until: "hello").contains("hello t"))
        send(member, "LOGIN\r\n")
        XCTAssertTrue(readSocket(member, until: "ok LOGIN").contains("ok LOGIN"), "logged in: out of the pre-auth cap")
        let idle = LoopbackSocket.connect(port: port)
        defer { close(idle) }
        XCTAssertTrue(
            readSocket(idle, until: "hello").contains("hello t"), "one unauthenticated connection is admitted")
        XCTAssertEqual(try dialog(port: port, send: ""), "busy\r\n", "a second unauthenticated one is refused")
        XCTAssertEqual(readSocket(idle, until: "never sent"), "", "the idle one is closed after the pre-auth timeout")
        send(member, "still here\r\n")
        XCTAssertTrue(
            readSocket(member, until: "ok still here").contains("ok still here"),
            "the logged-in one outlives that timeout")
        XCTAssertTrue(try dialog(port: port, send: "BYE\r\n").hasPrefix("hello t"), "the slot is free again")
        let done = DispatchSemaphore(value: 0)
        server.shutdown(grace: 0) { done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
    }
}
