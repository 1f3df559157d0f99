import MailCore
import MaildirStore
import SieveProtocol

/// What one local recipient's script decided, turned into storage terms: where the copy goes
/// (folders, flags), which redirects leave, and a vacation reply to consider once stored.
struct SieveDeliveryPlan: Sendable {
    let mailbox: LocalMailbox
    /// Maildir destinations of this recipient (empty: discarded).
    var destinations: [MaildirDelivery.Recipient]
    /// Redirect targets outside this server (they join the relay item).
    var remoteRedirects: [EmailAddress] = []
    var vacation: PendingVacation?

    /// No script, or a failed one: the message goes to INBOX (RFC 5228 §2.10.6 implicit keep).
    static func keep(_ mailbox: LocalMailbox) -> SieveDeliveryPlan {
        SieveDeliveryPlan(mailbox: mailbox, destinations: [MaildirDelivery.Recipient(accountRoot: mailbox.root)])
    }
}

/// A vacation action that passed the script; the reply rules run after the message is durable.
struct PendingVacation: Sendable {
    let request: VacationRequest
    let message: SieveMessage
}
