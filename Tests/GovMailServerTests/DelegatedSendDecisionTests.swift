import AccountStore
import MailCore
import SMTPProtocol
import XCTest

@testable import GovMailServer

/// Send-as and send-on-behalf rules of issue 17, as a table over envelope, From and Sender.
final class DelegatedSendDecisionTests: XCTestCase {
    func a(_ s: String) -> EmailAddress { try! EmailAddress(s) }

    func testTable() {
        let own = [a("an@snv.gov.vn"), a("an.nguyen@snv.gov.vn")]
        let both = SenderDelegations(shared: [
            .init(
                accountID: 7, addresses: [a("vanthu@snv.gov.vn"), a("vt@snv.gov.vn")], sendAs: true, sendOnBehalf: true)
        ])
        let asOnly = SenderDelegations(shared: [
            .init(accountID: 7, addresses: [a("vanthu@snv.gov.vn")], sendAs: true, sendOnBehalf: false)
        ])
        let behalfOnly = SenderDelegations(shared: [
            .init(accountID: 7, addresses: [a("vanthu@snv.gov.vn")], sendAs: false, sendOnBehalf: true)
        ])
        let none = SenderDelegations(shared: [])
        let table: [(String, EmailAddress, [String], [String], SenderDelegations, DelegatedSendDecision)] = [
            ("own message", own[0], ["an@snv.gov.vn"], [], both, .own),
            ("own alias in From", own[0], ["an.nguyen@snv.gov.vn"], [], none, .own),
            (
                "send-as via From", own[0], ["vanthu@snv.gov.vn"], [], asOnly,
                .delegated(sharedAccountID: 7, mode: .sendAs)
            ),
            (
                "send-as via envelope and From", a("vanthu@snv.gov.vn"), ["vanthu@snv.gov.vn"], [], asOnly,
                .delegated(sharedAccountID: 7, mode: .sendAs)
            ),
            (
                "send-as via a shared alias", own[0], ["vt@snv.gov.vn"], [], both,
                .delegated(sharedAccountID: 7, mode: .sendAs)
            ),
            (
                "on behalf with Sender", own[0], ["vanthu@snv.gov.vn"], ["an@snv.gov.vn"], behalfOnly,
                .delegated(sharedAccountID: 7, mode: .sendOnBehalf)
            ),
            (
                "both rights with Sender: on behalf", own[0], ["vanthu@snv.gov.vn"], ["an.nguyen@snv.gov.vn"], both,
                .delegated(sharedAccountID: 7, mode: .sendOnBehalf)
            ),
            (
                "on behalf without Sender", own[0], ["vanthu@snv.gov.vn"], [], behalfOnly,
                .refused(.sendOnBehalfNeedsSender(a("vanthu@snv.gov.vn")))
            ),
            (
                "on behalf with someone else's Sender", own[0], ["vanthu@snv.gov.vn"], ["binh@snv.gov.vn"], behalfOnly,
                .refused(.sendOnBehalfNeedsSender(a("vanthu@snv.gov.vn")))
            ),
            (
                "Sender but only send-as: send-as", own[0], ["vanthu@snv.gov.vn"], ["an@snv.gov.vn"], asOnly,
                .delegated(sharedAccountID: 7, mode: .sendAs)
            ),
            ("no right at all", own[0], ["vanthu@snv.gov.vn"], [], none, .refused(.headerFromNotAllowed)),
            (
                "envelope shared without send-as", a("vanthu@snv.gov.vn"), ["an@snv.gov.vn"], [], behalfOnly,
                .refused(.headerFromNotAllowed)
            ),
        ]
        for (name, envelope, from, sender, delegations, expected) in table {
            XCTAssertEqual(
                DelegatedSendDecision.decide(
                    envelope: envelope, from: from.map(a), sender: sender.map(a), own: own, delegations: delegations),
                expected, name)
        }
    }

    func testEnvelopeAndHeaderAddressSets() {
        let d = SenderDelegations(shared: [
            .init(accountID: 1, addresses: [a("a@x.vn")], sendAs: true, sendOnBehalf: false),
            .init(accountID: 2, addresses: [a("b@x.vn")], sendAs: false, sendOnBehalf: true),
        ])
        XCTAssertEqual(d.envelopeAddresses, [a("a@x.vn")])
        XCTAssertEqual(d.headerFromAddresses, [a("a@x.vn"), a("b@x.vn")])
    }
}
