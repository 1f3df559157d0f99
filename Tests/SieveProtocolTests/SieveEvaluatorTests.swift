import MailCore
import SieveProtocol
import XCTest

/// Evaluation tables: a script, a message, the folders and other actions that result.
final class SieveEvaluatorTests: XCTestCase {
    let official = sieveMessage([
        "From: \"Văn phòng UBND\" <vanphong@ubnd.tinh.gov.vn>",
        "To: chuyenvien@tinh.gov.vn",
        "Cc: Other <other@example.com>",
        "Subject: =?UTF-8?B?Q8O0bmcgdsSDbiBz4buRIDEyMw==?=",  // "Công văn số 123"
        "Date: Fri, 04 Dec 2026 08:00:00 +0700",
        "Message-ID: <abc@ubnd.tinh.gov.vn>",
    ])

    func testFolderTable() throws {
        let cases: [(String, [String])] = [
            ("", ["INBOX"]),
            ("keep;", ["INBOX"]),
            ("discard;", []),
            ("require \"fileinto\"; fileinto \"Công văn đến\";", ["Công văn đến"]),
            ("require \"fileinto\"; if header :contains \"subject\" \"công văn\" { fileinto \"CV\"; }", ["CV"]),
            // i;ascii-casemap folds ASCII only: "CÔNG" does not match "công".
            ("require \"fileinto\"; if header :contains \"subject\" \"CÔNG\" { fileinto \"CV\"; }", ["INBOX"]),
            ("require \"fileinto\"; if header :contains \"subject\" \"Công\" { fileinto \"CV\"; }", ["CV"]),
            ("require \"fileinto\"; if header :contains \"subject\" \"cônG\" { fileinto \"CV\"; }", ["CV"]),
            ("require \"fileinto\"; if header :contains \"subject\" \"CÔNG VĂN\" { fileinto \"CV\"; }", ["INBOX"]),
            ("require \"fileinto\"; if header :contains \"subject\" \"CôNG VăN\" { fileinto \"CV\"; }", ["CV"]),
            (
                "require \"fileinto\"; if header :contains :comparator \"i;octet\" \"subject\" \"công\" { fileinto \"CV\"; }",
                ["INBOX"]
            ),
            ("require \"fileinto\"; if header :matches \"subject\" \"Công văn số *\" { fileinto \"CV\"; }", ["CV"]),
            ("require \"fileinto\"; if header :matches \"subject\" \"Công văn số ??\" { fileinto \"CV\"; }", ["INBOX"]),
            ("require \"fileinto\"; if header :is \"subject\" \"công văn số 123\" { fileinto \"CV\"; }", ["CV"]),
            ("require \"fileinto\"; if address :domain :is \"from\" \"UBND.tinh.gov.vn\" { fileinto \"UB\"; }", ["UB"]),
            ("require \"fileinto\"; if address :localpart :is \"from\" \"vanphong\" { fileinto \"UB\"; }", ["UB"]),
            ("require \"fileinto\"; if address :all :is \"cc\" \"other@example.com\" { fileinto \"O\"; }", ["O"]),
            (
                "require [\"fileinto\",\"envelope\"]; if envelope :is \"from\" \"sender@example.vn\" { fileinto \"E\"; }",
                ["E"]
            ),
            (
                "require [\"fileinto\",\"envelope\"]; if envelope :domain \"to\" \"tinh.gov.vn\" { fileinto \"E\"; }",
                ["E"]
            ),
            ("if exists [\"From\", \"X-Nope\"] { discard; }", ["INBOX"]),
            ("if exists [\"From\", \"Date\"] { discard; }", []),
            ("if size :over 10 { discard; }", []),
            ("if size :under 10 { discard; }", ["INBOX"]),
            ("if not true { discard; }", ["INBOX"]),
            ("if allof (true, false) { discard; }", ["INBOX"]),
            ("if anyof (false, true) { discard; }", []),
            (
                "require \"fileinto\"; if false { fileinto \"A\"; } elsif true { fileinto \"B\"; } else { fileinto \"C\"; }",
                ["B"]
            ),
            ("require \"fileinto\"; if false { fileinto \"A\"; } else { fileinto \"C\"; }", ["C"]),
            ("require \"fileinto\"; fileinto \"A\"; stop; fileinto \"B\";", ["A"]),
            ("require [\"fileinto\",\"copy\"]; fileinto :copy \"A\";", ["A", "INBOX"]),
            ("require \"fileinto\"; fileinto \"A\"; fileinto \"A\"; keep;", ["A", "INBOX"]),
            ("require \"fileinto\"; fileinto \"inbox\";", ["INBOX"]),
            ("require \"body\"; if body :contains \"hello\" { discard; }", []),
            ("require \"body\"; if body :raw :contains \"nothing\" { discard; }", ["INBOX"]),
            (
                "require [\"relational\", \"comparator-i;ascii-numeric\"]; if address :count \"ge\" :comparator \"i;ascii-numeric\" [\"to\", \"cc\"] \"2\" { discard; }",
                []
            ),
            ("require [\"relational\"]; if header :value \"gt\" \"subject\" \"Công văn số 100\" { discard; }", []),
            (
                "require [\"variables\", \"fileinto\"]; if header :matches \"subject\" \"* số *\" { fileinto \"CV-${2}\"; }",
                ["CV-123"]
            ),
            ("require [\"variables\", \"fileinto\"]; set :upper \"f\" \"abc\"; fileinto \"${f}\";", ["ABC"]),
            (
                "require [\"date\", \"relational\"]; if date :value \"ge\" \"date\" \"date\" \"2026-12-04\" { discard; }",
                []
            ),
            ("require [\"date\"]; if date :zone \"+0000\" \"date\" \"hour\" \"01\" { discard; }", []),
            ("require [\"date\"]; if date :originalzone \"date\" \"zone\" \"+0700\" { discard; }", []),
        ]
        for (source, folders) in cases {
            let outcome = try runScript(source, on: official)
            XCTAssertEqual(outcome.folders, folders, source)
        }
    }

    func testRFC5228SpamExampleFilesIntoSpam() throws {
        let script = """
            require "fileinto";
            if header :is "Sender" "owner-ietf-mtg@ietf.org" { discard; }
            elsif header :matches "subject" ["*make*money*fast*", "*university*dipl*mas*"] { fileinto "spam"; }
            else { fileinto "personal"; }
            """
        let spam = sieveMessage(["From: x@y.com", "Subject: MAKE some MONEY very FAST now"])
        XCTAssertEqual(try runScript(script, on: spam).folders, ["spam"])
        let list = sieveMessage(["From: x@y.com", "Sender: owner-ietf-mtg@ietf.org"])
        XCTAssertEqual(try runScript(script, on: list).folders, [])
        XCTAssertEqual(try runScript(script, on: sieveMessage(["From: a@b.c"])).folders, ["personal"])
    }

    func testCurrentDateSelectsVacationWindow() throws {
        let script = """
            require ["date", "relational", "vacation"];
            if allof (currentdate :value "ge" "date" "2026-12-01", currentdate :value "le" "date" "2026-12-10") {
                vacation :days 3 "Tôi đang đi công tác.";
            }
            """
        XCTAssertNotNil(try runScript(script, on: official, now: testNow).vacation)
        XCTAssertNil(try runScript(script, on: official, now: testNow + 7 * 86_400).vacation)
        // 2026-11-30 23:30 local (+0700) is still November.
        XCTAssertNil(try runScript(script, on: official, now: 1_796_056_200).vacation)
        // Half an hour later it is 1 December in Hà Nội (still 30 November in UTC).
        XCTAssertNotNil(try runScript(script, on: official, now: 1_796_056_200 + 3600).vacation)
    }

    func testImap4flagsGoWithTheDelivery() throws {
        let outcome = try runScript(
            """
            require ["imap4flags", "fileinto"];
            setflag "\\\\Seen"; addflag ["\\\\Flagged", "$CongVan"]; removeflag "\\\\flagged";
            if hasflag :contains "seen" { fileinto :flags "\\\\Answered" "A"; }
            """, on: official)
        XCTAssertEqual(outcome.deliveries, [SieveDelivery(mailbox: "A", create: false, flags: ["\\Answered"])])
        let keep = try runScript("require \"imap4flags\"; setflag \"\\\\Seen \\\\Flagged\";", on: official)
        XCTAssertEqual(
            keep.deliveries, [SieveDelivery(mailbox: "INBOX", create: false, flags: ["\\Seen", "\\Flagged"])])
    }

    func testRedirectAndVacationActions() throws {
        let outcome = try runScript(
            """
            require ["vacation", "copy"];
            redirect :copy "boss@tinh.gov.vn";
            vacation :days 1 :subject "Vắng mặt" :from "chuyenvien@tinh.gov.vn" "Tôi vắng mặt.";
            """, on: official)
        XCTAssertEqual(outcome.folders, ["INBOX"])
        XCTAssertEqual(outcome.redirects, [try EmailAddress("boss@tinh.gov.vn")])
        XCTAssertEqual(outcome.vacation?.period, 86_400)
        XCTAssertEqual(outcome.vacation?.subject, "Vắng mặt")
        XCTAssertEqual(try runScript("redirect \"a@b.vn\";", on: official).folders, [])
    }

    func testRuntimeLimitsFail() throws {
        var limits = SieveLimits()
        limits.maxRedirects = 2
        XCTAssertThrowsError(
            try runScript(
                "redirect \"a@b.vn\"; redirect \"c@d.vn\"; redirect \"e@f.vn\";", on: official, limits: limits))
        limits = SieveLimits()
        limits.maxActions = 2
        XCTAssertThrowsError(
            try runScript(
                "require \"fileinto\"; fileinto \"a\"; fileinto \"b\"; fileinto \"c\";", on: official, limits: limits))
        limits = SieveLimits()
        limits.maxSteps = 5
        XCTAssertThrowsError(try runScript("keep; keep; keep; keep; keep; keep;", on: official, limits: limits))
        XCTAssertThrowsError(try runScript("require \"vacation\"; vacation \"a\"; vacation \"b\";", on: official))
        XCTAssertThrowsError(try runScript("redirect \"not an address\";", on: official))
    }

    func testVacationPeriodIsClamped() throws {
        let short = try runScript(
            "require [\"vacation\",\"vacation-seconds\"]; vacation :seconds 1 \"x\";", on: official)
        XCTAssertEqual(short.vacation?.period, SieveLimits().minVacationPeriod)
        let long = try runScript("require \"vacation\"; vacation :days 400 \"x\";", on: official)
        XCTAssertEqual(long.vacation?.period, SieveLimits().maxVacationPeriod)
        let none = try runScript("require \"vacation\"; vacation \"x\";", on: official)
        XCTAssertEqual(none.vacation?.period, 7 * 86_400)
    }

    func testMatchesBacktrackingIsBounded() throws {
        let subject = String(repeating: "a", count: 3000)
        let message = sieveMessage(["Subject: " + subject])
        let outcome = try runScript(
            "if header :matches \"subject\" \"*a*a*a*a*a*a*a*b\" { discard; }", on: message)
        XCTAssertEqual(outcome.folders, ["INBOX"])
    }
}

/// The examples of the extension RFCs, run.
final class SieveRFCExampleTests: XCTestCase {
    func testExtensionExamples() throws {
        let listMail = sieveMessage(
            [
                "From: Boss <boss@frobnitzm.example.edu>", "To: tjs@example.edu", "Subject: cyrus is down",
                "List-ID: Sieve list <sieve@ietf.org>", "Date: Sat, 30 Jun 2007 10:00:00 +0000",
            ], body: "MAKE MONEY FAST\r\n")
        // RFC 5230 §4.7 (abridged): the branch taken decides the reply text.
        var o = try runScript(
            """
            require "vacation";
            if header :contains "subject" "cyrus" {
                vacation "I'm out -- send mail to cyrus-bugs";
            } else {
                vacation "I'm out -- call me at +1 304 555 0123";
            }
            """, on: listMail)
        XCTAssertEqual(o.vacation?.reason, "I'm out -- send mail to cyrus-bugs")
        o = try runScript(
            """
            require "vacation";
            vacation :days 23 :addresses ["tjs@example.edu", "ts4z@landru.example.edu"]
              "I'm away until October 19.  If it's an emergency, call 911, I guess." ;
            """, on: listMail)
        XCTAssertEqual(o.vacation?.addresses, ["tjs@example.edu", "ts4z@landru.example.edu"])
        XCTAssertEqual(o.vacation?.period, 23 * 86_400)
        o = try runScript(
            """
            require "vacation";
            vacation :mime text:
            Content-Type: multipart/alternative; boundary=foo

            --foo

            I'm at the beach relaxing.  Mmmm, surf...

            --foo--
            .
            ;
            """, on: listMail)
        XCTAssertEqual(o.vacation?.mime, true)
        XCTAssertTrue(o.vacation?.reason.hasPrefix("Content-Type: multipart/alternative; boundary=foo\r\n\r\n") == true)
        // RFC 5232 §4 with RFC 5229 variables: flags kept in a variable.
        o = try runScript(
            """
            require ["imap4flags", "fileinto", "variables"];
            if header :contains "from" "boss@frobnitzm.example.edu" {
              setflag "flagvar" "\\\\Flagged";
              fileinto :flags "${flagvar}" "INBOX.From Boss";
            }
            """, on: listMail)
        XCTAssertEqual(o.deliveries, [SieveDelivery(mailbox: "INBOX.From Boss", create: false, flags: ["\\Flagged"])])
        // RFC 5229 §3.2: match variables from :matches.
        o = try runScript(
            """
            require ["variables", "fileinto"];
            if header :matches "List-ID" "*<*@*" {
                fileinto "INBOX.lists.${2}"; stop;
            }
            """, on: listMail)
        XCTAssertEqual(o.folders, ["INBOX.lists.sieve"])
        // RFC 5260 §7: a vacation for the first week of July 2007.
        let july2007: Int64 = 1_183_204_800  // 2007-06-30 12:00 UTC
        let vacation = """
            require ["date", "relational", "vacation"];
            if allof(currentdate :value "ge" "date" "2007-06-30",
                     currentdate :value "le" "date" "2007-07-07")
            { vacation :days 7  "I'm away during the first week in July."; }
            """
        XCTAssertNotNil(try runScript(vacation, on: listMail, now: july2007).vacation)
        XCTAssertNil(try runScript(vacation, on: listMail, now: july2007 + 9 * 86_400).vacation)
        // RFC 5260 §5: file by the year of the Date header.
        o = try runScript(
            """
            require ["date", "variables", "fileinto"];
            if date :matches "date" "year" "*" { set "year" "${1}"; }
            fileinto "archive.${year}";
            """, on: listMail)
        XCTAssertEqual(o.folders, ["archive.2007"])
        // RFC 5173 §7 (abridged).
        XCTAssertEqual(
            try runScript("require \"body\"; if body :raw :contains \"MAKE MONEY FAST\" { discard; }", on: listMail)
                .folders, [])
        // RFC 3894 §4: a copy to another address, and the implicit keep stays.
        o = try runScript(
            "require [\"copy\"]; if header :contains \"to\" \"tjs\" { redirect :copy \"other@example.net\"; }",
            on: listMail)
        XCTAssertEqual(o.folders, ["INBOX"])
        XCTAssertEqual(o.redirects.map(\.description), ["other@example.net"])
    }
}
