import AccountStore
import Foundation
import GovMailConfig
import Logging
import MailCore
import MaildirStore
import Relay
import SMTPProtocol
import SieveProtocol

/// Applies each local recipient's active Sieve script at delivery (SMTP submission and inbound),
/// before the 250, inside the pipeline's all-or-nothing rule: the plan only says where copies go;
/// `SMTPDeliveryPipeline` stores them all in one durable write. Blocking (reads the script, the
/// directory, creates `:create` folders): runs on the storage pool with the rest of delivery.
///
/// Any failure of a script (it does not compile, hits a limit, names an invalid folder) falls back
/// to the implicit keep in INBOX and logs why: a filter can never lose a message.
struct SieveFilter: Sendable {
    let directory: any DirectoryService
    let layout: MaildirLayout
    let limits: SieveLimits
    let timeZone: TimeZone
    let relayEnabled: Bool
    let vacations: VacationSender
    /// Wakes IMAP IDLE sessions of filed folders (the driver already tells each INBOX).
    let notifier: MailboxNotifier
    let logger: Logger

    /// The filter for `govmail serve`, with default limits and the configured time zone.
    static func make(_ env: DriverEnvironment) -> SieveFilter {
        let s = env.services
        let relayEnabled = env.config.smtp.relay.isEnabled
        let runner = s.relayRunner
        return SieveFilter(
            directory: s.directory, layout: s.layout, limits: SieveLimits(), timeZone: s.calendar.timeZone,
            relayEnabled: relayEnabled,
            vacations: VacationSender(
                hostname: env.config.hostname, directory: s.directory, layout: s.layout, delivery: s.delivery,
                relayQueue: s.relayQueue, relayEnabled: relayEnabled, notifier: s.notifier,
                pokeRelay: { runner.poke() }, logger: env.logger),
            notifier: s.notifier, logger: env.logger)
    }

    /// The plan for one recipient.
    func plan(_ message: Delivery, for mailbox: LocalMailbox, now: Double) -> SieveDeliveryPlan {
        guard let source = SieveScriptStore(accountRoot: mailbox.root).activeSource() else { return .keep(mailbox) }
        func fallback(_ why: String) -> SieveDeliveryPlan {
            logger.warning(
                "sieve script failed; message kept in INBOX",
                metadata: [
                    "transaction": "\(message.transactionID)", "account": "\(mailbox.address)", "reason": "\(why)",
                ])
            return .keep(mailbox)
        }
        let script: SieveScript
        do { script = try SieveScript.compile(source, limits: limits) } catch {
            return fallback("the active script does not compile: \(error)")
        }
        // envelope "to" is the RCPT address (an alias, perhaps), as the script's author wrote it.
        let rcpt = message.recipients.first { $0.route == .local(mailbox: mailbox.address) }?.address ?? mailbox.address
        let sieveMessage = SieveMessage(
            bytes: message.message, envelopeFrom: message.sender?.description ?? "", envelopeTo: rcpt.description)
        let evaluator = SieveEvaluator(
            limits: limits, now: Int64(now),
            zoneOffsetMinutes: timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: now)) / 60)
        let outcome: SieveOutcome
        do { outcome = try evaluator.run(script, on: sieveMessage) } catch {
            return fallback("\(error)")
        }
        var plan = SieveDeliveryPlan(mailbox: mailbox, destinations: [])
        for d in outcome.deliveries {
            guard let folder = try? MailboxName(d.mailbox) else {
                return fallback("fileinto \"\(d.mailbox)\": not a valid folder name")
            }
            let path = MaildirLayout.folderPath(root: mailbox.root, folder)
            if !folder.isInbox && !FileManager.default.fileExists(atPath: path + "/cur") {
                guard d.create else {
                    return fallback("fileinto \"\(d.mailbox)\": the folder does not exist (use fileinto :create)")
                }
                do { try MaildirLayout.createMaildir(at: path, isSubfolder: true) } catch {
                    return fallback("fileinto :create \"\(d.mailbox)\": \(error)")
                }
            }
            var letters = ""
            if !d.flags.isEmpty {
                do {
                    letters = try MaildirFolder(path: path, accountRoot: mailbox.root)
                        .reserveLetters(for: Set(d.flags.map(Flag.init)))
                } catch {
                    return fallback("imap4flags \(d.flags.joined(separator: " ")) in \"\(d.mailbox)\": \(error)")
                }
            }
            plan.destinations.append(
                MaildirDelivery.Recipient(accountRoot: mailbox.root, folderPath: path, flagLetters: letters))
        }
        for target in outcome.redirects {
            do {
                if let entry = try directory.lookup(target) {
                    plan.destinations.append(
                        MaildirDelivery.Recipient(accountRoot: try layout.accountRoot(entry.address)))
                } else if relayEnabled {
                    plan.remoteRedirects.append(target)
                } else {
                    return fallback("redirect \(target): the address is remote and relay is off")
                }
            } catch {
                return fallback("redirect \(target): directory lookup failed: \(error)")
            }
        }
        if let v = outcome.vacation { plan.vacation = PendingVacation(request: v, message: sieveMessage) }
        logger.debug(
            "sieve script applied",
            metadata: [
                "transaction": "\(message.transactionID)", "account": "\(mailbox.address)",
                "copies": "\(plan.destinations.count)", "redirects": "\(outcome.redirects.count)",
                "vacation": "\(plan.vacation != nil)",
            ])
        return plan
    }

    /// After the message is durable: the vacation replies the plans asked for (never fails delivery).
    func afterDelivery(_ plans: [SieveDeliveryPlan], now: Double) {
        for plan in plans {
            for copy in plan.destinations where copy.folderPath != plan.mailbox.root {
                notifier.post(folderPath: copy.folderPath)
            }
            guard let v = plan.vacation else { continue }
            vacations.consider(v, for: plan.mailbox, now: now)
        }
    }
}
