import AccountStore
import GovMailConfig
import Logging
import MailCore
import MaildirStore
import SMTPProtocol

/// A local mailbox accepted at RCPT: what delivery and the usage counters need later.
struct LocalMailbox: Sendable, Equatable {
    let accountID: Int64
    let address: EmailAddress
    /// Maildir++ root, which is also the INBOX folder path.
    let root: String
    /// Bytes; 0 means unlimited.
    let quota: Int64
}

/// The answer to one RCPT, with the mailbox it reached when it is local.
struct RecipientDecision: Sendable, Equatable {
    let result: RecipientCheckResult
    let mailbox: LocalMailbox?
}

/// The policy behind MAIL FROM and RCPT TO: who may send as whom, where an address goes.
///
/// Decisions (blocking: SQLite and a quota read; run on the storage pool):
/// - MAIL FROM must be the authenticated account's address or one of its aliases (case ignored).
/// - A disabled account still RECEIVES mail: disabling stops logins (e.g. during an investigation
///   or a leave) but official mail addressed to the person must not bounce or be lost; only a
///   deleted account is unknown (`550 5.1.1`).
/// - A domain in the directory's domain table is local: an unknown address there is `550 5.1.1`.
///   Any other domain is remote: accepted for the relay queue only when a smarthost is configured.
/// - Quota: a declared SIZE above the account's quota is `552 5.2.2` (retrying cannot help);
///   a mailbox whose usage plus the declared size exceeds the quota is `452 4.2.2` (temporary).
struct SMTPRecipientPolicy: Sendable {
    let directory: any DirectoryService
    let store: AccountStore
    let layout: MaildirLayout
    let relayEnabled: Bool

    init(services: ServerServices) {
        directory = services.directory
        store = services.store
        layout = services.layout
        relayEnabled = services.config.smtp.relay.isEnabled
    }

    init(directory: any DirectoryService, store: AccountStore, layout: MaildirLayout, relayEnabled: Bool) {
        self.directory = directory
        self.store = store
        self.layout = layout
        self.relayEnabled = relayEnabled
    }

    /// Every address `account` may use as sender: itself and its aliases.
    func identities(ofAccount account: EmailAddress) throws -> (entry: DirectoryEntry, addresses: [EmailAddress])? {
        guard let entry = try directory.lookup(account), entry.viaAlias == nil else { return nil }
        return (entry, [entry.address] + (try directory.aliases(ofAccount: entry.accountID)))
    }

    /// May `account` use `address` in MAIL FROM? (RFC 6409 §6.1: the server checks the sender.)
    /// A directory error is `.temporaryFailure` (451): refusing would make the client give up on a valid sender.
    /// It is logged once on `logger` (the connection's, so the line carries the connection id).
    func checkSender(address: EmailAddress, account: EmailAddress, logger: Logger? = nil) -> SenderCheckResult {
        let found: (entry: DirectoryEntry, addresses: [EmailAddress])?
        do { found = try identities(ofAccount: account) } catch {
            logger?.warning(
                "directory lookup failed at MAIL FROM; answered 451", metadata: ["error": "\(error)"])
            return .temporaryFailure
        }
        guard let found, found.entry.status == .enabled else { return .refused }
        // Shared mailboxes delegated to the account (send-as in MAIL FROM; see SMTPDelegation.swift).
        guard let delegated = try? SenderDelegations(store: store, memberAccountID: found.entry.accountID) else {
            return .temporaryFailure
        }
        let envelope = found.addresses + delegated.envelopeAddresses
        return envelope.contains(address) ? .allowed(identities: found.addresses + delegated.headerFromAddresses) : .refused
    }

    /// Where `check.address` goes (RFC 5321 §4.1.1.3), with the local mailbox when it is ours.
    /// A directory error is `.temporaryFailure` (451), logged once on `logger`.
    func checkRecipient(_ check: RecipientCheck, logger: Logger? = nil) -> RecipientDecision {
        do {
            if let entry = try directory.lookup(check.address) {
                let mailbox = LocalMailbox(
                    accountID: entry.accountID, address: entry.address,
                    root: try layout.accountRoot(entry.address), quota: entry.quota)
                return RecipientDecision(
                    result: try quotaDecision(mailbox, declaredSize: check.declaredSize), mailbox: mailbox)
            }
            if try isLocalDomain(check.address.domain) { return RecipientDecision(result: .unknownLocal, mailbox: nil) }
            let remote: RecipientCheckResult =
                relayEnabled && check.mode == .submission ? .remoteAcceptedForRelay : .remoteRefused
            return RecipientDecision(result: remote, mailbox: nil)
        } catch {
            logger?.warning(
                "directory lookup failed at RCPT TO; answered 451", metadata: ["error": "\(error)"])
            return RecipientDecision(result: .temporaryFailure, mailbox: nil)
        }
    }

    private func quotaDecision(_ mailbox: LocalMailbox, declaredSize: Int?) throws -> RecipientCheckResult {
        guard mailbox.quota > 0 else { return .local(mailbox: mailbox.address) }
        let size = Int64(declaredSize ?? 0)
        if size > mailbox.quota { return .tooLargeForAccount }
        let used = Int64(try MaildirAccount(root: mailbox.root).usage().bytes)
        if used + size > mailbox.quota || used >= mailbox.quota { return .overQuota }
        return .local(mailbox: mailbox.address)
    }

    /// Whether the domain table lists `domain` (mail for it is ours to accept or refuse).
    func isLocalDomain(_ domain: Domain) throws -> Bool {
        try store.domains().contains { $0.name == domain }
    }
}
