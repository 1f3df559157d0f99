import MailCore
import GovMailTestSupport
@testable import IMAPProtocol

/// Runs a session against a `FakeMailStore`, answering its requests, and collects output lines.
final class SessionDriver {
    var session: IMAPSession
    let store: FakeMailStore
    let clock: ManualClock
    var output: [UInt8] = []
    var closed = false
    var requests: [IMAPRequest] = []
    /// Notices that need no answer (IDLE start/end, client name).
    var idleNotices: [IMAPAction] = []

    init(
        configuration: IMAPSessionConfiguration = IMAPSessionConfiguration(tlsActive: true),
        store: FakeMailStore = FakeMailStore()
    ) {
        clock = ManualClock()
        self.store = store
        session = IMAPSession(configuration: configuration, now: clock.now())
        run(session.start())
    }

    func run(_ actions: [IMAPAction]) {
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .send(let r): output += r.bytes()
            case .close: closed = true
            case .startTLS: queue += session.handle(.tlsStarted, now: clock.now())
            case .request(let r):
                requests.append(r)
                queue += session.handle(store.answer(r), now: clock.now())
            case .idleStarted, .idleEnded, .clientIdentified: idleNotices.append(action)
            }
        }
    }

    func send(_ bytes: [UInt8]) { run(session.receive(bytes, now: clock.now())) }
    func send(_ line: String) { send(Array((line + "\r\n").utf8)) }

    /// Pushes what others changed in the selected folder, as the composition would.
    func pushChanges() { run(session.handle(.mailboxChanged(store.changes()), now: clock.now())) }

    func advance(_ seconds: Double) {
        clock.advance(seconds)
        run(session.tick(now: clock.now()))
    }

    /// Output lines so far (CRLF removed), then clears them.
    func take() -> [String] {
        var lines: [String] = []
        var cur: [UInt8] = []
        var i = 0
        while i < output.count {
            if output[i] == 13, i + 1 < output.count, output[i + 1] == 10 {
                lines.append(String(decoding: cur, as: UTF8.self))
                cur = []
                i += 2
            } else {
                cur.append(output[i])
                i += 1
            }
        }
        output = cur
        return lines
    }

    /// Sends a line and returns the response lines.
    func exchange(_ line: String) -> [String] {
        send(line)
        return take()
    }

    /// Logs in `alice` and selects INBOX, discarding output.
    func loginAndSelect(_ mailbox: String = "INBOX") {
        store.users["alice"] = "secret"
        _ = take()
        _ = exchange("l1 LOGIN alice secret")
        _ = exchange("s1 SELECT \(mailbox)")
    }
}
