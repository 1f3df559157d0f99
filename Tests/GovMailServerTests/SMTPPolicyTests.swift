import AccountStore
import Foundation
import GovMailTestSupport
import Logging
import MailCore
import MaildirStore
import NetServer
import SMTPProtocol
import XCTest
@testable import GovMailServer

/// A state folder with a real SQLite directory and real Maildirs for the SMTP driver's pieces.
struct SMTPTestState {
    let dir = TemporaryDirectory()
    let store: AccountStore
    let layout: MaildirLayout
    let directory: SQLiteDirectory

    init() throws {
        store = try AccountStore.open(stateDir: dir.path, clock: ManualClock(1_793_500_000))
        layout = MaildirLayout(stateDir: dir.path)
        directory = SQLiteDirectory(store: store, verifier: NoPasswords())
        _ = try store.addDomain(try Domain("so.gov.vn"))
        _ = try store.addUnit(code: "SNV", name: "Sở Nội vụ", level: .province)
    }

    @discardableResult
    func account(_ address: String, quota: Int64 = 0) throws -> Account {
        let unit = try XCTUnwrap(try store.unit(code: "SNV"))
        let a = try store.createAccount(
            NewAccount(
                address: try EmailAddress(address), displayName: address,
                unitID: unit.id, quota: quota))
        try layout.createAccount(a.address)
        return a
    }

    func policy(relay: Bool) -> SMTPRecipientPolicy {
        SMTPRecipientPolicy(directory: directory, store: store, layout: layout, relayEnabled: relay)
    }

    func inbox(_ address: String) throws -> [String] {
        let root = try layout.accountRoot(try EmailAddress(address))
        return try FileManager.default.contentsOfDirectory(atPath: root + "/new").sorted()
    }
}

final class SMTPRecipientPolicyTests: XCTestCase {
    private func check(
        _ policy: SMTPRecipientPolicy, _ address: String, mode: SMTPSessionMode = .submission,
        size: Int? = nil
    ) throws -> RecipientCheckResult {
        policy.checkRecipient(RecipientCheck(address: try EmailAddress(address), mode: mode, declaredSize: size)).result
    }

    func testRecipientDecisionsTable() throws {
        let s = try SMTPTestState()
        let an = try s.account("an@so.gov.vn")
        try s.account("binh@so.gov.vn")
        _ = try s.store.addAlias(try EmailAddress("vanthu@so.gov.vn"), target: an.address)
        let closed = s.policy(relay: false), open = s.policy(relay: true)
        let cases: [(String, SMTPRecipientPolicy, SMTPSessionMode, RecipientCheckResult)] = [
            ("an@so.gov.vn", closed, .submission, .local(mailbox: an.address)),
            ("AN@SO.GOV.VN", closed, .submission, .local(mailbox: an.address)),
            ("vanthu@so.gov.vn", closed, .submission, .local(mailbox: an.address)),
            ("nobody@so.gov.vn", open, .submission, .unknownLocal),
            ("nobody@so.gov.vn", closed, .inbound, .unknownLocal),
            ("friend@example.com", closed, .submission, .remoteRefused),
            ("friend@example.com", open, .submission, .remoteAcceptedForRelay),
            ("friend@example.com", open, .inbound, .remoteRefused),
        ]
        for (address, policy, mode, expected) in cases {
            XCTAssertEqual(try check(policy, address, mode: mode), expected, "\(address) \(mode)")
        }
        let decision = closed.checkRecipient(
            RecipientCheck(address: try EmailAddress("vanthu@so.gov.vn"), mode: .submission, declaredSize: nil))
        XCTAssertEqual(decision.mailbox?.accountID, an.id, "an alias reaches the account's mailbox")
        XCTAssertEqual(decision.mailbox?.root, try s.layout.accountRoot(an.address))
    }

    func testDisabledAccountStillReceivesAndDeletedIsUnknown() throws {
        let s = try SMTPTestState()
        let a = try s.account("nghi.phep@so.gov.vn")
        _ = try s.store.setEnabled(a.address, false)
        XCTAssertEqual(try check(s.policy(relay: false), "nghi.phep@so.gov.vn"), .local(mailbox: a.address))
        _ = try s.store.deleteAccount(a.address)
        XCTAssertEqual(try check(s.policy(relay: false), "nghi.phep@so.gov.vn"), .unknownLocal)
    }

    func testQuotaDecisions() throws {
        let s = try SMTPTestState()
        let small = try s.account("nho@so.gov.vn", quota: 10_000)
        let policy = s.policy(relay: false)
        XCTAssertEqual(try check(policy, "nho@so.gov.vn", size: 9_000), .local(mailbox: small.address))
        XCTAssertEqual(
            try check(policy, "nho@so.gov.vn", size: 20_000), .tooLargeForAccount, "larger than the whole quota")
        try MaildirDelivery().deliver(
            Array(repeating: 0x41, count: 8_000),
            to: [.init(accountRoot: try s.layout.accountRoot(small.address))])
        XCTAssertEqual(try check(policy, "nho@so.gov.vn", size: 3_000), .overQuota, "usage plus SIZE exceeds the quota")
        XCTAssertEqual(try check(policy, "nho@so.gov.vn", size: 1_000), .local(mailbox: small.address))
        try MaildirDelivery().deliver(
            Array(repeating: 0x41, count: 2_500),
            to: [.init(accountRoot: try s.layout.accountRoot(small.address))])
        XCTAssertEqual(try check(policy, "nho@so.gov.vn"), .overQuota, "a full mailbox refuses even without SIZE")
    }

    func testSenderMustBeTheAccountOrAnAlias() throws {
        let s = try SMTPTestState()
        let an = try s.account("an@so.gov.vn")
        try s.account("binh@so.gov.vn")
        let alias = try EmailAddress("vanthu@so.gov.vn")
        _ = try s.store.addAlias(alias, target: an.address)
        let policy = s.policy(relay: false)
        XCTAssertEqual(
            policy.checkSender(address: try EmailAddress("An@So.Gov.Vn"), account: an.address),
            .allowed(identities: [an.address, alias]))
        XCTAssertEqual(
            policy.checkSender(address: try EmailAddress("VANTHU@so.gov.vn"), account: an.address),
            .allowed(identities: [an.address, alias]))
        XCTAssertEqual(policy.checkSender(address: try EmailAddress("binh@so.gov.vn"), account: an.address), .refused)
        XCTAssertEqual(policy.checkSender(address: try EmailAddress("an@example.com"), account: an.address), .refused)
        _ = try s.store.setEnabled(an.address, false)
        XCTAssertEqual(
            policy.checkSender(address: an.address, account: an.address), .refused,
            "an account disabled after its login can no longer send")
    }

    func testUnreadableDirectoryIsATemporaryFailureForSenderAndRecipient() throws {
        let s = try SMTPTestState()
        let an = try s.account("an@so.gov.vn")
        let policy = SMTPRecipientPolicy(
            directory: UnreadableDirectory(), store: s.store, layout: s.layout,
            relayEnabled: true)
        XCTAssertEqual(
            policy.checkSender(address: an.address, account: an.address), .temporaryFailure,
            "a directory error must not tell the client its own address is forbidden (553)")
        XCTAssertEqual(try check(policy, "an@so.gov.vn"), .temporaryFailure)
    }

    func testADirectoryErrorIsLoggedOnceWithTheConnectionID() throws {
        let s = try SMTPTestState()
        let an = try s.account("an@so.gov.vn")
        let policy = SMTPRecipientPolicy(
            directory: UnreadableDirectory(), store: s.store, layout: s.layout, relayEnabled: true)
        let box = CollectingLogHandler.Box()
        var log = Logger(label: "t") { _ in CollectingLogHandler(box) }
        log[metadataKey: "conn"] = "42"
        XCTAssertEqual(policy.checkSender(address: an.address, account: an.address, logger: log), .temporaryFailure)
        XCTAssertEqual(
            policy.checkRecipient(
                RecipientCheck(address: an.address, mode: .submission, declaredSize: nil), logger: log
            ).result, .temporaryFailure)
        let lines = box.text.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, box.text)
        XCTAssertTrue(lines[0].hasPrefix("directory lookup failed at MAIL FROM; answered 451"), box.text)
        XCTAssertTrue(lines[1].hasPrefix("directory lookup failed at RCPT TO; answered 451"), box.text)
        XCTAssertTrue(lines.allSatisfy { $0.contains("conn=42") && $0.contains("error=") }, box.text)
    }
}

final class SMTPDriverPiecesTests: XCTestCase {
    func testSessionIDsAreUniqueAndSafeInHeaders() {
        var seen = Set<String>()
        for i in 0..<2_000 {
            let id = SMTPSessionID.make(now: 1_793_500_000, connectionID: UInt64(i % 3))
            XCTAssertTrue(id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }, id)
            seen.insert(id)
        }
        XCTAssertEqual(seen.count, 2_000, "the same second and connection number still give distinct ids")
    }

    func testRefusalsAre421WithEnhancedCodes() {
        for reason: RefusalReason in [.tooManyConnections, .tooManyFromAddress, .shuttingDown] {
            let reply = SMTPDriver.refusal(reason)
            XCTAssertEqual(reply.code, 421)
            XCTAssertNotNil(reply.enhancedCode)
            XCTAssertTrue(String(decoding: reply.encoded, as: UTF8.self).hasSuffix("\r\n"))
        }
        XCTAssertEqual(SMTPDriver.refusal(.tooManyConnections).enhancedCode, "4.7.0")
    }
}
