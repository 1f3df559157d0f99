import MailCore
import SMTPProtocol
import XCTest

final class SubmissionFixesTests: XCTestCase {
    private let info = ReceivedInfo(
        heloName: "laptop", clientAddress: "192.0.2.7", tlsVersion: "TLSv1.3",
        authenticated: true, hostname: "mx.gov.vn", id: "S1.1")

    func testRFC5322Dates() {
        XCTAssertEqual(SubmissionFixes.rfc5322Date(0), "Thu, 1 Jan 1970 00:00:00 +0000")
        XCTAssertEqual(SubmissionFixes.rfc5322Date(1_790_000_000), "Mon, 21 Sep 2026 14:13:20 +0000")
        XCTAssertEqual(SubmissionFixes.rfc5322Date(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000")
        XCTAssertEqual(SubmissionFixes.rfc5322Date(-86_400), "Wed, 31 Dec 1969 00:00:00 +0000")
    }

    func testAddsDateAndMessageIDOnlyWhenMissing() {
        let bare = Array("From: a@gov.vn\r\n\r\nbody\r\n".utf8)
        let fixed = String(
            decoding: SubmissionFixes.apply(
                to: bare, received: info, now: 0, messageID: "id1@mx.gov.vn",
                addMissingFields: true), as: UTF8.self)
        XCTAssertEqual(
            fixed,
            "Received: from laptop ([192.0.2.7])\r\n\tby mx.gov.vn (GovMail) with ESMTPSA (TLSv1.3)\r\n"
                + "\tid S1.1; Thu, 1 Jan 1970 00:00:00 +0000\r\nDate: Thu, 1 Jan 1970 00:00:00 +0000\r\n"
                + "Message-ID: <id1@mx.gov.vn>\r\nFrom: a@gov.vn\r\n\r\nbody\r\n")

        let complete = Array(
            "date: Mon, 1 Jan 2026 00:00:00 +0700\r\nMESSAGE-ID: <x@y>\r\nFrom: a@gov.vn\r\n\r\nDate: in body\r\n".utf8)
        let kept = SubmissionFixes.apply(to: complete, received: info, now: 0, messageID: "id2", addMissingFields: true)
        XCTAssertEqual(Array(kept.suffix(complete.count)), complete)
        XCTAssertEqual(HeaderSection(kept).values("Date").count, 1)
        XCTAssertEqual(HeaderSection(kept).values("Message-ID"), ["<x@y>"])

        // A Date line in the body does not count as the header.
        let bodyOnly = Array("From: a@gov.vn\r\n\r\nDate: not a header\r\n".utf8)
        XCTAssertTrue(
            HeaderSection(
                SubmissionFixes.apply(
                    to: bodyOnly, received: info, now: 0, messageID: "i",
                    addMissingFields: true)
            ).has("Date"))
        XCTAssertFalse(HeaderSection(bodyOnly).has("Date"))
    }

    func testReceivedLeavesOutTheClientAddressForPrivacyAndNamesTheProtocol() {
        var hidden = info
        hidden.clientAddress = nil
        XCTAssertEqual(
            SubmissionFixes.receivedHeader(hidden, now: 0),
            "Received: from laptop\r\n\tby mx.gov.vn (GovMail) with ESMTPSA (TLSv1.3)\r\n\tid S1.1; Thu, 1 Jan 1970 00:00:00 +0000\r\n"
        )
        var plain = info
        plain.tlsVersion = nil
        plain.authenticated = false
        plain.heloName = "evil\r\nX-Injected: yes"
        let header = SubmissionFixes.receivedHeader(plain, now: 0)
        XCTAssertTrue(header.contains("with ESMTP\r\n"), header)
        XCTAssertFalse(header.contains("\r\nX-Injected"), header)
    }

    func testHeaderFromAddresses() throws {
        let table: [(String, [String]?)] = [
            ("From: a@gov.vn\r\n\r\n", ["a@gov.vn"]),
            ("From: Alice <Alice@Gov.VN>\r\n\r\n", ["alice@gov.vn"]),
            ("From: \"Nguyen, A. <boss@gov.vn>\" <a@gov.vn>\r\n\r\n", ["a@gov.vn"]),
            ("From: a@gov.vn (Alice <boss@gov.vn>)\r\n\r\n", ["a@gov.vn"]),
            ("From: =?utf-8?b?Tmd1eeG7hW4=?=\r\n <a@gov.vn>, b@gov.vn\r\n\r\n", ["a@gov.vn", "b@gov.vn"]),
            ("From: Team: a@gov.vn, b@gov.vn;\r\n\r\n", ["a@gov.vn", "b@gov.vn"]),
            ("Subject: x\r\n\r\nFrom: a@gov.vn\r\n", nil),
            ("From: not an address\r\n\r\n", nil),
            ("From: <a@gov.vn\r\n\r\n", nil),
            ("From: \r\n\r\n", nil),
        ]
        for (message, expected) in table {
            let got = HeaderFrom.addresses(in: Array(message.utf8))?.map(\.key)
            XCTAssertEqual(got, expected, message.debugDescription)
        }
    }
}
