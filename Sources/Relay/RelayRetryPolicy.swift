import MailCore
import SMTPProtocol

/// What one delivery attempt means for a queued item: which recipients are done, which bounce,
/// and when the rest are tried again. Pure: the runner gives it the outcomes and `now`.
///
/// Retries wait `retrySchedule[attempts - 1]` seconds (the last value repeats). A recipient still
/// failing temporarily once the item is `maxAge` old bounces; the last retry is placed exactly at
/// `createdAt + maxAge`, so the give-up moment does not depend on where the schedule lands.
public struct RelayRetryPolicy: Sendable, Equatable {
    public var retrySchedule: [Int]
    public var maxAge: Double

    public init(retrySchedule: [Int], maxAge: Double) {
        self.retrySchedule = retrySchedule.isEmpty ? [60] : retrySchedule
        self.maxAge = maxAge
    }

    /// The result of applying one attempt's outcomes.
    public struct Decision: Sendable, Equatable {
        /// The item with recipient states, last results, attempts and the next attempt updated.
        public var item: RelayQueueItem
        /// Recipients that failed for good in this attempt: they go into one bounce.
        public var bounced: [DSNRecipient]
        /// No recipient is pending any more: the item can leave the queue (after its bounce is durable).
        public var isComplete: Bool { item.pendingRecipients.isEmpty }
    }

    /// Seconds to wait after the `attempt`-th attempt (1-based) failed temporarily.
    public func delay(afterAttempt attempt: Int) -> Double {
        Double(retrySchedule[min(max(attempt, 1), retrySchedule.count) - 1])
    }

    /// Applies the outcomes of one attempt (made at `now`) to `item`.
    public func apply(_ outcomes: [(EmailAddress, RelayRecipientOutcome)], to item: RelayQueueItem, now: Double)
        -> Decision
    {
        var item = item
        item.attempts += 1
        let expired = now - item.createdAt >= maxAge
        var bounced: [DSNRecipient] = []
        for (address, outcome) in outcomes {
            guard
                let index = item.recipients.firstIndex(where: {
                    $0.state == .pending && (try? EmailAddress($0.address)) == address
                })
            else { continue }
            switch outcome {
            case .delivered(let reply):
                item.recipients[index].state = .delivered
                item.recipients[index].lastResult = Self.summary(reply)
            case .permanentFailure(let reply):
                item.recipients[index].state = .failed
                item.recipients[index].lastResult = Self.summary(reply)
                bounced.append(
                    DSNRecipient(
                        address: address, status: reply.enhancedCode ?? "5.0.0",
                        diagnostic: Self.summary(reply)))
            case .transientFailure(let reply):
                item.recipients[index].lastResult = Self.summary(reply)
                if expired {
                    item.recipients[index].state = .failed
                    // RFC 3463 §3.5: 4.4.7 "delivery time expired"; the diagnostic keeps the last reply.
                    bounced.append(
                        DSNRecipient(
                            address: address, status: "4.4.7",
                            diagnostic: Self.summary(reply) + " (gave up after \(item.attempts) attempts)"))
                }
            }
        }
        item.nextAttemptAt = min(now + delay(afterAttempt: item.attempts), item.createdAt + maxAge)
        return Decision(item: item, bounced: bounced)
    }

    /// A reply on one line, as `queue list` and bounces show it: `550 5.1.1 No such user`.
    public static func summary(_ reply: SMTPReply) -> String {
        ([String(reply.code)] + (reply.enhancedCode.map { [$0] } ?? []) + [reply.lines.joined(separator: " ")])
            .joined(separator: " ")
    }
}
