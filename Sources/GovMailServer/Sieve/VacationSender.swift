import AccountStore
import Foundation
import Logging
import MailCore
import MaildirStore
import Relay
import SMTPProtocol
import SieveProtocol

/// Sends the vacation replies Sieve asked for, after the message is durable (RFC 5230, RFC 3834):
/// the reply rules (`VacationResponder.decide`), then once per sender per period (`VacationMemory`),
/// then the reply through GovMail's own paths: a local sender's INBOX directly, anyone else through
/// the relay queue with the null return path `<>` (so a reply can never cause another reply or a bounce loop).
/// Failures are logged; they never change the answer to the original message.
struct VacationSender: Sendable {
    let hostname: String
    let directory: any DirectoryService
    let layout: MaildirLayout
    let delivery: MaildirDelivery
    let relayQueue: RelayQueue
    let relayEnabled: Bool
    let notifier: MailboxNotifier
    /// Asks the relay runner to send now rather than at its next scan.
    let pokeRelay: @Sendable () -> Void
    let logger: Logger

    func consider(_ pending: PendingVacation, for mailbox: LocalMailbox, now: Double) {
        let own = (try? directory.aliases(ofAccount: mailbox.accountID)) ?? []
        let decision = VacationResponder.decide(
            pending.request, message: pending.message, recipient: mailbox.address, ownAddresses: own)
        guard case .reply(let sender) = decision else {
            if case .skip(let why) = decision {
                logger.info("vacation reply not sent", metadata: ["account": "\(mailbox.address)", "reason": "\(why)"])
            }
            return
        }
        let memory = VacationMemory(root: mailbox.root, writer: delivery.writer)
        guard !memory.hasReplied(to: sender.key, handle: pending.request.handle, now: now) else {
            logger.info(
                "vacation reply not sent",
                metadata: ["account": "\(mailbox.address)", "reason": "already replied to this sender in this period"])
            return
        }
        let reply = VacationResponder.compose(
            pending.request, message: pending.message, from: mailbox.address, to: sender,
            messageID: "\(UInt64(now * 1000)).\(UInt32.random(in: 0...UInt32.max)).vacation@\(hostname)",
            date: SubmissionFixes.rfc5322Date(now))
        do {
            if let entry = try directory.lookup(sender) {
                let root = try layout.accountRoot(entry.address)
                try delivery.deliver(reply, to: [MaildirDelivery.Recipient(accountRoot: root)])
                notifier.post(folderPath: root)
            } else {
                guard relayEnabled else {
                    logger.info(
                        "vacation reply not sent",
                        metadata: ["account": "\(mailbox.address)", "reason": "the sender is remote and relay is off"])
                    return
                }
                _ = try relayQueue.enqueue(
                    sender: nil, recipients: [sender], message: reply, accountID: mailbox.accountID, now: now)
                pokeRelay()
            }
        } catch {
            logger.error(
                "vacation reply could not be stored", metadata: ["account": "\(mailbox.address)", "error": "\(error)"])
            return
        }
        do {
            try memory.remember(
                sender.key, handle: pending.request.handle, until: now + Double(pending.request.period), now: now)
        } catch {
            logger.error(
                "vacation reply sent but not remembered; this sender may get another one",
                metadata: ["account": "\(mailbox.address)", "error": "\(error)"])
        }
        logger.info("vacation reply sent", metadata: ["account": "\(mailbox.address)", "to": "\(sender)"])
    }
}
