import MailCore

/// Entry points for libFuzzer (GovMailFuzz) and for the seed replay in `swift test`.
/// Each one feeds arbitrary bytes to a pure parser and traps when an invariant breaks.
public enum SMTPFuzzTargets {
    /// The command parser: every byte sequence parses, fails or asks for more; never crashes,
    /// and an incomplete parse consumes nothing.
    public static func command(_ bytes: [UInt8]) {
        var buffer = ByteQueue(bytes)
        while !buffer.isEmpty {
            let before = buffer.count
            do {
                guard try SMTPCommandParser.parse(&buffer, lineLimit: 128) != nil else {
                    precondition(buffer.count == before, "an incomplete parse consumed bytes")
                    return
                }
            } catch .lineTooLong {
                return
            } catch .httpRequest {
                return
            } catch {}
            precondition(buffer.count < before, "a complete line was not consumed")
        }
    }

    /// The DATA decoder: a message never holds a bare CR/LF or more than the limit, and split
    /// input (at a point taken from the data) decodes exactly like whole input.
    public static func data(_ bytes: [UInt8]) {
        let limit = 64
        func run(_ chunks: [ArraySlice<UInt8>]) -> (DataDecoder.Outcome?, [UInt8]) {
            var decoder = DataDecoder(maxSize: limit)
            var queue = ByteQueue()
            var outcome: DataDecoder.Outcome?
            for chunk in chunks {
                queue.append(chunk)
                if outcome == nil { outcome = decoder.decode(&queue) }
            }
            return (outcome, Array(queue.readable))
        }
        let whole = run([bytes[...]])
        if case .message(let m)? = whole.0 {
            precondition(m.count <= limit, "message over the limit")
            precondition(!SMTPServerSession.hasBareLineEnding(m), "message with a bare line ending")
        }
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        let split = run([bytes[..<cut], bytes[cut...]])
        precondition(whole.0 == split.0 && whole.1 == split.1, "chunking changed the outcome")
    }

    /// The whole server session with an outside that says yes to everything: no input may
    /// crash it, and it never acts after closing.
    public static func session(_ bytes: [UInt8]) {
        struct FixedClock: MailClock { func now() -> Double { 1_790_000_000 } }
        let limits = SMTPLimits(
            lineLength: 256, maxMessageSize: 512, maxRecipients: 5, errorBudget: 20,
            maxBufferedInput: 4096)
        let mode: SMTPSessionMode = (bytes.first ?? 0) & 1 == 0 ? .submission : .inbound
        var session = SMTPServerSession(
            configuration: SMTPServerConfiguration(
                hostname: "fuzz.example", mode: mode, limits: limits, clock: FixedClock()))
        var events: [SMTPServerEvent] = [
            .connected(SMTPPeer(address: "192.0.2.1", tlsVersion: "TLSv1.3", sessionID: "F"))
        ]
        var closed = false
        var pieces = bytes.split(separator: 0, omittingEmptySubsequences: false).makeIterator()
        while true {
            if events.isEmpty {
                guard let piece = pieces.next() else { break }
                events.append(.received(Array(piece)))
            }
            let actions = session.receive(events.removeFirst())
            precondition(!closed || actions.isEmpty, "the session acted after closing")
            for action in actions {
                switch action {
                case .close: closed = true
                case .send: break
                case .startTLS: events.append(.tlsStarted(version: "TLSv1.3"))
                case .authenticate(let request):
                    events.append(
                        .authenticationResult(
                            request.password.byteCount % 2 == 0
                                ? .succeeded(account: try! EmailAddress("fuzz@fuzz.example")) : .failed))
                case .checkSender(let address, _): events.append(.senderCheckResult(.allowed(identities: [address])))
                case .checkRecipient(let check):
                    let results: [RecipientCheckResult] = [
                        .local(mailbox: check.address), .unknownLocal,
                        .remoteAcceptedForRelay, .remoteRefused, .overQuota, .tooLargeForAccount, .temporaryFailure,
                    ]
                    events.append(.recipientCheckResult(results[check.address.key.utf8.count % results.count]))
                case .deliver(let delivery):
                    precondition(!delivery.recipients.isEmpty, "delivery without recipients")
                    events.append(
                        .deliveryResult(delivery.message.count % 3 == 0 ? .transientFailure : .queued(id: "Q")))
                }
            }
        }
    }
}
