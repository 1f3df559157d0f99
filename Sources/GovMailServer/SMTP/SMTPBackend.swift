import AccountStore
import GovMailConfig
import Logging
import MailCore
import Relay
import SMTPProtocol

/// The outside work an SMTP session asks for (DESIGN.md: "SMTP: check and deliver"), typed, so
/// `SMTPDriver` only routes. One backend serves one connection and remembers what later steps of
/// the dialog need: the logged-in account and the local mailboxes met at RCPT.
///
/// `checkSender`, `checkRecipient` and `deliver` block (SQLite, a quota read, Maildir and spool
/// writes with fsync): the driver runs them on the storage pool, one at a time per connection.
/// `log` is the connection's logger (it carries the connection id).
protocol SMTPBackend: Sendable {
    /// AUTH succeeded for `accountID` (counted for the usage report).
    func loggedIn(accountID: Int64)
    func checkSender(address: EmailAddress, account: EmailAddress, log: Logger) -> SenderCheckResult
    func checkRecipient(_ check: RecipientCheck, log: Logger) -> RecipientCheckResult
    /// Returns only once the message is durable for every recipient, or nothing was kept.
    func deliver(_ delivery: Delivery, log: Logger) -> DeliveryResult
}

/// The server's SMTP backend: the directory policy, the delivery pipeline (Sieve, relay spool,
/// Maildir), then the usage counters, the relay runner and the IDLE notifier.
final class ServerSMTPBackend: SMTPBackend {
    private struct State {
        /// The authenticated account's directory id (for counters and the spool).
        var accountID: Int64?
        /// Local mailboxes met at RCPT in the current transaction, by address key, for delivery.
        var mailboxes: [String: LocalMailbox] = [:]
    }

    private let state = Locked(State())
    private let policy: SMTPRecipientPolicy
    private let pipeline: SMTPDeliveryPipeline
    /// S/MIME verification with the trust anchors current when the connection opened.
    private let signatureCheck: SMTPSignatureCheck
    private let delegationCheck: SMTPDelegationCheck
    private let services: ServerServices
    private let clock: any MailClock

    init(env: DriverEnvironment) {
        services = env.services
        clock = env.clock
        policy = SMTPRecipientPolicy(services: env.services)
        pipeline = SMTPDeliveryPipeline(
            relayQueue: env.services.relayQueue, delivery: env.services.delivery,
            logger: env.logger, sieve: SieveFilter.make(env))
        signatureCheck = SMTPSignatureCheck(
            hostname: env.config.hostname, verifier: env.services.smime.current, logger: env.logger)
        delegationCheck = SMTPDelegationCheck(services: env.services, logger: env.logger)
    }

    func loggedIn(accountID: Int64) {
        state.withLock { $0.accountID = accountID }
        services.activity.record(accountID: accountID, ActivityCounters(smtpAuths: 1))
    }

    func checkSender(address: EmailAddress, account: EmailAddress, log: Logger) -> SenderCheckResult {
        // MAIL FROM starts a transaction: mailboxes of an earlier one (RSET, refused DATA) are gone.
        state.withLock { $0.mailboxes = [:] }
        return policy.checkSender(address: address, account: account, logger: log)
    }

    func checkRecipient(_ check: RecipientCheck, log: Logger) -> RecipientCheckResult {
        let decision = policy.checkRecipient(check, logger: log)
        if let mailbox = decision.mailbox { state.withLock { $0.mailboxes[mailbox.address.key] = mailbox } }
        return decision.result
    }

    func deliver(_ delivery: Delivery, log: Logger) -> DeliveryResult {
        let (sender, known) = state.withLock { s in
            let taken = (s.accountID, s.mailboxes)
            s.mailboxes = [:]
            return taken
        }
        let local = delivery.recipients.compactMap { r -> LocalMailbox? in
            if case .local(let mailbox) = r.route { return known[mailbox.key] }
            return nil
        }
        let internalCount = delivery.recipients.filter { $0.route != .relay }.count
        let delegated = delegationCheck.decide(delivery, memberAccountID: sender)
        if case .refused(let reply) = delegated { return .refused(reply) }
        let checked = signatureCheck.apply(to: delivery, now: clock.now())
        let started = clock.now()
        let outcome = pipeline.deliver(checked.delivery, mailboxes: local, accountID: sender, now: started)
        ServerMetrics.shared.delivered(outcome, seconds: clock.now() - started)
        switch outcome {
        case .stored(let report):
            delegationCheck.stored(delegated, checked.delivery, memberAccountID: sender, now: clock.now())
            accepted(report, checked, sender: sender, internalCount: internalCount, log: log)
            return .queued(id: report.queueID)
        case .transientFailure: return .transientFailure
        case .refused(let reply): return .refused(reply)
        }
    }

    /// After a stored message: log it, send remote copies now, count it, wake IDLE sessions.
    private func accepted(
        _ report: DeliveryReport, _ checked: SMTPSignatureCheck.Outcome, sender: Int64?, internalCount: Int,
        log: Logger
    ) {
        log.info(
            "message accepted",
            metadata: [
                "id": "\(report.queueID)", "size": "\(report.size)", "local": "\(report.localMailboxes.count)",
                "remote": "\(report.remoteRecipients)", "relay_item": "\(report.relayItemID ?? "-")",
            ])
        // Send remote copies now rather than at the runner's next scan.
        if report.relayItemID != nil { services.relayRunner.poke() }
        if let sender {
            services.activity.record(
                accountID: sender,
                ActivityCounters(
                    messagesSent: 1, sentInternalRecipients: Int64(internalCount),
                    sentExternalRecipients: Int64(report.remoteRecipients),
                    messagesSigned: checked.signed ? 1 : 0, messagesSignedVerified: checked.verified ? 1 : 0,
                    bytesSent: Int64(report.size)))
        }
        for mailbox in report.localMailboxes {
            services.activity.record(accountID: mailbox.accountID, ActivityCounters(messagesReceived: 1))
            services.notifier.post(folderPath: mailbox.root)
        }
    }
}
