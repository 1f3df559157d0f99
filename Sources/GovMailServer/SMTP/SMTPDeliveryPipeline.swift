import Foundation
import Logging
import MailCore
import MaildirStore
import SMTPProtocol

/// What a successful delivery stored: for the usage counters, the notifier and the log.
struct DeliveryReport: Sendable, Equatable {
    let queueID: String
    /// The relay spool item holding the remote recipients, if there were any.
    let relayItemID: String?
    /// Each local mailbox once (two aliases of one account get one copy).
    let localMailboxes: [LocalMailbox]
    let remoteRecipients: Int
    let size: Int
}

/// The outcome of storing one message, before it becomes an SMTP reply.
enum DeliveryOutcome: Sendable, Equatable {
    case stored(DeliveryReport)
    /// Nothing was kept (the relay item was withdrawn): the client may retry without duplicates.
    case transientFailure
    case refused(SMTPReply)
}

/// Stores an accepted message durably for every recipient, all or nothing (RFC 5321 §6.1: the
/// 250 reply is a promise). Blocking (fsync): run it on the storage pool.
///
/// Order: the relay spool first (message, then envelope), then every local INBOX at once through
/// `MaildirDelivery` (one file, hard links, all-or-nothing). If the local step fails, the spool item
/// is removed again before `451 4.3.0`, so a retry by the client never duplicates anything.
/// A crash between the two steps leaves only the spool item, whose client got no 250; its retry
/// can then reach the remote recipients twice — the one window left, and it affects remote
/// recipients only.
struct SMTPDeliveryPipeline: Sendable {
    let relayQueue: RelayQueue
    let delivery: MaildirDelivery
    let logger: Logger

    func deliver(_ message: Delivery, mailboxes: [LocalMailbox], accountID: Int64?, now: Double) -> DeliveryOutcome {
        var seen = Set<Int64>()
        let local = mailboxes.filter { seen.insert($0.accountID).inserted }
        let remote = message.recipients.compactMap { r -> EmailAddress? in r.route == .relay ? r.address : nil }

        // SIZE is optional: the real size is checked against every quota here, before anything is stored.
        if local.contains(where: { $0.quota > 0 && Int64(message.message.count) > $0.quota }) {
            return .refused(.tooLargeForAccount)
        }
        var relayItem: RelayQueueItem?
        if !remote.isEmpty {
            do {
                relayItem = try relayQueue.enqueue(sender: message.sender, recipients: remote, message: message.message,
                                                   accountID: accountID, now: now)
            } catch {
                logger.error("relay spool write failed; answered 451", metadata: ["transaction": "\(message.transactionID)",
                                                                                  "error": "\(error)"])
                return .transientFailure
            }
        }
        do {
            for mailbox in local where !FileManager.default.fileExists(atPath: mailbox.root + "/new") {
                try MaildirLayout.createMaildir(at: mailbox.root, isSubfolder: false)
            }
            try delivery.deliver(message.message, to: local.map { MaildirDelivery.Recipient(accountRoot: $0.root) })
        } catch {
            logger.error("local delivery failed; answered 451", metadata: ["transaction": "\(message.transactionID)",
                                                                           "error": "\(error)"])
            if let relayItem {
                do { try relayQueue.remove(relayItem.id) } catch {
                    // The client hears 451 and may retry: the remote recipients could get this message twice.
                    logger.critical("could not withdraw relay item after a failed local delivery",
                                    metadata: ["item": "\(relayItem.id)", "error": "\(error)"])
                }
            }
            return .transientFailure
        }
        return .stored(DeliveryReport(queueID: message.transactionID, relayItemID: relayItem?.id, localMailboxes: local,
                                      remoteRecipients: remote.count, size: message.message.count))
    }
}
