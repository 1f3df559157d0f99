import Foundation
import Logging
import MailCore
import MaildirStore
import Relay
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
/// Each local recipient's active Sieve script (`SieveFilter`) first turns into a plan: its folders
/// and flags, redirects (remote ones join the relay item) and a vacation reply; a failing script
/// plans the INBOX. Vacation replies go out only after everything below is durable.
/// Order: the relay spool first, as a held item (message, then envelope; the runner never sends it),
/// then every local INBOX at once through `MaildirDelivery` (one file, hard links, all-or-nothing),
/// then the item is released (durable envelope update) and `stored` returned for the 250.
/// If the local step fails, the item is removed again before `451 4.3.0`, so a retry by the client
/// never duplicates anything. A crash before the release leaves a held item whose client got no
/// 250: `RelayRunner.start()` removes it, and the client's retry is the only copy that goes out.
struct SMTPDeliveryPipeline: Sendable {
    let relayQueue: RelayQueue
    let delivery: MaildirDelivery
    let logger: Logger
    /// Each recipient's active Sieve script decides its folders, redirects and vacation reply.
    var sieve: SieveFilter? = nil

    func deliver(_ message: Delivery, mailboxes: [LocalMailbox], accountID: Int64?, now: Double) -> DeliveryOutcome {
        var seen = Set<Int64>()
        let local = mailboxes.filter { seen.insert($0.accountID).inserted }
        let plans = local.map { sieve?.plan(message, for: $0, now: now) ?? .keep($0) }
        var remote = message.recipients.compactMap { r -> EmailAddress? in r.route == .relay ? r.address : nil }
        for target in plans.flatMap(\.remoteRedirects) where !remote.contains(target) { remote.append(target) }
        var folders = Set<String>()
        let copies = plans.flatMap(\.destinations).filter { folders.insert($0.folderPath).inserted }

        // SIZE is optional: the real size is checked against every quota here, before anything is stored.
        if local.contains(where: { $0.quota > 0 && Int64(message.message.count) > $0.quota }) {
            return .refused(.tooLargeForAccount)
        }
        var relayItem: RelayQueueItem?
        if !remote.isEmpty {
            do {
                relayItem = try relayQueue.enqueue(
                    sender: message.sender, recipients: remote, message: message.message,
                    accountID: accountID, now: now, held: true)
            } catch {
                logger.error(
                    "relay spool write failed; answered 451",
                    metadata: [
                        "transaction": "\(message.transactionID)",
                        "error": "\(error)",
                    ])
                return .transientFailure
            }
        }
        do {
            for mailbox in local where !FileManager.default.fileExists(atPath: mailbox.root + "/new") {
                try MaildirLayout.createMaildir(at: mailbox.root, isSubfolder: false)
            }
            try delivery.deliver(message.message, to: copies)
        } catch {
            ServerMetrics.shared.maildirWriteError()
            logger.error(
                "local delivery failed; answered 451",
                metadata: [
                    "transaction": "\(message.transactionID)",
                    "error": "\(error)",
                ])
            if let relayItem { withdraw(relayItem.id) }
            return .transientFailure
        }
        if let relayItem {
            do { try relayQueue.release(relayItem.id) } catch {
                // The local copies are stored, but without a release the remote ones would never go out:
                // answering 451 makes the client send again, so local recipients may get it twice — never lost.
                logger.error(
                    "relay item could not be released; answered 451, local recipients may get a second copy",
                    metadata: [
                        "transaction": "\(message.transactionID)", "item": "\(relayItem.id)",
                        "error": "\(error)",
                    ])
                withdraw(relayItem.id)
                return .transientFailure
            }
        }
        sieve?.afterDelivery(plans, now: now)
        return .stored(
            DeliveryReport(
                queueID: message.transactionID, relayItemID: relayItem?.id, localMailboxes: local,
                remoteRecipients: remote.count, size: message.message.count))
    }

    /// Removes an item whose client hears 451 (held or not, it must not go out beside the retry).
    private func withdraw(_ id: String) {
        do { try relayQueue.remove(id) } catch {
            // The client hears 451 and may retry: the remote recipients could get this message twice.
            logger.critical(
                "could not withdraw relay item after a failed delivery",
                metadata: ["item": "\(id)", "error": "\(error)"])
        }
    }
}
