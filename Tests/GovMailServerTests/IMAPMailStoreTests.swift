import Foundation
import GovMailTestSupport
import IMAPProtocol
import Logging
import MailCore
import MaildirStore
import NetServer
import XCTest
@testable import GovMailServer

/// The Maildir side of IMAP requests, on a real temporary Maildir.
final class IMAPMailStoreTests: XCTestCase {
    private var dir: TemporaryDirectory!
    private var root: String!
    private let notifier = MailboxNotifier()

    override func setUpWithError() throws {
        dir = TemporaryDirectory()
        let layout = MaildirLayout(stateDir: dir.path)
        root = try layout.createAccount(EmailAddress("an@tinh.gov.vn"))
    }

    private func store(quota: Int64 = 0, cache: Int = 100) -> IMAPMailStore {
        IMAPMailStore(
            root: root, accountID: 1, quota: quota, notifier: notifier, logger: Logger(label: "test"),
            cacheCapacity: cache)
    }

    private func name(_ s: String) -> MailboxName { try! MailboxName(s) }

    private func message(_ subject: String, body: String = "Nội dung\r\n") -> [UInt8] {
        Array("From: a@tinh.gov.vn\r\nTo: an@tinh.gov.vn\r\nSubject: \(subject)\r\n\r\n\(body)".utf8)
    }

    /// Drops a message into new/ the way an MTA does.
    private func deliver(_ bytes: [UInt8], folder: String = "") throws -> String {
        let dirPath = folder.isEmpty ? root! : root + "/." + folder
        let base = "\(1_790_000_000 + Int.random(in: 0..<1_000_000)).M1P1Q\(Int.random(in: 0..<1_000_000)).test"
        try Data(bytes).write(to: URL(fileURLWithPath: dirPath + "/tmp/" + base))
        XCTAssertEqual(rename(dirPath + "/tmp/" + base, dirPath + "/new/" + base), 0)
        return base
    }

    @discardableResult
    private func run(_ s: IMAPMailStore, _ r: IMAPRequest) -> IMAPEvent { s.perform(r).event }

    private func selected(_ s: IMAPMailStore, _ mailbox: String = "INBOX", readOnly: Bool = false) throws
        -> SelectedMailboxState
    {
        guard case .selected(let st) = run(s, .select(name(mailbox), readOnly: readOnly)) else {
            throw SelectFailed()
        }
        return st
    }

    func testListShowsSpecialUseAndChildrenAndLsubFollowsTheSubscriptionsFile() throws {
        let s = store()
        XCTAssertEqual(try XCTUnwrap(done(run(s, .create(name("Công văn đến.2026"))))), true)
        guard case .mailboxes(let all) = run(s, .listMailboxes(subscribedOnly: false)) else { return XCTFail() }
        let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name.name, $0) })
        XCTAssertEqual(byName["Sent"]?.specialUse, .sent)
        XCTAssertEqual(byName["Trash"]?.specialUse, .trash)
        XCTAssertEqual(byName["Archive"]?.specialUse, .archive)
        XCTAssertNil(byName["INBOX"]?.specialUse)
        XCTAssertEqual(byName["Công văn đến"]?.hasChildren, true)
        XCTAssertEqual(byName["Công văn đến"]?.selectable, false, "a parent that only exists through its child")
        XCTAssertEqual(byName["Công văn đến.2026"]?.hasChildren, false)

        run(s, .subscribe(name("Công văn đến.2026")))
        run(s, .subscribe(name("Sent")))
        guard case .failed(.nonexistent) = run(s, .subscribe(name("Không có"))) else {
            return XCTFail("subscribing to a missing folder is refused")
        }
        run(s, .rename(name("Công văn đến.2026"), to: name("Lưu trữ 2026")))
        guard case .mailboxes(let subs) = run(s, .listMailboxes(subscribedOnly: true)) else { return XCTFail() }
        XCTAssertEqual(subs.map(\.name.name), ["Lưu trữ 2026", "Sent"], "the subscription followed the rename")
        run(s, .unsubscribe(name("Sent")))
        guard case .mailboxes(let after) = run(s, .listMailboxes(subscribedOnly: true)) else { return XCTFail() }
        XCTAssertEqual(after.map(\.name.name), ["Lưu trữ 2026"])
        XCTAssertEqual(after.first?.selectable, true)
        run(s, .delete(name("Lưu trữ 2026")))
        guard case .mailboxes(let gone) = run(s, .listMailboxes(subscribedOnly: true)) else { return XCTFail() }
        XCTAssertEqual(gone.map(\.name.name), ["Lưu trữ 2026"], "a subscription outlives its folder (§6.3.9)")
        XCTAssertEqual(gone.first?.selectable, false, "but LSUB marks it \\Noselect so clients do not open it")
    }

    func testCreateDeleteErrorsMapToIMAPCodes() {
        let s = store()
        run(s, .create(name("Dự án")))
        guard case .failed(.alreadyExists) = run(s, .create(name("Dự án"))) else { return XCTFail() }
        guard case .done = run(s, .delete(name("Dự án"))) else { return XCTFail() }
        guard case .failed(.nonexistent) = run(s, .delete(name("Dự án"))) else { return XCTFail() }
        guard case .failed(.cannot) = run(s, .delete(.inbox)) else { return XCTFail() }
        guard case .done = run(s, .rename(.inbox, to: name("X"))) else { return XCTFail("RFC 3501 §6.3.5 allows it") }
        guard case .failed(.cannot) = run(s, .rename(.inbox, to: .inbox)) else { return XCTFail() }
        guard case .failed(.nonexistent) = run(s, .select(name("Không có"), readOnly: false)) else { return XCTFail() }
    }

    func testAppendAnswersAPPENDUIDAndRefusesMissingFoldersAndFullMailboxes() throws {
        let s = store()
        guard
            case .appended(let validity, let uid) = run(
                s,
                .append(
                    .inbox, flags: [.seen, .keyword("$Work")], internalDate: IMAPDateTime(epochSeconds: 1_700_000_000),
                    message: message("một")))
        else { return XCTFail() }
        XCTAssertEqual(uid, UID(1))
        let st = try selected(s)
        XCTAssertEqual(st.uidValidity, validity)
        XCTAssertEqual(st.messages, [MessageFlags(UID(1), [.seen, .keyword("$Work")])])
        guard case .fetched(let f) = run(s, .fetch(uids: [UID(1)], attributes: [.internalDate], markSeen: [])) else {
            return XCTFail()
        }
        XCTAssertEqual(f.first?.internalDate?.epochSeconds, 1_700_000_000)
        guard
            case .failed(.tryCreate) = run(
                s, .append(name("Không có"), flags: [], internalDate: nil, message: message("x")))
        else { return XCTFail() }
        let small = store(quota: 10)
        guard
            case .failed(.overQuota) = run(small, .append(.inbox, flags: [], internalDate: nil, message: message("x")))
        else { return XCTFail("a message over the quota is refused") }
    }

    func testStatusCountsWithoutClaimingRecent() throws {
        let s = store()
        run(s, .append(.inbox, flags: [.seen], internalDate: nil, message: message("1")))
        _ = try deliver(message("2"))
        _ = try deliver(message("3"))
        guard case .status(let st) = run(s, .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(st.messages, 3)
        XCTAssertEqual(st.unseen, 2)
        XCTAssertEqual(st.recent, 3, "appended and delivered alike stay \\Recent: STATUS claims nothing")
        XCTAssertEqual(st.uidNext, UID(4))
        XCTAssertEqual(try selected(s).recent, [UID(1), UID(2), UID(3)], "the selecting session gets \\Recent")
        guard case .status(let after) = run(store(), .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(after.recent, 0, "claimed by that session, for every other")
    }

    func testFetchMarksSeenAndAnswersHeaderListingsFromTheCache() throws {
        let s = store()
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("Thông báo")))
        _ = try selected(s)
        let fields = FetchAttribute.body(
            IMAPSection(text: .headerFields(["Subject"])), peek: true, partial: nil)
        guard
            case .fetched(let first) = run(s, .fetch(uids: [UID(1)], attributes: [.rfc822Size, fields], markSeen: []))
        else { return XCTFail() }
        XCTAssertEqual(first.first?.sections.values.first, Array("Subject: Thông báo\r\n\r\n".utf8))
        // The file vanishes behind the store's back: a header listing is still answered from the cache…
        let cur = root + "/cur"
        for f in try FileManager.default.contentsOfDirectory(atPath: cur) {
            try FileManager.default.removeItem(atPath: cur + "/" + f)
        }
        guard
            case .fetched(let cached) = run(s, .fetch(uids: [UID(1)], attributes: [.rfc822Size, fields], markSeen: []))
        else { return XCTFail() }
        XCTAssertEqual(cached, first)
        // …while BODY[] needs the bytes and reports the message as gone.
        guard
            case .fetched(let body) = run(
                s, .fetch(uids: [UID(1)], attributes: [.body(IMAPSection(), peek: true, partial: nil)], markSeen: []))
        else { return XCTFail() }
        XCTAssertEqual(body, [])
    }

    func testFetchWithoutPeekSetsSeenAndReportsIt() throws {
        let s = store()
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("a")))
        _ = try selected(s)
        guard
            case .fetched(let f) = run(
                s,
                .fetch(
                    uids: [UID(1)], attributes: [.body(IMAPSection(), peek: false, partial: nil)], markSeen: [UID(1)]))
        else { return XCTFail() }
        XCTAssertEqual(f.first?.updatedFlags, [.seen])
        XCTAssertEqual(f.first?.sections[IMAPSection()], message("a"))
    }

    func testStoreCopyMoveExpungeAndClose() throws {
        let s = store()
        for i in 1...4 { run(s, .append(.inbox, flags: [], internalDate: nil, message: message("\(i)"))) }
        _ = try selected(s)
        guard
            case .stored(let stored) = run(
                s,
                .store(
                    uids: [UID(1), UID(2)],
                    StoreOperation(mode: .add, silent: false, flags: [.deleted, .keyword("$Hot")])))
        else { return XCTFail() }
        XCTAssertEqual(stored[UID(1)], [.deleted, .keyword("$Hot")])
        guard case .copied(_, let pairs) = run(s, .copy(uids: [UID(3), UID(4)], to: name("Archive"))) else {
            return XCTFail()
        }
        XCTAssertEqual(pairs, [UIDPair(UID(3), UID(1)), UIDPair(UID(4), UID(2))])
        guard case .failed(.tryCreate) = run(s, .copy(uids: [UID(3)], to: name("Không có"))) else { return XCTFail() }
        guard case .copied(_, let moved) = run(s, .move(uids: [UID(4)], to: name("Trash"))) else { return XCTFail() }
        XCTAssertEqual(moved, [UIDPair(UID(4), UID(1))])
        guard case .expunged(let onlyOne) = run(s, .expunge(uids: [UID(2), UID(3)])) else { return XCTFail() }
        XCTAssertEqual(onlyOne, [UID(2)], "UID EXPUNGE removes only \\Deleted messages among the UIDs")
        guard case .expunged(let rest) = run(s, .expunge(uids: nil)) else { return XCTFail() }
        XCTAssertEqual(rest, [UID(1)])
        run(s, .store(uids: [UID(3)], StoreOperation(mode: .add, silent: true, flags: [.deleted])))
        guard case .done = run(s, .closeMailbox(expunge: true)) else { return XCTFail() }
        guard case .status(let st) = run(s, .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(st.messages, 0, "CLOSE expunged the last \\Deleted message")
        guard case .failed = run(s, .fetch(uids: [UID(3)], attributes: [.flags], markSeen: [])) else {
            return XCTFail("no folder is selected after CLOSE")
        }
    }

    func testChangesFromAnotherSessionArriveWithTheNextAnswerAndRecentGoesToOneSession() throws {
        let a = store(), b = store()
        _ = try selected(a)
        _ = try selected(b)
        run(b, .append(.inbox, flags: [], internalDate: nil, message: message("từ B")))
        let outcome = a.perform(.store(uids: [], StoreOperation(mode: .add, silent: true, flags: [.seen])))
        guard case .stored = outcome.event else { return XCTFail() }
        XCTAssertEqual(outcome.changes?.added, [AddedMessage(uid: UID(1), flags: [], isRecent: false)])

        _ = try deliver(message("giao"))
        guard case .mailboxChanged(let seenByA) = run(a, .checkMailbox) else { return XCTFail() }
        XCTAssertEqual(seenByA.added, [AddedMessage(uid: UID(2), flags: [], isRecent: true)])
        guard case .mailboxChanged(let seenByB) = run(b, .checkMailbox) else { return XCTFail() }
        XCTAssertEqual(seenByB.added.map(\.isRecent), [false], "\\Recent for one session only")

        run(b, .store(uids: [UID(2)], StoreOperation(mode: .add, silent: true, flags: [.deleted])))
        run(b, .expunge(uids: nil))
        guard case .mailboxChanged(let gone) = run(a, .checkMailbox) else { return XCTFail() }
        XCTAssertEqual(gone.expunged, [UID(2)])
    }

    func testChangesArePostedToTheNotifier() throws {
        let s = store()
        let posts = Locked<[String]>([])
        _ = notifier.observe(folderPath: root) { path in posts.withLock { $0.append(path) } }
        _ = notifier.observe(folderPath: root + "/.Archive") { path in posts.withLock { $0.append(path) } }
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("1")))
        _ = try selected(s)
        run(s, .store(uids: [UID(1)], StoreOperation(mode: .add, silent: true, flags: [.deleted])))
        run(s, .copy(uids: [UID(1)], to: name("Archive")))
        run(s, .expunge(uids: nil))
        XCTAssertEqual(posts.withLock { $0 }, [root, root, root + "/.Archive", root])
    }

    func testAWriteToTheSelectedFolderClaimsNewDeliveriesAsRecentFirst() throws {
        let s = store()
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("1")))
        _ = try selected(s)
        _ = try deliver(message("giao"))
        let outcome = s.perform(.store(uids: [UID(1)], StoreOperation(mode: .add, silent: true, flags: [.flagged])))
        XCTAssertEqual(outcome.changes?.added, [AddedMessage(uid: UID(2), flags: [], isRecent: true)])
    }

    func testMergedChangesKeepTheirOrder() {
        let a = MailboxChange(added: [AddedMessage(uid: UID(5), flags: [])], flagChanges: [UID(1): [.seen]])
        let b = MailboxChange(expunged: [UID(5)], flagChanges: [UID(1): [.seen, .flagged]])
        let m = IMAPMailStore.merged(a, b)
        XCTAssertEqual(m?.added.map(\.uid), [UID(5)])
        XCTAssertEqual(m?.expunged, [UID(5)])
        XCTAssertEqual(m?.flagChanges[UID(1)], [.seen, .flagged], "the later look wins")
        XCTAssertEqual(IMAPMailStore.merged(nil, b), b)
    }

    func testARebuiltUIDListIsReportedSoTheSessionEnds() throws {
        let s = store()
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("1")))
        _ = try selected(s)
        // A damaged UID list is rebuilt with a higher UIDVALIDITY (MaildirStore invariant 5).
        try Data("garbage\n".utf8).write(to: URL(fileURLWithPath: root + "/dovecot-uidlist"))
        XCTAssertTrue(s.perform(.checkMailbox).folderRebuilt)
    }

    func testRenameInboxMovesItsMessagesAndTheSelectedSessionSeesThemExpunged() throws {
        let s = store()
        run(s, .append(.inbox, flags: [.seen], internalDate: nil, message: message("một")))
        run(s, .append(.inbox, flags: [], internalDate: nil, message: message("hai")))
        run(s, .subscribe(.inbox))
        _ = try selected(s)
        let outcome = s.perform(.rename(.inbox, to: name("Thư cũ")))
        guard case .done = outcome.event else { return XCTFail("\(outcome.event)") }
        XCTAssertEqual(outcome.changes?.expunged, [UID(1), UID(2)], "the selected INBOX announces the moved messages")
        guard case .status(let inbox) = run(s, .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(inbox.messages, 0)
        guard case .status(let old) = run(s, .status(name("Thư cũ"))) else { return XCTFail() }
        XCTAssertEqual(old.messages, 2)
        XCTAssertEqual(old.unseen, 1, "flags move with the messages")
        guard case .mailboxes(let subscribed) = run(s, .listMailboxes(subscribedOnly: true)) else { return XCTFail() }
        XCTAssertEqual(subscribed.map(\.name), [.inbox], "INBOX stays subscribed; nothing was renamed in the list")
        guard case .failed(.alreadyExists) = run(s, .rename(.inbox, to: name("Thư cũ"))) else { return XCTFail() }
    }

    func testStatusOfTheSelectedFolderAndCloseAfterExamine() throws {
        let s = store()
        run(s, .append(.inbox, flags: [.deleted], internalDate: nil, message: message("một")))
        _ = try selected(s, readOnly: true)
        guard case .status(let st) = run(s, .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(st.messages, 1)
        XCTAssertEqual(st.uidNext, UID(2))
        guard case .done = run(s, .closeMailbox(expunge: true)) else { return XCTFail() }
        guard case .status(let after) = run(s, .status(.inbox)) else { return XCTFail() }
        XCTAssertEqual(after.messages, 1, "CLOSE after EXAMINE never expunges")
    }

    private func done(_ e: IMAPEvent) -> Bool? { if case .done = e { return true } else { return nil } }
}

/// Thrown by the `selected` helper so that a failed SELECT fails the test (never skips it).
private struct SelectFailed: Error {}
