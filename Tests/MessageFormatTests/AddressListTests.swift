import XCTest
@testable import MessageFormat

final class AddressListTests: XCTestCase {
    private func parse(_ s: String) -> [AddressListEntry] { AddressList.parse(Array(s.utf8)) }

    func testMailboxTable() {
        // input → [(rawName, localPart, domain)]
        let table: [(String, [(String?, String, String?)])] = [
            ("a@x.vn", [(nil, "a", "x.vn")]),
            ("Nguyen Van A <a@x.vn>", [("Nguyen Van A", "a", "x.vn")]),
            ("\"Nguyễn, Văn A\" <a@x.vn>, b@y.vn", [("Nguyễn, Văn A", "a", "x.vn"), (nil, "b", "y.vn")]),
            ("=?utf-8?q?Tr=E1=BA=A7n?= <t@x.vn>", [("=?utf-8?q?Tr=E1=BA=A7n?=", "t", "x.vn")]),
            // The comment names an address that has no other name (Dovecot); a real name wins.
            ("a@x.vn (Comment Name)", [("Comment Name", "a", "x.vn")]),
            ("(first) a@x.vn (Last \\(x\\) one)", [("Last (x) one", "a", "x.vn")]),
            ("Real <a@x.vn> (comment)", [("Real", "a", "x.vn")]),
            ("a(c)@x.vn", [("c", "a", "x.vn")]),
            ("John Q. Public <jqp@x.vn>", [("John Q. Public", "jqp", "x.vn")]),
            ("<a@x.vn>", [(nil, "a", "x.vn")]),
            ("a . b @ x . vn", [(nil, "a.b", "x.vn")]),
            ("\"john doe\"@x.vn", [(nil, "\"john doe\"", "x.vn")]),
            ("a@[10.0.0.1]", [(nil, "a", "[10.0.0.1]")]),
            ("undisclosed", [(nil, "undisclosed", nil)]),
            ("a@x.vn,, ,b@y.vn", [(nil, "a", "x.vn"), (nil, "b", "y.vn")]),
            ("Broken <a@x.vn", [("Broken", "a", "x.vn")]),
            ("", []),
        ]
        for (input, expected) in table {
            let got = parse(input).flatMap(\.mailboxes)
            XCTAssertEqual(got.count, expected.count, input)
            for (g, e) in zip(got, expected) {
                XCTAssertEqual(g.rawName, e.0, input)
                XCTAssertEqual(g.localPart, e.1, input)
                XCTAssertEqual(g.domain, e.2, input)
            }
        }
    }

    func testDecodedDisplayName() {
        let m = parse("=?utf-8?q?Tr=E1=BA=A7n_V=C4=83n?= =?utf-8?q?_B?= <t@x.vn>").first?.mailboxes.first
        XCTAssertEqual(m?.name, "Trần Văn B")
        XCTAssertEqual(m?.address, "t@x.vn")
        XCTAssertEqual(m?.emailAddress?.description, "t@x.vn")
    }

    func testObsoleteRoute() {
        let m = parse("Name <@relay1.vn,@relay2.vn:a@x.vn>").first?.mailboxes.first
        XCTAssertEqual(m?.route, "@relay1.vn,@relay2.vn")
        XCTAssertEqual(m?.address, "a@x.vn")
    }

    func testGroups() {
        let entries = parse("Nhóm: a@x.vn, Bé <b@y.vn>; c@z.vn, undisclosed-recipients:;")
        XCTAssertEqual(entries.count, 3)
        guard case .group(let name, let members) = entries[0] else { return XCTFail("expected group") }
        XCTAssertEqual(name, "Nhóm")
        XCTAssertEqual(members.map(\.address), ["a@x.vn", "b@y.vn"])
        XCTAssertEqual(entries[1], .mailbox(MailboxAddress(rawName: nil, route: nil, localPart: "c", domain: "z.vn")))
        XCTAssertEqual(entries[2], .group(rawName: "undisclosed-recipients", members: []))

        let env = AddressList.envelopeAddresses(entries)
        XCTAssertEqual(
            env,
            [
                EnvelopeAddress(name: nil, adl: nil, mailbox: "Nhóm", host: nil),
                EnvelopeAddress(name: nil, adl: nil, mailbox: "a", host: "x.vn"),
                EnvelopeAddress(name: "Bé", adl: nil, mailbox: "b", host: "y.vn"),
                EnvelopeAddress(name: nil, adl: nil, mailbox: nil, host: nil),
                EnvelopeAddress(name: nil, adl: nil, mailbox: "c", host: "z.vn"),
                EnvelopeAddress(name: nil, adl: nil, mailbox: "undisclosed-recipients", host: nil),
                EnvelopeAddress(name: nil, adl: nil, mailbox: nil, host: nil),
            ])
    }

    func testUnterminatedGroupAndMissingDomain() {
        let entries = parse("Team: a@x.vn, b")
        XCTAssertEqual(
            entries,
            [
                .group(
                    rawName: "Team",
                    members: [
                        MailboxAddress(rawName: nil, route: nil, localPart: "a", domain: "x.vn"),
                        MailboxAddress(rawName: nil, route: nil, localPart: "b", domain: nil),
                    ])
            ])
        let env = AddressList.envelopeAddresses(parse("b"))
        XCTAssertEqual(env, [EnvelopeAddress(name: nil, adl: nil, mailbox: "b", host: AddressList.missingDomain)])
    }
}
