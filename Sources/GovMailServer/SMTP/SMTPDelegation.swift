import AccountStore
import Foundation
import Logging
import MailCore
import MaildirStore
import MessageFormat
import SMTPProtocol

/// The shared mailboxes one member may send for (issue 17), read fresh at every MAIL FROM and
/// again at delivery, so a granted or revoked right counts from the next message on.
struct SenderDelegations: Sendable, Equatable {
    struct Shared: Sendable, Equatable {
        let accountID: Int64
        /// The shared mailbox's address and its aliases.
        let addresses: [EmailAddress]
        let sendAs: Bool
        let sendOnBehalf: Bool
    }
    let shared: [Shared]

    init(shared: [Shared]) { self.shared = shared }

    init(store: AccountStore, memberAccountID: Int64) throws {
        shared = try store.sendDelegations(memberAccountID: memberAccountID).map { d, aliases in
            Shared(
                accountID: d.sharedAccountID, addresses: [d.shared] + aliases,
                sendAs: d.rights.contains(.sendAs), sendOnBehalf: d.rights.contains(.sendOnBehalf)
            )
        }
    }

    /// Addresses allowed in MAIL FROM besides the member's own: send-as only (the rule).
    var envelopeAddresses: [EmailAddress] { shared.filter(\.sendAs).flatMap(\.addresses) }
    /// Addresses allowed in From: besides the member's own: send-as, and send-on-behalf (whose
    /// Sender: rule `decide` checks once the header is known).
    var headerFromAddresses: [EmailAddress] { shared.filter { $0.sendAs || $0.sendOnBehalf }.flatMap(\.addresses) }

    func mailbox(for address: EmailAddress) -> Shared? { shared.first { $0.addresses.contains(address) } }
}

/// Whether a submitted message is the member's own, a delegated send, or refused (RFC 5322 §3.6.2:
/// From is the author, Sender the agent who actually sent it).
enum DelegatedSendDecision: Sendable, Equatable {
    case own
    case delegated(sharedAccountID: Int64, mode: DelegatedSend.Mode)
    case refused(SMTPReply)

    /// Decides from the envelope sender, the From and Sender header addresses, the member's own
    /// addresses (account and aliases) and the member's delegations:
    /// - MAIL FROM a shared address needs send-as (checked at MAIL FROM; audited here as send-as).
    /// - From: a shared address with Sender: one of the member's own addresses is send-on-behalf,
    ///   which needs that right (send-as alone does not put the member in Sender).
    /// - From: a shared address without such a Sender is send-as, which needs send-as.
    static func decide(
        envelope: EmailAddress?, from: [EmailAddress], sender: [EmailAddress], own: [EmailAddress],
        delegations: SenderDelegations
    ) -> DelegatedSendDecision {
        let sharedFrom = from.filter { !own.contains($0) }
        let onBehalfSender = !sender.isEmpty && sender.allSatisfy { own.contains($0) }
        var decision: DelegatedSendDecision = .own
        for address in sharedFrom {
            guard let mailbox = delegations.mailbox(for: address) else { return .refused(.headerFromNotAllowed) }
            if onBehalfSender && mailbox.sendOnBehalf {
                decision = .delegated(sharedAccountID: mailbox.accountID, mode: .sendOnBehalf)
            } else if mailbox.sendAs {
                decision = .delegated(sharedAccountID: mailbox.accountID, mode: .sendAs)
            } else {
                return .refused(onBehalfSender ? .sendOnBehalfNotAllowed(address) : .sendOnBehalfNeedsSender(address))
            }
        }
        if decision == .own, let envelope, !own.contains(envelope) {
            guard let mailbox = delegations.mailbox(for: envelope), mailbox.sendAs else {
                return .refused(.headerFromNotAllowed)
            }
            decision = .delegated(sharedAccountID: mailbox.accountID, mode: .sendAs)
        }
        return decision
    }
}

extension SMTPReply {
    static func sendOnBehalfNeedsSender(_ shared: EmailAddress) -> SMTPReply {
        SMTPReply(
            550, "5.7.1",
            "You may send for \(shared) only on behalf: add a Sender: header with your own address")
    }
    static func sendOnBehalfNotAllowed(_ shared: EmailAddress) -> SMTPReply {
        SMTPReply(550, "5.7.1", "You have no send-on-behalf right for \(shared); ask an administrator")
    }
}

/// The delivery-time half of delegated sending: decide before storing; once stored, audit it and
/// file a copy in the shared mailbox's Sent folder. Blocking (SQLite, fsync): run on the storage pool.
struct SMTPDelegationCheck: Sendable {
    let store: AccountStore
    let directory: any DirectoryService
    let layout: MaildirLayout
    let delivery: MaildirDelivery
    let notifier: MailboxNotifier
    let logger: Logger

    init(services: ServerServices, logger: Logger) {
        store = services.store
        directory = services.directory
        layout = services.layout
        delivery = services.delivery
        notifier = services.notifier
        self.logger = logger
    }

    func decide(_ delivery: Delivery, memberAccountID: Int64?) -> DelegatedSendDecision {
        guard let memberAccountID, let member = delivery.account else { return .own }
        let header = MessageParser.parseHeader(delivery.message).header
        func addresses(_ name: String) -> [EmailAddress] {
            header.all(name).flatMap { AddressList.parse($0.unfoldedValueBytes).flatMap(\.mailboxes) }
                .compactMap(\.emailAddress)
        }
        do {
            let delegations = try SenderDelegations(store: store, memberAccountID: memberAccountID)
            // No delegation at all: the session's own-address checks already decided.
            guard !delegations.shared.isEmpty else { return .own }
            let own = [member] + (try directory.aliases(ofAccount: memberAccountID))
            return .decide(
                envelope: delivery.sender, from: addresses("From"), sender: addresses("Sender"), own: own,
                delegations: delegations)
        } catch {
            logger.error("delegation lookup failed; answered 451", metadata: ["error": "\(error)"])
            return .refused(.localError)
        }
    }

    /// After a delegated send was stored (before its 250): the audit row, and a copy (flagged
    /// \Seen, as clients file their own sent mail) in the shared mailbox's Sent folder so every
    /// member sees what went out in the unit's name. Failures are logged: the mail itself is stored.
    func stored(_ decision: DelegatedSendDecision, _ delivery: Delivery, memberAccountID: Int64?, now: Double) {
        guard case .delegated(let shared, let mode) = decision, let memberAccountID else { return }
        let messageID = MessageParser.parseHeader(delivery.message).header.first("Message-ID")?.value ?? ""
        let metadata: Logger.Metadata = ["transaction": "\(delivery.transactionID)"]
        do {
            try store.recordDelegatedSend(
                sharedAccountID: shared, memberAccountID: memberAccountID, mode: mode, messageID: messageID,
                recipients: delivery.recipients.count, at: Int64(now))
        } catch {
            logger.critical(
                "delegated send stored but not audited", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        do {
            guard let account = try store.account(id: shared), account.status != .deleted else { return }
            let root = try layout.accountRoot(account.address)
            let sent = MaildirLayout.folderPath(root: root, MaildirLayout.SpecialUse.sent.mailbox)
            if !FileManager.default.fileExists(atPath: sent + "/cur") {
                try MaildirLayout.createMaildir(at: root, isSubfolder: false)
                try MaildirLayout.createMaildir(at: sent, isSubfolder: true)
            }
            try self.delivery.deliver(
                delivery.message, to: [MaildirDelivery.Recipient(accountRoot: root, folderPath: sent, flagLetters: "S")]
            )
            notifier.post(folderPath: sent)
        } catch {
            logger.error(
                "delegated send stored but its copy in the shared Sent folder failed",
                metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }
}
