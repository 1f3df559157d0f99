import AccountStore
import Foundation
import Logging
import MailCore
import MaildirStore
import SMTPProtocol

/// Turns recipients that failed for good into a bounce (RFC 3464 multipart/report) in the
/// sender's INBOX. Only local senders get one; a bounce is never bounced (null sender `<>`).
public struct RelayBouncer: Sendable {
    public enum Result: Sendable, Equatable {
        /// Delivered durably to this INBOX folder path.
        case delivered(folderPath: String)
        /// Not deliverable by design (null or non-local sender); logged and dropped.
        case dropped(reason: String)
    }

    let reportingHost: String
    let directory: any DirectoryService
    let layout: MaildirLayout
    let delivery: MaildirDelivery
    let notifier: any FolderChangePosting
    let logger: Logger

    public init(
        reportingHost: String, directory: any DirectoryService, layout: MaildirLayout, delivery: MaildirDelivery,
        notifier: any FolderChangePosting, logger: Logger
    ) {
        self.reportingHost = reportingHost
        self.directory = directory
        self.layout = layout
        self.delivery = delivery
        self.notifier = notifier
        self.logger = logger
    }

    /// Builds and delivers the bounce; returns only once it is durable. Throws when the INBOX
    /// cannot be written (the caller keeps the recipients queued and tries again later).
    public func bounce(_ item: RelayQueueItem, message: [UInt8], failed: [DSNRecipient], now: Double) throws -> Result {
        guard !item.sender.isEmpty, let sender = try? EmailAddress(item.sender) else {
            return drop(item, "the message had the null sender <>; a bounce is never bounced")
        }
        guard let entry = try directory.lookup(sender) else {
            return drop(item, "the sender is not a local account")
        }
        let root = try layout.accountRoot(entry.address)
        let dsn = DeliveryStatusNotification.build(
            reportingHost: reportingHost, originalSender: sender, originalMessage: message, failed: failed,
            arrival: item.createdAt, now: now, messageID: "\(item.id).bounce.\(UInt64(now))@\(reportingHost)")
        try delivery.deliver(dsn, to: [MaildirDelivery.Recipient(accountRoot: root)])
        notifier.post(folderPath: root)
        logger.notice(
            "relay bounce delivered",
            metadata: [
                "item": "\(item.id)", "to": "\(entry.address)",
                "failed": "\(failed.map(\.address.description).joined(separator: ","))",
            ])
        return .delivered(folderPath: root)
    }

    private func drop(_ item: RelayQueueItem, _ reason: String) -> Result {
        logger.warning(
            "relay bounce not delivered",
            metadata: ["item": "\(item.id)", "sender": "<\(item.sender)>", "reason": "\(reason)"])
        return .dropped(reason: reason)
    }
}
