import MailCore
import GovMailTestSupport
import IMAPTranscriptSupport
@testable import IMAPProtocol

/// Runs a session against a `FakeMailStore`, answering its requests, and collects output lines.
final class SessionDriver {
    let store: FakeMailStore
    let harness: IMAPSessionHarness
    var session: IMAPSession {
        get { harness.session }
        set { harness.session = newValue }
    }
    var clock: ManualClock { harness.clock }
    var output: [UInt8] {
        get { harness.output }
        set { harness.output = newValue }
    }
    var closed: Bool { harness.closed }
    var requests: [IMAPRequest] { harness.requests }
    /// Notices that need no answer (IDLE start/end, client name).
    var idleNotices: [IMAPAction] { harness.notices }

    init(
        configuration: IMAPSessionConfiguration = IMAPSessionConfiguration(tlsActive: true),
        store: FakeMailStore = FakeMailStore()
    ) {
        self.store = store
        harness = IMAPSessionHarness(
            configuration: configuration, answer: { [store] in [store.answer($0)] },
            changesByOthers: { [store] in store.changes() })
    }

    func run(_ actions: [IMAPAction]) { harness.run(actions) }

    func send(_ bytes: [UInt8]) { harness.send(bytes) }
    func send(_ line: String) { send(Array((line + "\r\n").utf8)) }

    /// Pushes what others changed in the selected folder, as the composition would.
    func pushChanges() { harness.pushChanges() }

    func advance(_ seconds: Double) { harness.advance(seconds) }

    /// Output lines so far (CRLF removed), then clears them.
    func take() -> [String] { harness.take() }

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
