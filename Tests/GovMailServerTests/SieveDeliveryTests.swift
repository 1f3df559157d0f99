import AccountStore
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import MaildirStore
import MessageFormat
import Relay
import SMTPProtocol
import SieveProtocol
import Synchronization
import XCTest
@testable import GovMailServer

/// The script store on disk (Pigeonhole's layout) and Sieve inside the delivery pipeline.
final class SieveScriptStoreTests: XCTestCase {
    func testScriptsAndTheActiveLinkLookLikePigeonhole() throws {
        let dir = TemporaryDirectory()
        let store = SieveScriptStore(accountRoot: dir.path)
        XCTAssertEqual(store.list(), [])
        XCTAssertNil(store.activeSource())
        try store.put("lọc thư", source: "keep;\n")
        try store.put("vacation", source: "require \"vacation\"; vacation \"x\";\n")
        try store.activate("lọc thư")
        XCTAssertEqual(
            try FileManager.default.destinationOfSymbolicLink(atPath: dir.path + "/.dovecot.sieve"),
            "sieve/lọc thư.sieve")
        XCTAssertEqual(
            store.list(), [.init(name: "lọc thư", isActive: true), .init(name: "vacation", isActive: false)])
        XCTAssertEqual(store.activeSource(), "keep;\n")
        XCTAssertThrowsError(try store.delete("lọc thư")) { XCTAssertTrue("\($0)".contains("active script")) }
        try store.rename("lọc thư", to: "filters")
        XCTAssertEqual(store.activeName(), "filters")
        XCTAssertThrowsError(try store.rename("filters", to: "vacation"))
        try store.activate(nil)
        XCTAssertNil(store.activeName())
        try store.delete("filters")
        XCTAssertEqual(store.list().map(\.name), ["vacation"])
        for bad in ["", ".hidden", "a/b", "tab\u{1}"] {
            XCTAssertThrowsError(try store.put(bad, source: "keep;"), bad)
        }
        XCTAssertThrowsError(try store.get("missing"))
        // Maildir++ does not see the store as folders.
        XCTAssertEqual(MaildirAccount(root: dir.path).listFolders().map(\.name.name), ["INBOX"])
    }
}

final class SieveDeliveryTests: XCTestCase {
    private let logger = Logger(label: "test")
    private let now = 1_796_382_400.0

    private struct Fixture {
        let s: SMTPTestState
        let queue: RelayQueue
        let binh: Account
        let chi: Account
        let notifier = MailboxNotifier()

        init() throws {
            s = try SMTPTestState()
            queue = RelayQueue(stateDir: s.dir.path)
            binh = try s.account("binh@so.gov.vn")
            chi = try s.account("chi@so.gov.vn")
        }

        func mailbox(_ a: Account) throws -> LocalMailbox {
            LocalMailbox(accountID: a.id, address: a.address, root: try s.layout.accountRoot(a.address), quota: 0)
        }

        func filter(relay: Bool = false) -> SieveFilter {
            let delivery = MaildirDelivery()
            return SieveFilter(
                directory: s.directory, layout: s.layout, limits: SieveLimits(),
                timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!, relayEnabled: relay,
                vacations: VacationSender(
                    hostname: "mail.so.gov.vn", directory: s.directory, layout: s.layout, delivery: delivery,
                    relayQueue: queue, relayEnabled: relay, notifier: MailboxNotifier(), pokeRelay: {},
                    logger: Logger(label: "test")),
                notifier: notifier, logger: Logger(label: "test"))
        }

        func activate(_ a: Account, _ source: String) throws {
            let store = SieveScriptStore(accountRoot: try s.layout.accountRoot(a.address))
            try store.put("main", source: source)
            try store.activate("main")
        }

        /// File names in `folder` (nil: INBOX) under new/ and cur/.
        func files(_ a: Account, _ folder: String? = nil) throws -> [String] {
            let root = try s.layout.accountRoot(a.address)
            let path = try folder.map { MaildirLayout.folderPath(root: root, try MailboxName($0)) } ?? root
            let fm = FileManager.default
            return ((try? fm.contentsOfDirectory(atPath: path + "/new")) ?? [])
                + ((try? fm.contentsOfDirectory(atPath: path + "/cur")) ?? [])
        }
    }

    private func message(from sender: String, to recipients: [Account], headers: [String] = []) throws -> Delivery {
        let to = recipients.map(\.address.description).joined(separator: ", ")
        let text =
            (["From: \(sender)", "To: \(to)", "Subject: Công văn số 12", "Message-ID: <m1@so.gov.vn>"] + headers)
            .joined(separator: "\r\n") + "\r\n\r\nNội dung\r\n"
        return Delivery(
            sender: try EmailAddress(sender),
            recipients: recipients.map { .init(address: $0.address, route: .local(mailbox: $0.address)) },
            account: nil, message: Array(text.utf8), smtpUTF8: false,
            transactionID: "t\(UInt32.random(in: 0...UInt32.max))")
    }

    private func pipeline(_ f: Fixture, ops: (any FileOperations)? = nil, relay: Bool = false) -> SMTPDeliveryPipeline {
        SMTPDeliveryPipeline(
            relayQueue: f.queue, delivery: MaildirDelivery(writer: DurableWriter(ops: ops ?? POSIXFileOperations())),
            logger: logger, sieve: f.filter(relay: relay))
    }

    func testFileintoCreatesTheVietnameseFolderWithFlags() throws {
        let f = try Fixture()
        try f.activate(
            f.binh,
            """
            require ["fileinto", "imap4flags"];
            if header :contains "subject" "Công văn" { fileinto :create :flags ["\\\\Seen", "\\\\Flagged", "$CV"] "Công văn đến"; }
            """)
        let folderPath = MaildirLayout.folderPath(
            root: try f.s.layout.accountRoot(f.binh.address), try MailboxName("Công văn đến"))
        let woken = Mutex<[String]>([])
        _ = f.notifier.observe(folderPath: folderPath) { path in woken.withLock { $0.append(path) } }
        let outcome = pipeline(f).deliver(
            try message(from: "an@example.vn", to: [f.binh, f.chi]),
            mailboxes: [try f.mailbox(f.binh), try f.mailbox(f.chi)],
            accountID: nil, now: now)
        guard case .stored = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(woken.withLock { $0 }, [folderPath], "IDLE sessions of the filed folder are told")
        XCTAssertEqual(try f.files(f.binh), [], "binh's INBOX gets nothing: the script filed it")
        let filed = try f.files(f.binh, "Công văn đến")
        XCTAssertEqual(filed.count, 1)
        XCTAssertTrue(filed[0].hasSuffix(":2,FSa"), filed[0])
        let keywords = try String(contentsOfFile: folderPath + "/dovecot-keywords", encoding: .utf8)
        XCTAssertEqual(keywords, "0 $CV\n", "the keyword got its letter before the file was named")
        XCTAssertEqual(try f.files(f.chi).count, 1, "chi has no script: INBOX")
        let root = try f.s.layout.accountRoot(f.binh.address)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root + "/.C&APQ-ng v&AQM-n &AREevw-n/maildirfolder"))
        let names = MaildirAccount(root: root).listFolders().map(\.name.name)
        XCTAssertTrue(names.contains("Công văn đến"), "\(names)")
    }

    func testFailingScriptsFallBackToInbox() throws {
        let scripts = [
            "fileinto \"x\";",  // no require: does not compile
            "require \"fileinto\"; fileinto \"Không có\";",  // folder missing, no :create
            "require \"vacation\"; vacation \"a\"; vacation \"b\";",  // runtime error
            "redirect \"ra@example.com\";",  // remote, relay off
        ]
        for script in scripts {
            let f = try Fixture()
            try f.activate(f.binh, script)
            let outcome = pipeline(f).deliver(
                try message(from: "an@example.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
                now: now)
            guard case .stored = outcome else { return XCTFail("\(outcome)") }
            XCTAssertEqual(try f.files(f.binh).count, 1, script)
        }
    }

    func testDiscardStoresNothingAndRedirectGoesToTheLocalAccount() throws {
        let f = try Fixture()
        try f.activate(f.binh, "discard;")
        _ = pipeline(f).deliver(
            try message(from: "an@example.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now)
        XCTAssertEqual(try f.files(f.binh), [])
        try f.activate(f.binh, "redirect \"chi@so.gov.vn\";")
        _ = pipeline(f).deliver(
            try message(from: "an@example.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now)
        XCTAssertEqual(try f.files(f.binh), [])
        XCTAssertEqual(try f.files(f.chi).count, 1)
        try f.activate(f.binh, "require \"copy\"; redirect :copy \"ra@example.com\";")
        let outcome = pipeline(f, relay: true).deliver(
            try message(from: "an@example.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now)
        guard case .stored(let report) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try f.files(f.binh).count, 1)
        XCTAssertEqual(try f.queue.list().first?.recipients.map(\.address), ["ra@example.com"])
        XCTAssertNotNil(report.relayItemID)
    }

    func testAFailedFiledCopyStoresNothingAndTheRetryStoresOnce() throws {
        let f = try Fixture()
        try f.activate(f.binh, "require [\"fileinto\", \"copy\"]; fileinto :copy :create \"Lưu\";")
        let folder = MaildirLayout.folderPath(root: try f.s.layout.accountRoot(f.binh.address), try MailboxName("Lưu"))
        let d = try message(from: "an@example.vn", to: [f.binh, f.chi])
        let boxes = [try f.mailbox(f.binh), try f.mailbox(f.chi)]
        let failed = pipeline(f, ops: FailingLinksInto(directory: folder)).deliver(
            d, mailboxes: boxes, accountID: nil, now: now)
        XCTAssertEqual(failed, .transientFailure)
        XCTAssertEqual(try f.files(f.binh) + f.files(f.binh, "Lưu") + f.files(f.chi), [], "all or nothing")
        guard case .stored = pipeline(f).deliver(d, mailboxes: boxes, accountID: nil, now: now) else {
            return XCTFail()
        }
        XCTAssertEqual(try f.files(f.binh).count, 1)
        XCTAssertEqual(try f.files(f.binh, "Lưu").count, 1)
        XCTAssertEqual(try f.files(f.chi).count, 1)
    }

    func testVacationRepliesOncePerSenderAndNeverToLists() throws {
        let f = try Fixture()
        try f.activate(
            f.binh, "require \"vacation\"; vacation :days 3 :subject \"Vắng mặt\" \"Tôi đi công tác đến 10/12.\";")
        let p = pipeline(f)
        _ = p.deliver(
            try message(from: "chi@so.gov.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now)
        let replies = try f.files(f.chi)
        XCTAssertEqual(replies.count, 1, "chi got one reply")
        let root = try f.s.layout.accountRoot(f.chi.address)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: root + "/new/" + replies[0])))
        let reply = MessageParser.parse(bytes)
        XCTAssertEqual(reply.header.first("Subject")?.decodedValue, "Vắng mặt")
        XCTAssertEqual(reply.header.first("Auto-Submitted")?.value, "auto-replied (vacation)")
        XCTAssertEqual(reply.header.first("In-Reply-To")?.value, "<m1@so.gov.vn>")
        // Within the period: no second reply; a list message: none either.
        _ = p.deliver(
            try message(from: "chi@so.gov.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now + 3600)
        XCTAssertEqual(try f.files(f.chi).count, 1)
        let other = try f.s.account("dung@so.gov.vn")
        _ = p.deliver(
            try message(from: "dung@so.gov.vn", to: [f.binh], headers: ["List-Id: <ds.so.gov.vn>"]),
            mailboxes: [try f.mailbox(f.binh)], accountID: nil, now: now)
        XCTAssertEqual(try f.files(other).count, 0)
        // After the period the same sender gets a reply again.
        _ = p.deliver(
            try message(from: "chi@so.gov.vn", to: [f.binh]), mailboxes: [try f.mailbox(f.binh)], accountID: nil,
            now: now + 3 * 86_400 + 1)
        XCTAssertEqual(try f.files(f.chi).count, 2)
        XCTAssertEqual(try f.files(f.binh).count, 4, "every message is still kept")
    }
}
