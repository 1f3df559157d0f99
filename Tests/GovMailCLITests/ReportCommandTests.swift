import AccountStore
import Foundation
import GovMailTestSupport
import MailCore
import UsageAnalytics
import XCTest

/// `govmail report` run as a whole command against a directory whose October 2026 is known:
///
///   P  (province) a1 active (4 days, sends 4 messages, 2 signed), a2 used 1 day, a3 never
///   H1 (district, under P) b1 active (5 days), b2 active (4 days, SMTP AUTH only), b3 never
///   X1 (commune, under H1) c1 active (4 days), c2 and c3 never, c4 disabled on 3 October (never)
///
/// Accounts are created on 2026-09-01 through the AccountStore API with a manual clock (the
/// CLI would stamp them with today's date). Staff 10, active 4: share 40.0%; September 0%.
final class ReportCommandTests: CLITestCase {
    /// Every run in these tests is "made" at 2026-11-10 09:00 in Asia/Ho_Chi_Minh (the reproducible-
    /// builds convention the report honours), so two runs give the same bytes and October is closed.
    static let reportNow = "1794276000"

    override func tearDown() {
        unsetenv("SOURCE_DATE_EPOCH")
        super.tearDown()
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        setenv("SOURCE_DATE_EPOCH", Self.reportNow, 1)
        // Units of 3 are published; keep every test month however old the machine's date gets.
        try
            "passwords:\n  min_length: 10\n  scrypt_log_n: 10\nanalytics:\n  min_unit_size: 3\n  retention_months: 240\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try govmail(["domain", "add", "tinh.gov.vn"])
        try govmail(["unit", "add", "P", "--name", "UBND tỉnh Ninh Bình", "--level", "province"])
        try govmail(["unit", "add", "H1", "--name", "UBND huyện Hoa Lư", "--level", "district", "--parent", "P"])
        try govmail(["unit", "add", "X1", "--name", "UBND xã Ninh Hải", "--level", "commune", "--parent", "H1"])
        let clock = ManualClock(1_788_195_600)  // 2026-09-01 00:00 in Asia/Ho_Chi_Minh
        let s = try AccountStore.open(stateDir: state, clock: clock)
        var ids: [String: Int64] = [:]
        for (name, unit) in [
            ("a1", "P"), ("a2", "P"), ("a3", "P"), ("b1", "H1"), ("b2", "H1"), ("b3", "H1"),
            ("c1", "X1"), ("c2", "X1"), ("c3", "X1"), ("c4", "X1"),
        ] {
            let u = try XCTUnwrap(try s.unit(code: unit))
            ids[name] = try s.createAccount(
                NewAccount(
                    address: EmailAddress("\(name)@tinh.gov.vn"),
                    displayName: "Cán bộ \(name)", unitID: u.id, quota: 0)
            ).id
        }
        clock.advance(32 * 86400)  // 2026-10-03
        try s.setEnabled(EmailAddress("c4@tinh.gov.vn"), false)
        func logins(_ name: String, _ days: [Int]) -> [ActivityIncrement] {
            days.map {
                ActivityIncrement(
                    accountID: ids[name]!, day: "2026-10-\($0 < 10 ? "0" : "")\($0)",
                    counters: ActivityCounters(imapLogins: 1), clientLogins: ["Thunderbird": 1])
            }
        }
        var increments =
            logins("a1", [1, 2, 3]) + logins("a2", [9]) + logins("b1", [1, 2, 3, 4, 5])
            + logins("c1", [6, 7, 8, 9])
        increments.append(
            ActivityIncrement(
                accountID: ids["a1"]!, day: "2026-10-20",
                counters: ActivityCounters(
                    smtpAuths: 1, messagesSent: 4, sentInternalRecipients: 5, sentExternalRecipients: 1,
                    messagesSigned: 2)))
        increments += [12, 13, 14, 15].map {
            ActivityIncrement(accountID: ids["b2"]!, day: "2026-10-\($0)", counters: ActivityCounters(smtpAuths: 1))
        }
        increments.append(
            ActivityIncrement(
                accountID: ids["c2"]!, day: "2026-10-10",
                counters: ActivityCounters(messagesReceived: 7)))
        try s.recordActivity(increments)
    }

    func testTextInVietnameseAndEnglish() throws {
        let vi = try govmail(["report", "monthly", "--month", "2026-10"])
        XCTAssertEqual(vi.stderr, "")
        XCTAssertTrue(vi.stdout.hasPrefix("BÁO CÁO SỬ DỤNG THƯ ĐIỆN TỬ CÔNG VỤ — Tháng 10/2026\n"), vi.stdout)
        XCTAssertTrue(vi.stdout.contains("Tỷ lệ sử dụng thường xuyên: 40,0%"), vi.stdout)
        XCTAssertTrue(vi.stdout.contains("Cán bộ: 10 · Thường xuyên: 4 · Có sử dụng: 5 · Không sử dụng: 5"), vi.stdout)
        XCTAssertTrue(vi.stdout.contains("UBND xã Ninh Hải"))
        let en = try govmail(["report", "monthly", "--month", "2026-10", "--lang", "en", "--format", "text"])
        XCTAssertTrue(en.stdout.hasPrefix("OFFICIAL MAIL USAGE REPORT — October 2026\n"), en.stdout)
        XCTAssertTrue(en.stdout.contains("Staff: 10 · Active: 4 · Used at least once: 5 · Not used: 5"), en.stdout)
        XCTAssertTrue(en.stdout.contains("40.0%"))
    }

    func testCSVHasABOMAndTheFigures() throws {
        for lang in ["vi", "en"] {
            let r = try govmail(["report", "monthly", "--month", "2026-10", "--format", "csv", "--lang", lang])
            XCTAssertTrue(r.stdout.hasPrefix("\u{FEFF}"), lang)
            let rows = r.stdout.dropFirst().components(separatedBy: "\r\n").map { $0.components(separatedBy: ",") }
            // Rows per unit: code, name, level, parent, staff, active, used, not used, share (%), …
            let p = try XCTUnwrap(rows.first { $0.first == "P" }, lang)
            XCTAssertEqual(Array(p[4...8]), ["3", "1", "2", "1", "33.3"])
            let x1 = try XCTUnwrap(rows.first { $0.first == "X1" }, lang)
            XCTAssertEqual(Array(x1[3...8]), ["H1", "4", "1", "1", "3", "25.0"])
            let h1 = try XCTUnwrap(rows.first { $0.first == "H1" }, lang)
            XCTAssertEqual(Array(h1[4...8]), ["3", "2", "2", "1", "66.7"])
        }
    }

    func testJSONIsTheDocumentedSchemaWhateverTheLanguage() throws {
        let vi = try govmail(["report", "monthly", "--month", "2026-10", "--format", "json"])
        let en = try govmail(["report", "monthly", "--month", "2026-10", "--format", "json", "--lang", "en"])
        XCTAssertEqual(vi.stdout, en.stdout)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(vi.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["schema"] as? String, "govmail.report.monthly")
        XCTAssertEqual(doc["schema_version"] as? Int, 3)
        XCTAssertEqual(doc["month"] as? String, "2026-10")
        XCTAssertEqual(doc["generated_at"] as? String, "2026-11-10T09:00:00+07:00")
        XCTAssertEqual((doc["period"] as? [String: Any])?["partial"] as? Bool, false)
        let org = try XCTUnwrap(doc["organisation"] as? [String: Any])
        XCTAssertEqual(org["staff"] as? Int, 10)
        XCTAssertEqual(org["active"] as? Int, 4)
        XCTAssertEqual(org["share"] as? Double, 0.4)
        XCTAssertEqual(org["share_change"] as? Double, 0.4)  // September: 10 staff, nobody active
        XCTAssertEqual(org["messages_sent"] as? Int, 4)
        XCTAssertEqual(org["messages_signed"] as? Int, 2)
        XCTAssertEqual(org["messages_received"] as? Int, 7)
        XCTAssertEqual(doc["units_below_target"] as? [String], ["P", "X1"])
        let settings = try XCTUnwrap(doc["settings"] as? [String: Any])
        XCTAssertEqual(settings["minimum_unit_size"] as? Int, 3)  // from the configuration file
        let clients = try XCTUnwrap(doc["clients"] as? [[String: Any]])
        XCTAssertEqual(clients.first?["client"] as? String, "Thunderbird")
        XCTAssertEqual(clients.first?["accounts"] as? Int, 4)
    }

    func testHTMLInBothLanguages() throws {
        for (lang, title) in [("vi", "Tháng 10/2026"), ("en", "October 2026")] {
            let r = try govmail(["report", "monthly", "--month", "2026-10", "--format", "html", "--lang", lang])
            XCTAssertTrue(r.stdout.hasPrefix("<!DOCTYPE html>"), lang)
            XCTAssertTrue(r.stdout.contains(" lang=\"\(lang)\""), lang)
            XCTAssertTrue(r.stdout.contains(title), lang)
            XCTAssertTrue(r.stdout.contains("<svg"), lang)
            XCTAssertFalse(r.stdout.contains("<link") || r.stdout.contains("src="), "self-contained (\(lang))")
        }
    }

    func testUnitScopeIsCaseInsensitiveLikeTheDirectory() throws {
        let r = try govmail(["report", "monthly", "--month", "2026-10", "--unit", "h1", "--format", "json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["scope_unit_code"] as? String, "H1")
        XCTAssertEqual((doc["organisation"] as? [String: Any])?["staff"] as? Int, 7)
        XCTAssertEqual((doc["organisation"] as? [String: Any])?["active"] as? Int, 3)
    }

    func testOutWritesAFileReadableByAll() throws {
        let path = dir.file("bao-cao.csv")
        let r = try govmail(["report", "monthly", "--month", "2026-10", "--format", "csv", "--out", path])
        XCTAssertEqual(r.stdout, "wrote the monthly report for 2026-10 (csv, vi) to \(path)\n")
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(written.prefix(3)), [0xEF, 0xBB, 0xBF])
        let stdout = try govmail(["report", "monthly", "--month", "2026-10", "--format", "csv"])
        XCTAssertEqual(written, Data(stdout.stdout.utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o644)
        let bad = try govmail(
            ["report", "monthly", "--month", "2026-10", "--out", dir.file("no/such/folder.txt")], status: 1)
        XCTAssertTrue(bad.stderr.contains("check that the folder exists and is writable"), bad.stderr)
    }

    func testInactiveListsPeopleOfTheUnit() throws {
        let r = try govmail([
            "report", "inactive", "--month", "2026-10", "--unit", "X1", "--format", "csv", "--lang", "en",
        ])
        let lines = r.stdout.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 4, r.stdout)  // header + c2, c3, c4 (c1 is active)
        XCTAssertTrue(lines[1].hasPrefix("c2@tinh.gov.vn,Cán bộ c2,X1,"), lines[1])
        XCTAssertTrue(lines[3].hasPrefix("c4@tinh.gov.vn,"), lines[3])
        XCTAssertTrue(lines[0].hasSuffix(",Status now"), lines[0])
        XCTAssertTrue(lines[1].hasSuffix(",enabled"), lines[1])
        XCTAssertTrue(lines[3].hasSuffix(",disabled"), lines[3])  // c4 was disabled on 3 October
        let path = dir.file("chua-dung.csv")
        try govmail(["report", "inactive", "--month", "2026-10", "--unit", "X1", "--format", "csv", "--out", path])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600, "a list that names people is for its administrator only")
        let text = try govmail(["report", "inactive", "--month", "2026-10", "--unit", "H1"])
        XCTAssertTrue(text.stdout.contains("b3@tinh.gov.vn"))
        XCTAssertFalse(text.stdout.contains("b1@tinh.gov.vn"))
        XCTAssertFalse(text.stdout.contains("a3@tinh.gov.vn"))  // outside the unit
        let missing = try govmail(["report", "inactive", "--month", "2026-10"], status: 64)
        XCTAssertTrue(missing.stderr.contains("--unit"), missing.stderr)
    }

    func testBadMonthFutureMonthAndUnknownUnitSayWhatToDo() throws {
        let bad = try govmail(["report", "monthly", "--month", "2026-13"], status: 64)
        XCTAssertEqual(bad.stdout, "")
        XCTAssertEqual(bad.stderr, "govmail: \"2026-13\" is not a month; write it as YYYY-MM, e.g. 2026-10\n")
        let words = try govmail(["report", "monthly", "--month", "October"], status: 64)
        XCTAssertTrue(words.stderr.contains("YYYY-MM"))
        let future = try govmail(["report", "monthly", "--month", "9999-12"], status: 64)
        XCTAssertTrue(future.stderr.contains("has not started yet; the last complete month is"), future.stderr)
        let unit = try govmail(["report", "monthly", "--month", "2026-10", "--unit", "NOPE"], status: 65)
        XCTAssertEqual(unit.stderr, "govmail: no unit has the code NOPE; run `govmail unit list` to see the codes\n")
        let inactive = try govmail(["report", "inactive", "--unit", "NOPE"], status: 65)
        XCTAssertTrue(inactive.stderr.contains("govmail unit list"))
        let format = try govmail(["report", "monthly", "--format", "pdf"], status: 64)
        XCTAssertTrue(format.stderr.contains("text"), format.stderr)
    }

    func testDefaultMonthIsTheLastCompleteOne() throws {
        let r = try govmail(["report", "monthly", "--format", "json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["month"] as? String, "2026-10")
        // Without SOURCE_DATE_EPOCH the machine's clock decides.
        unsetenv("SOURCE_DATE_EPOCH")
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let expected = ReportMonth.lastComplete(now: Date().timeIntervalSince1970, timeZone: zone)
        let now = try govmail(["report", "monthly", "--format", "json"])
        let nowDoc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(now.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(nowDoc["month"] as? String, expected.description)
        setenv("SOURCE_DATE_EPOCH", "x", 1)
        let bad = try govmail(["report", "monthly"], status: 64)
        XCTAssertTrue(bad.stderr.contains("SOURCE_DATE_EPOCH must be whole seconds"), bad.stderr)
    }

    func testCurrentMonthIsMarkedPartialInsideTheReport() throws {
        setenv("SOURCE_DATE_EPOCH", "1793167200", 1)  // 2026-10-28 13:00: October is still running
        let r = try govmail(["report", "monthly", "--month", "2026-10"])
        XCTAssertTrue(r.stdout.contains("THÁNG CHƯA KẾT THÚC"), r.stdout)
        XCTAssertTrue(r.stdout.contains("28/10/2026"), r.stdout)
        XCTAssertTrue(r.stderr.contains("partial"), r.stderr)
    }

    func testRetentionRemovesOldDailyRowsBeforeReporting() throws {
        try "passwords:\n  min_length: 10\n  scrypt_log_n: 10\nanalytics:\n  retention_months: 1\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        try store().recordActivity([
            ActivityIncrement(accountID: 1, day: "2020-01-15", counters: ActivityCounters(imapLogins: 1))
        ])
        let r = try govmail(["report", "monthly", "--month", "2026-10", "--format", "json"])
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let firstKept = ActivityRetention.firstKeptDay(
            now: Date().timeIntervalSince1970, timeZone: zone, retentionMonths: 1)
        XCTAssertTrue(r.stderr.contains("daily counter rows"), r.stderr)
        XCTAssertEqual(
            try store().activity(from: "2000-01-01", through: "9999-12-31").filter { $0.day < firstKept }, [])
    }

    func testPastActivityFromAnotherSystemKeepsTheTrend() throws {
        // March 2025, before GovMail: a1 and b1 used mail on 4 days, c1 on 1, a2 not at all (a row of
        // zeros says they were staff). Their GovMail accounts were only created in September 2026.
        var rows = ["email;day;imap_logins;messages_sent"]
        for (name, days) in [("a1", 4), ("b1", 4), ("c1", 1)] {
            rows += (1...days).map { "\(name)@tinh.gov.vn;2025-03-0\($0);1;\($0 % 2)" }
        }
        rows.append("a2@tinh.gov.vn;2025-03-10;0;0")
        let path = dir.file("lich-su.csv")
        try rows.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let dry = try govmail(["report", "import-activity", path, "--existed-from", "2025-01-01", "--dry-run"])
        XCTAssertTrue(dry.stdout.contains("dry run: 10 day(s) of counters for 4 account(s)"), dry.stdout)
        try govmail(["report", "import-activity", path, "--existed-from", "2025-01-01"])
        let r = try govmail(["report", "monthly", "--month", "2025-03", "--format", "json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let org = try XCTUnwrap(doc["organisation"] as? [String: Any])
        XCTAssertEqual(org["staff"] as? Int, 4)
        XCTAssertEqual(org["active"] as? Int, 2)
        XCTAssertEqual(org["messages_sent"] as? Int, 5)  // a1 2 + b1 2 + c1 1
        // Run again: refused, nothing counted twice.
        let again = try govmail(["report", "import-activity", path], status: 65)
        XCTAssertTrue(again.stderr.contains("already has counters"), again.stderr)
        XCTAssertTrue(again.stderr.contains("nothing was imported"), again.stderr)
    }

    func testQuarterAndYearReports() throws {
        let r = try govmail(["report", "period", "--quarter", "2026-Q4", "--format", "json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(doc["period"] as? String, "2026-Q4")
        XCTAssertEqual(doc["partial"] as? Bool, true)  // made on 10 November
        let org = try XCTUnwrap(doc["organisation"] as? [String: Any])
        let october = try XCTUnwrap((org["by_month"] as? [[String: Any]])?.first)
        XCTAssertEqual([october["staff"] as? Int, october["active"] as? Int], [10, 4])
        let text = try govmail(["report", "period", "--year", "2026", "--lang", "vi"])
        XCTAssertTrue(text.stdout.contains("NĂM 2026 (CHƯA ĐẦY ĐỦ)"), text.stdout)
        try govmail(["report", "period"], status: 64)
        try govmail(["report", "period", "--quarter", "2026-Q4", "--year", "2026"], status: 64)
        let bad = try govmail(["report", "period", "--quarter", "2026-Q9"], status: 64)
        XCTAssertTrue(bad.stderr.contains("YYYY-Qn"), bad.stderr)
    }

    /// The MIME parts of a delivered message, base64 decoded (a reader independent of the composer).
    func parts(_ message: String) -> [(headers: String, body: String)] {
        guard let boundaryStart = message.range(of: "boundary=\"") else { return [] }
        let boundary = String(message[boundaryStart.upperBound...].prefix { $0 != "\"" })
        return message.components(separatedBy: "--\(boundary)").dropFirst().dropLast().map { chunk in
            let split = chunk.components(separatedBy: "\r\n\r\n")
            let body = Data(base64Encoded: split.dropFirst().joined().replacingOccurrences(of: "\r\n", with: ""))
            return (split[0], body.map { String(decoding: $0, as: UTF8.self) } ?? "")
        }
    }

    func inbox(_ local: String) throws -> [String] {
        let dir = state + "/mail/tinh.gov.vn/\(local)/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return try names.sorted().map { try String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }
    }

    func testSendMailsTheReportToLeadersAndEachAdministratorOnlyTheirList() throws {
        let args = [
            "report", "send", "--month", "2026-10", "--from", "baocao@tinh.gov.vn", "--to", "a1@tinh.gov.vn",
            "--unit-admin", "X1=c1@tinh.gov.vn",
        ]
        let dry = try govmail(args + ["--dry-run"])
        XCTAssertTrue(dry.stdout.contains("would send the monthly report to a1@tinh.gov.vn (INBOX"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("would send the inactive list of X1 to c1@tinh.gov.vn"), dry.stdout)
        XCTAssertEqual(try inbox("a1"), [])
        try govmail(args)
        let leader = try inbox("a1"), admin = try inbox("c1")
        XCTAssertEqual([leader.count, admin.count], [1, 1])
        XCTAssertTrue(leader[0].contains("Subject: =?UTF-8?B?"), leader[0])
        XCTAssertTrue(leader[0].contains("Auto-Submitted: auto-generated"))
        let report = parts(leader[0])
        XCTAssertEqual(report.count, 2)
        XCTAssertTrue(report[0].headers.contains("text/html"))
        XCTAssertTrue(report[0].body.contains("Tháng 10/2026"), "the HTML report is the body")
        XCTAssertTrue(report[1].headers.contains("filename=\"bao-cao-2026-10.csv\""))
        XCTAssertTrue(report[1].body.contains("Báo cáo sử dụng thư điện tử công vụ"))
        XCTAssertFalse(leader[0].contains("chua-su-dung"), "leaders do not get lists of people")
        let list = parts(admin[0])
        XCTAssertTrue(list[1].headers.contains("chua-su-dung-X1-2026-10.csv"))
        XCTAssertTrue(list[1].body.contains("c2@tinh.gov.vn"), list[1].body)
        XCTAssertFalse(list[1].body.contains("b3@tinh.gov.vn"), "only the administrator's own unit")
        // No relay configured: a remote leader is refused before anything is sent.
        let remote = try govmail(
            [
                "report", "send", "--month", "2026-10", "--from", "baocao@tinh.gov.vn", "--to", "a1@tinh.gov.vn",
                "--to", "leader@example.org",
            ], status: 65)
        XCTAssertTrue(remote.stderr.contains("smtp.relay.host"), remote.stderr)
        XCTAssertEqual(try inbox("a1").count, 1)
    }
}
