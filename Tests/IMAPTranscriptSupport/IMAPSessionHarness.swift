import GovMailTestSupport
import IMAPProtocol
import MailCore

/// Runs an `IMAPSession` against a transcript backend, answering its requests, and collects output lines.
public final class IMAPSessionHarness {
    public var session: IMAPSession
    public let clock: ManualClock
    public var output: [UInt8] = []
    public var closed = false
    public var requests: [IMAPRequest] = []
    /// Actions that need no answer (IDLE start/end, the client's name).
    public var notices: [IMAPAction] = []
    /// Answers a request with the events to hand to the session, in order.
    private let answer: (IMAPRequest) -> [IMAPEvent]
    /// What others changed in the selected folder (for `pushChanges`).
    private let changesByOthers: () -> MailboxChange?

    public convenience init(configuration: IMAPSessionConfiguration, backend: any IMAPTranscriptBackend) {
        self.init(configuration: configuration, answer: backend.answer, changesByOthers: backend.changesByOthers)
    }

    public init(
        configuration: IMAPSessionConfiguration, answer: @escaping (IMAPRequest) -> [IMAPEvent],
        changesByOthers: @escaping () -> MailboxChange?
    ) {
        clock = ManualClock()
        self.answer = answer
        self.changesByOthers = changesByOthers
        session = IMAPSession(configuration: configuration, now: clock.now())
        run(session.start())
    }

    public func run(_ actions: [IMAPAction]) {
        var queue = actions
        while !queue.isEmpty {
            let action = queue.removeFirst()
            switch action {
            case .send(let r): output += r.bytes()
            case .close: closed = true
            case .startTLS: queue += session.handle(.tlsStarted, now: clock.now())
            case .request(let r):
                requests.append(r)
                for event in answer(r) { queue += session.handle(event, now: clock.now()) }
            case .idleStarted, .idleEnded, .clientIdentified: notices.append(action)
            }
        }
    }

    public func send(_ bytes: [UInt8]) { run(session.receive(bytes, now: clock.now())) }

    /// Pushes what others changed in the selected folder, as the server does when it is told.
    public func pushChanges() {
        guard let change = changesByOthers() else { return }
        run(session.handle(.mailboxChanged(change), now: clock.now()))
    }

    public func advance(_ seconds: Double) {
        clock.advance(seconds)
        run(session.tick(now: clock.now()))
    }

    /// Output lines so far (CRLF removed), then clears them; an unfinished line stays.
    public func take() -> [String] { Self.takeLines(&output) }

    /// The complete CRLF lines at the start of `output` (CRLF removed), leaving an unfinished line.
    public static func takeLines(_ output: inout [UInt8]) -> [String] {
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
}
