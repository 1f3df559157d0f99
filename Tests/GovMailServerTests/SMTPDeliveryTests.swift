import AccountStore
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import MaildirStore
import Relay
import SMTPProtocol
import XCTest
@testable import GovMailServer

/// The real file system, except that links into one chosen directory fail (a full or broken disk
/// under one mailbox), to test what the pipeline does when local delivery fails after the spool write.
struct FailingLinksInto: FileOperations {
    let real = POSIXFileOperations()
    let directory: String
    func createExclusive(_ path: String) throws -> Int32 { try real.createExclusive(path) }
    func openAppend(_ path: String) throws -> Int32 { try real.openAppend(path) }
    func write(_ fd: Int32, _ bytes: [UInt8], path: String) throws { try real.write(fd, bytes, path: path) }
    func fsync(_ fd: Int32, path: String) throws { try real.fsync(fd, path: path) }
    func setModificationTime(_ fd: Int32, seconds: Int, path: String) throws {
        try real.setModificationTime(fd, seconds: seconds, path: path)
    }
    func close(_ fd: Int32) { real.close(fd) }
    func link(_ from: String, _ to: String) throws {
        if to.hasPrefix(directory) { throw SystemCallError("link", to, ENOSPC) }
        try real.link(from, to)
    }
    func rename(_ from: String, _ to: String) throws { try real.rename(from, to) }
    func unlink(_ path: String) throws { try real.unlink(path) }
    func fsyncDirectory(_ path: String) throws { try real.fsyncDirectory(path) }
}

final class SMTPDeliveryPipelineTests: XCTestCase {
    private let logger = Logger(label: "test")

    private func message(_ recipients: [EnvelopeRecipient], id: String = "s1.1", body: String = "Nội dung") throws
        -> Delivery
    {
        Delivery(
            sender: try EmailAddress("an@so.gov.vn"), recipients: recipients, account: try EmailAddress("an@so.gov.vn"),
            message: Array("From: an@so.gov.vn\r\nSubject: Công văn\r\n\r\n\(body)\r\n".utf8), smtpUTF8: false,
            transactionID: id)
    }

    private func mailbox(_ s: SMTPTestState, _ a: Account) throws -> LocalMailbox {
        LocalMailbox(accountID: a.id, address: a.address, root: try s.layout.accountRoot(a.address), quota: a.quota)
    }

    func testLocalAndRemoteRecipientsAreStoredOnceEach() throws {
        let s = try SMTPTestState()
        let binh = try s.account("binh@so.gov.vn"), chi = try s.account("chi@so.gov.vn")
        let queue = RelayQueue(stateDir: s.dir.path)
        let pipeline = SMTPDeliveryPipeline(relayQueue: queue, delivery: MaildirDelivery(), logger: logger)
        let d = try message([
            .init(address: binh.address, route: .local(mailbox: binh.address)),
            .init(address: try EmailAddress("vanthu@so.gov.vn"), route: .local(mailbox: chi.address)),
            .init(address: try EmailAddress("chi@so.gov.vn"), route: .local(mailbox: chi.address)),
            .init(address: try EmailAddress("ban@example.com"), route: .relay),
        ])
        let outcome = pipeline.deliver(
            d, mailboxes: [try mailbox(s, binh), try mailbox(s, chi), try mailbox(s, chi)],
            accountID: 1, now: 1_793_500_000)
        guard case .stored(let report) = outcome else { return XCTFail("expected stored, got \(outcome)") }
        XCTAssertEqual(report.queueID, "s1.1")
        XCTAssertEqual(report.remoteRecipients, 1)
        XCTAssertEqual(
            report.localMailboxes.map(\.address), [binh.address, chi.address], "chi once, although reached twice")
        XCTAssertEqual(try s.inbox("binh@so.gov.vn").count, 1)
        XCTAssertEqual(try s.inbox("chi@so.gov.vn").count, 1)
        let items = try queue.list()
        XCTAssertEqual(items.map(\.id), [report.relayItemID].compactMap { $0 })
        XCTAssertEqual(items.first?.recipients.map(\.address), ["ban@example.com"])
        XCTAssertEqual(try queue.message(try XCTUnwrap(report.relayItemID)), d.message)
    }

    func testFailedLocalDeliveryWithdrawsTheSpoolItemAndARetryGivesNoDuplicates() throws {
        let s = try SMTPTestState()
        let binh = try s.account("binh@so.gov.vn"), chi = try s.account("chi@so.gov.vn")
        let queue = RelayQueue(stateDir: s.dir.path)
        let chiRoot = try s.layout.accountRoot(chi.address)
        let broken = SMTPDeliveryPipeline(
            relayQueue: queue,
            delivery: MaildirDelivery(writer: DurableWriter(ops: FailingLinksInto(directory: chiRoot))),
            logger: logger)
        let d = try message([
            .init(address: binh.address, route: .local(mailbox: binh.address)),
            .init(address: chi.address, route: .local(mailbox: chi.address)),
            .init(address: try EmailAddress("ban@example.com"), route: .relay),
        ])
        let boxes = [try mailbox(s, binh), try mailbox(s, chi)]
        XCTAssertEqual(broken.deliver(d, mailboxes: boxes, accountID: 1, now: 1_793_500_000), .transientFailure)
        XCTAssertEqual(try queue.list(), [], "the relay item written first was withdrawn")
        XCTAssertEqual(try s.inbox("binh@so.gov.vn"), [], "all or nothing: binh got nothing either")
        XCTAssertEqual(try s.inbox("chi@so.gov.vn"), [])

        // The client retries (a new transaction id) once the disk is fine again.
        let healthy = SMTPDeliveryPipeline(relayQueue: queue, delivery: MaildirDelivery(), logger: logger)
        var retry = d
        retry.transactionID = "s2.1"
        guard case .stored = healthy.deliver(retry, mailboxes: boxes, accountID: 1, now: 1_793_500_060) else {
            return XCTFail("the retry should be stored")
        }
        XCTAssertEqual(try s.inbox("binh@so.gov.vn").count, 1)
        XCTAssertEqual(try s.inbox("chi@so.gov.vn").count, 1)
        XCTAssertEqual(try queue.list().count, 1, "exactly one relay item after failure and retry")
    }

    func testMessageLargerThanAQuotaIsRefusedBeforeAnythingIsStored() throws {
        let s = try SMTPTestState()
        let big = try s.account("binh@so.gov.vn"), tiny = try s.account("nho@so.gov.vn", quota: 20)
        let queue = RelayQueue(stateDir: s.dir.path)
        let pipeline = SMTPDeliveryPipeline(relayQueue: queue, delivery: MaildirDelivery(), logger: logger)
        let d = try message([
            .init(address: big.address, route: .local(mailbox: big.address)),
            .init(address: tiny.address, route: .local(mailbox: tiny.address)),
            .init(address: try EmailAddress("ban@example.com"), route: .relay),
        ])
        let outcome = pipeline.deliver(d, mailboxes: [try mailbox(s, big), try mailbox(s, tiny)], accountID: 1, now: 0)
        XCTAssertEqual(outcome, .refused(.tooLargeForAccount))
        XCTAssertEqual(SMTPReply.tooLargeForAccount.code, 552)
        XCTAssertEqual(SMTPReply.tooLargeForAccount.enhancedCode, "5.2.2")
        XCTAssertEqual(try s.inbox("binh@so.gov.vn"), [])
        XCTAssertEqual(try queue.list(), [])
    }

    func testMissingMaildirIsCreatedOnDelivery() throws {
        let s = try SMTPTestState()
        let binh = try s.account("binh@so.gov.vn")
        let root = try s.layout.accountRoot(binh.address)
        try FileManager.default.removeItem(atPath: root)
        let pipeline = SMTPDeliveryPipeline(
            relayQueue: RelayQueue(stateDir: s.dir.path), delivery: MaildirDelivery(),
            logger: logger)
        let d = try message([.init(address: binh.address, route: .local(mailbox: binh.address))])
        guard case .stored = pipeline.deliver(d, mailboxes: [try mailbox(s, binh)], accountID: nil, now: 0) else {
            return XCTFail("expected stored")
        }
        XCTAssertEqual(try s.inbox("binh@so.gov.vn").count, 1)
    }
}
