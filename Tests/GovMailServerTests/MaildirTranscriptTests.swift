import Foundation
import GovMailTestSupport
import IMAPProtocol
import IMAPTranscriptSupport
import Logging
import MailCore
import MaildirStore
import XCTest
@testable import GovMailServer

/// Runs every dialog of `Tests/transcripts/imap` against the real Maildir-backed store, so the
/// transcripts check store semantics (UIDs, \Recent, flags on disk, MIME parsing), not only the fake's.
final class MaildirTranscriptTests: XCTestCase {
    func testAllTranscriptsAgainstTheMaildirStore() throws {
        for failure in try IMAPTranscriptRunner.runAll(
            backendName: "maildir", makeBackend: MaildirTranscriptBackend.init)
        {
            XCTFail(failure)
        }
    }
}

/// A temporary account's Maildir behind `IMAPMailStore`, as the server's IMAP driver uses it; the
/// "other" parties (deliveries, other sessions) work on the same folders through MaildirStore.
final class MaildirTranscriptBackend: IMAPTranscriptBackend {
    let dir = TemporaryDirectory()
    let root: String
    let account: MaildirAccount
    let notifier = MailboxNotifier()
    var users: [String: String] = [:]
    var store: IMAPMailStore?
    /// Internal dates as the fake gives them: a minute apart from a fixed start.
    var now = 1_790_000_000

    init() throws {
        root = dir.path + "/mail/tinh.gov.vn/an"
        // Only INBOX, like the fake: the special folders a real account gets would change every LIST.
        try MaildirLayout.createMaildir(at: root, isSubfolder: false)
        account = MaildirAccount(root: root)
        try SubscriptionsFile(accountRoot: root).subscribe(.inbox)
    }

    private func folder(_ name: String) -> MaildirFolder {
        let mailbox = try! MailboxName(name)
        if !account.exists(mailbox) { addFolder(name, specialUse: nil, subscribed: true) }
        return try! account.folder(mailbox)
    }

    private func nextDate() -> Int {
        now += 60
        return now
    }

    func addUser(_ name: String, password: String) { users[name] = password }

    func addFolder(_ name: String, specialUse: SpecialUse?, subscribed: Bool) {
        let mailbox = try! MailboxName(name)
        if !account.exists(mailbox) { try! account.createFolder(mailbox) }
        let subscriptions = SubscriptionsFile(accountRoot: root)
        if subscribed { try! subscriptions.subscribe(mailbox) } else { try! subscriptions.unsubscribe(mailbox) }
    }

    func addMessage(_ raw: String, to folder: String, flags: Set<Flag>) {
        let f = self.folder(folder)
        _ = try! f.append(Array(raw.utf8), flags: flags, internalDate: nextDate())
        // "Seen by an earlier session": that session claimed it, so it is nobody's \Recent now.
        _ = try! f.synchronize(claimingRecent: true)
    }

    func deliver(_ raw: String, to folder: String) {
        let f = self.folder(folder)
        let bytes = Array(raw.utf8)
        let name = UniqueNameGenerator.shared.next(size: bytes.count)
        try! DurableWriter().writeNew(
            bytes, temporaryPath: f.path + "/tmp/" + name, destinations: [f.path + "/new/" + name],
            modificationTime: nextDate())
    }

    func otherAppend(_ raw: String, to folder: String, flags: Set<Flag>) {
        _ = try! self.folder(folder).append(Array(raw.utf8), flags: flags, internalDate: nextDate())
    }

    func otherFlags(folder: String, uid: UID, flags: Set<Flag>) {
        _ = try! self.folder(folder).changeFlags([uid], .replace(flags))
    }

    func otherExpunge(folder: String, uid: UID) { _ = try! self.folder(folder).expunge([uid]) }

    func answer(_ request: IMAPRequest) -> [IMAPEvent] {
        if case .authenticate(let user, let password, _, _) = request {
            guard users[user] == password.unsafeText else { return [.authenticated(.invalidCredentials)] }
            store = IMAPMailStore(
                root: root, accountID: 1, quota: 0, notifier: notifier, logger: Logger(label: "transcript"),
                cacheCapacity: 100, zoneOffsetSeconds: 7 * 3600)
            return [.authenticated(.success(account: user))]
        }
        guard let store else { return [.failed(.unavailable)] }
        let outcome = store.perform(request)
        XCTAssertFalse(outcome.folderRebuilt, "the transcript's folder was rebuilt")
        var events: [IMAPEvent] = []
        if let changes = outcome.changes, !changes.isEmpty { events.append(.mailboxChanged(changes)) }
        events.append(outcome.event)
        return events
    }

    func changesByOthers() -> MailboxChange? { (try? store?.changesSinceLastLook()) ?? nil }
}
