import AccountStore
import MailCore
import XCTest

/// Shared mailboxes and their members (migration 008-smime-delegation, issue 17).
final class DelegationTests: AccountStoreTestCase {
    func testGrantReplaceListAndRemove() throws {
        let vanthu = try add("vanthu@tinh.gov.vn", kind: .shared)
        let an = try add("an@tinh.gov.vn"), binh = try add("binh@tinh.gov.vn")
        try store.grantDelegation(shared: vanthu.address, member: an.address, rights: [.read, .sendAs])
        try store.grantDelegation(shared: vanthu.address, member: binh.address, rights: [.read])
        // A second grant replaces the rights.
        let d = try store.grantDelegation(
            shared: vanthu.address, member: binh.address, rights: [.write, .sendOnBehalf])
        XCTAssertEqual(d.rights, [.write, .sendOnBehalf])
        XCTAssertEqual(
            try store.delegations().map { "\($0.member) \($0.rights.sorted().map(\.rawValue))" },
            ["an@tinh.gov.vn [\"read\", \"send-as\"]", "binh@tinh.gov.vn [\"write\", \"send-on-behalf\"]"])
        XCTAssertEqual(try store.delegations(shared: vanthu.address).count, 2)

        let forAn = try store.sendDelegations(memberAccountID: an.id)
        XCTAssertEqual(forAn.map(\.delegation.shared), [vanthu.address])
        try store.grantDelegation(shared: vanthu.address, member: an.address, rights: [.read])
        XCTAssertEqual(try store.sendDelegations(memberAccountID: an.id).count, 0, "read only: nothing to send for")

        XCTAssertTrue(try store.removeDelegation(shared: vanthu.address, member: binh.address))
        XCTAssertFalse(try store.removeDelegation(shared: vanthu.address, member: binh.address))
        XCTAssertEqual(try store.delegations().map(\.member), [an.address])
    }

    func testRulesAreEnforcedWithMessagesThatSayWhatToDo() throws {
        let vanthu = try add("vanthu@tinh.gov.vn", kind: .shared)
        let an = try add("an@tinh.gov.vn"), other = try add("khac@tinh.gov.vn", kind: .shared)
        XCTAssertThrowsError(try store.grantDelegation(shared: an.address, member: vanthu.address, rights: [.read])) {
            XCTAssertTrue("\($0)".contains("not a shared mailbox"), "\($0)")
        }
        XCTAssertThrowsError(try store.grantDelegation(shared: vanthu.address, member: other.address, rights: [.read]))
        {
            XCTAssertTrue("\($0)".contains("members are staff or service"), "\($0)")
        }
        XCTAssertThrowsError(try store.grantDelegation(shared: vanthu.address, member: an.address, rights: [])) {
            XCTAssertTrue("\($0)".contains("govmail delegate remove"), "\($0)")
        }
        XCTAssertThrowsError(try DelegationRight.parseList("read,send_as")) {
            XCTAssertTrue("\($0)".contains("unknown right \"send_as\""), "\($0)")
        }
        XCTAssertEqual(try DelegationRight.parseList(" Read , send-on-behalf"), [.read, .sendOnBehalf])
    }

    func testDeletedMemberLosesRightsAndAuditOutlivesIt() throws {
        let vanthu = try add("vanthu@tinh.gov.vn", kind: .shared)
        let an = try add("an@tinh.gov.vn")
        try store.grantDelegation(shared: vanthu.address, member: an.address, rights: [.sendAs])
        try store.recordDelegatedSend(
            sharedAccountID: vanthu.id, memberAccountID: an.id, mode: .sendAs, messageID: "<1@x>", recipients: 3,
            at: 1_790_000_000)
        try store.recordDelegatedSend(
            sharedAccountID: vanthu.id, memberAccountID: an.id, mode: .sendOnBehalf, messageID: "<2@x>", recipients: 1,
            at: 1_790_000_100)
        try store.deleteAccount(an.address)
        XCTAssertEqual(try store.delegations(), [])
        XCTAssertEqual(try store.sendDelegations(memberAccountID: an.id).count, 0)
        let sends = try store.delegatedSends(shared: vanthu.address, from: 1_790_000_000, to: 1_790_000_100)
        XCTAssertEqual(sends.map(\.messageID), ["<1@x>"], "the range is [from, to)")
        XCTAssertEqual(sends.first?.member, an.address)
        XCTAssertEqual(sends.first?.recipients, 3)
    }
}
