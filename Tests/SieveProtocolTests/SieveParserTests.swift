import SieveProtocol
import XCTest

/// Compile tables: scripts that must compile (RFC examples) and errors with their line:column.
final class SieveParserTests: XCTestCase {
    func testValidScriptsCompile() throws {
        let valid = [
            // RFC 5228 §2.9 and §9 (abridged), with comments of both kinds and multi-line text.
            """
            require ["fileinto", "envelope"]; # comment
            /* a bracketed
               comment */
            if header :is "Sender" "owner-ietf-mtg@ietf.org" {
                discard;
            } elsif address :DOMAIN :is ["From", "To"] "example.com" {
                keep;
            } elsif anyof (NOT address :all :contains ["To", "Cc", "Bcc"] "me@example.com",
                           header :matches "subject" ["*make*money*fast*", "*university*dipl*mas*"]) {
                fileinto "spam";
            } else {
                fileinto "personal";
            }
            """,
            "if size :over 100K { discard; }",
            "if exists [\"From\",\"Date\"] { stop; }",
            "require \"vacation\"; vacation :days 7 :subject \"x\" :addresses [\"a@b.vn\"] text:\r\nNghỉ phép\r\n..dot\r\n.\r\n;",
            "require [\"vacation\", \"vacation-seconds\"]; vacation :seconds 3600 :handle \"h\" :mime \"Content-Type: text/plain\r\n\r\nx\";",
            "require [\"imap4flags\", \"fileinto\"]; setflag \"\\\\Seen\"; addflag [\"$Label1\"]; fileinto :flags \"\\\\Flagged\" \"A\";",
            "require [\"date\", \"relational\"]; if currentdate :value \"ge\" \"date\" \"2026-12-01\" { keep; }",
            "require [\"variables\"]; set :lower \"x\" \"ABC\"; if string :is \"${x}\" \"abc\" { keep; }",
            "require \"body\"; if body :text :contains \"công văn\" { keep; }",
            "require [\"copy\"]; redirect :copy \"boss@tinh.gov.vn\";",
            "",
        ]
        for source in valid {
            XCTAssertNoThrow(try SieveScript.compile(source), source)
        }
    }

    func testErrorsCarryLineAndColumn() {
        let cases: [(String, Int, Int, String)] = [
            ("keep", 1, 5, "expected \";\""),
            ("if true {\n  keep;\n", 3, 1, "expected \"}\""),
            ("\n\nfileinto \"x\";", 3, 1, "require \"fileinto\""),
            ("keep;\nrequire \"fileinto\";", 2, 1, "require must come before"),
            ("require \"nonsense\";", 1, 1, "not supported"),
            ("if header :bogus \"a\" \"b\" { keep; }", 1, 11, "no tag :bogus"),
            ("if size :over { keep; }", 1, 4, "needs a number"),
            ("keep; \"unterminated", 1, 7, "never closed"),
            ("/* open", 1, 1, "never closed"),
            ("else { keep; }", 1, 1, "must follow an if"),
            ("if foo { keep; }", 1, 4, "unknown test"),
            ("frobnicate;", 1, 1, "unknown command"),
            (
                "require \"relational\"; if header :value \"xx\" \"a\" \"b\" { keep; }", 1, 26,
                "not a relational operator"
            ),
            ("if header :is :contains \"a\" \"b\" { keep; }", 1, 4, "only one match type"),
            ("require \"date\"; if currentdate \"century\" \"x\" { keep; }", 1, 20, "unknown date part"),
            ("redirect [\"a@b\", \"c@d\"];", 1, 10, "one string"),
        ]
        for (source, line, column, fragment) in cases {
            do {
                _ = try SieveScript.compile(source)
                XCTFail("compiled: \(source)")
            } catch {
                XCTAssertEqual(error.position, SourcePosition(line: line, column: column), "\(source): \(error)")
                XCTAssertTrue(error.message.contains(fragment), "\(source): \(error.message)")
            }
        }
    }

    func testLimitsAreEnforced() {
        var limits = SieveLimits()
        limits.maxScriptSize = 10
        XCTAssertThrowsError(try SieveScript.compile("keep; keep; keep;", limits: limits))
        limits = SieveLimits()
        limits.maxNesting = 3
        let deep = String(repeating: "if true { ", count: 5) + "keep;" + String(repeating: " }", count: 5)
        XCTAssertThrowsError(try SieveScript.compile(deep, limits: limits)) { error in
            XCTAssertTrue("\(error)".contains("nested too deeply"))
        }
        let deepTests = "if " + String(repeating: "not ", count: 10) + "true { keep; }"
        XCTAssertThrowsError(try SieveScript.compile(deepTests, limits: limits))
    }

    func testMultilineStringIsDotUnstuffedWithCRLF() throws {
        let script = try SieveScript.compile("require \"vacation\";\nvacation text:\nline one\n..two\n.\n;")
        guard case .vacation(let v) = script.commands.first else { return XCTFail("\(script.commands)") }
        XCTAssertEqual(v.reason, "line one\r\n.two\r\n")
    }

    func testQuotedStringEscapes() throws {
        let script = try SieveScript.compile(#"require "fileinto"; fileinto "a\"b\\c\d";"#)
        XCTAssertEqual(script.commands, [.fileinto("a\"b\\cd", create: false, copy: false, flags: nil)])
    }
}

/// The script `govmail vacation set` writes compiles and does what it says.
final class VacationScriptTests: XCTestCase {
    func testGeneratedScriptCompilesAndHonoursTheDates() throws {
        let script = VacationScript(
            firstDay: "2026-12-01", lastDay: "2026-12-10", subject: "Vắng \"mặt\"",
            message: "Tôi đi công tác.\nXin gọi \\ văn phòng.", days: 2, previousActive: "filters")
        let message = sieveMessage(["From: a@b.vn", "To: chuyenvien@tinh.gov.vn"])
        let during = try runScript(script.source, on: message, now: testNow)
        XCTAssertEqual(during.vacation?.subject, "Vắng \"mặt\"")
        XCTAssertEqual(during.vacation?.reason, "Tôi đi công tác.\nXin gọi \\ văn phòng.")
        XCTAssertEqual(during.vacation?.period, 2 * 86_400)
        XCTAssertNil(try runScript(script.source, on: message, now: testNow + 10 * 86_400).vacation)
        XCTAssertEqual(VacationScript.previousActive(in: script.source), "filters")
        let always = VacationScript(
            firstDay: nil, lastDay: nil, subject: "s", message: "m", days: 1, previousActive: nil)
        XCTAssertNotNil(try runScript(always.source, on: message).vacation)
        XCTAssertNil(VacationScript.previousActive(in: always.source))
        XCTAssertTrue(VacationScript.isDay("2026-12-01"))
        XCTAssertFalse(VacationScript.isDay("2026-13-01"))
        XCTAssertFalse(VacationScript.isDay("1/12/2026"))
    }
}
