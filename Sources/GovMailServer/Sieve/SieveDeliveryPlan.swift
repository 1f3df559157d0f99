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

/// Maps Sieve imap4flags names to Maildir letters. Keywords (`$CongVan`) need the folder's
/// dovecot-keywords table, which only changes under the folder lock: at delivery they are left out.
enum SieveFlagLetters {
    static func letters(_ flags: [String]) -> (letters: String, skippedKeywords: [String]) {
        var letters = Set<Character>()
        var skipped: [String] = []
        for name in flags {
            let flag = Flag(name)
            if let letter = MaildirFlags.systemLetters.first(where: { $0.flag == flag })?.letter {
                letters.insert(letter)
            } else if flag != .recent {
                skipped.append(name)
            }
        }
        return (String(letters.sorted()), skipped)
    }
}
