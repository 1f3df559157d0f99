import AccountStore
import MailCore
import Provisioning
import XCTest

/// Past usage from the system GovMail replaces: all or nothing, every bad row listed, never counted twice.
final class ActivityImportTests: ProvisioningTestCase {
    var ids: [String: Int64] = [:]

    override func setUpWithError() throws {
        try super.setUpWithError()
        let unit = try XCTUnwrap(try store.unit(code: "H-A"))
        for name in ["an", "binh", "cuong"] {
            ids[name] = try store.createAccount(
                NewAccount(address: address("\(name)@tinh.gov.vn"), displayName: name, unitID: unit.id, quota: 0)
            ).id
        }
        try store.deleteAccount(address("cuong@tinh.gov.vn"))
    }

    func run(_ text: String, dryRun: Bool = false, existedFrom: Int64? = nil) throws -> ActivityImport.Outcome {
        try ActivityImport(store: store).run(
            Array(text.utf8), today: "2026-12-04", dryRun: dryRun, existedFrom: existedFrom)
    }

    func problems(_ text: String) -> [String] {
        do { _ = try run(text); return [] } catch let e as ActivityImport.Problems {
            return e.problems.map(\.description)
        } catch { return ["\(error)"] }
    }

    let good = """
        email;day;imap_logins;smtp_auths;messages_sent;messages_received
        an@tinh.gov.vn;2025-03-03;2;0;1;4
        an@tinh.gov.vn;2025-03-04;1;;;
        CUONG@tinh.gov.vn;2025-03-05;0;1;0;0

        """

    func testGoodFileIsRecordedOnceWithItsCounters() throws {
        let dry = try run(good, dryRun: true)
        XCTAssertEqual([dry.days, dry.accounts], [3, 2])
        XCTAssertFalse(dry.applied)
        XCTAssertEqual(try store.activity(from: "2025-01-01", through: "2025-12-31").count, 0)
        let outcome = try run(good)
        XCTAssertTrue(outcome.applied)
        XCTAssertEqual([outcome.firstDay, outcome.lastDay], ["2025-03-03", "2025-03-05"])
        let rows = try store.activity(from: "2025-01-01", through: "2025-12-31")
        XCTAssertEqual(rows.map(\.day), ["2025-03-03", "2025-03-04", "2025-03-05"])
        XCTAssertEqual(rows[0].counters.imapLogins, 2)
        XCTAssertEqual(rows[0].counters.messagesSent, 1)
        XCTAssertEqual(rows[0].counters.messagesReceived, 4)
        XCTAssertEqual(rows[2].accountID, ids["cuong"])  // a deleted account keeps its past
        // The same file again would count the days twice: refused, nothing changes.
        XCTAssertEqual(
            problems(good),
            (2...4).map {
                "row \($0): GovMail already has counters for this account on \(["2025-03-03", "2025-03-04", "2025-03-05"][$0 - 2]); an import only fills days without data"
            })
        XCTAssertEqual(try store.activity(from: "2025-01-01", through: "2025-12-31").count, 3)
    }

    func testEveryBadRowIsListedAndNothingIsImported() throws {
        let bad = """
            email,day,imap_logins,colour
            an@tinh.gov.vn,2025-03-03,1,x
            nobody@tinh.gov.vn,2025-03-03,1,x
            an@tinh.gov.vn,2025-13-01,1,x
            an@tinh.gov.vn,2026-12-04,1,x
            binh@tinh.gov.vn,2025-03-03,-1,x
            an@tinh.gov.vn,2025-03-03,1,x
            """
        XCTAssertEqual(
            problems(bad),
            [
                "row 1: unknown column \"colour\"; use imap_logins, smtp_auths, messages_sent, messages_received, sent_internal_recipients, sent_external_recipients, messages_signed",
                "row 3: there is no account nobody@tinh.gov.vn; create it first (govmail account add or import)",
                "row 4: the day \"2025-13-01\" is not a date; write it as YYYY-MM-DD",
                "row 5: the day 2026-12-04 is not in the past; only days before 2026-12-04 can be imported",
                "row 6: imap_logins \"-1\" is not a whole number of 0 or more",
                "row 7: an@tinh.gov.vn on 2025-03-03 is already on row 2; keep one row per account and day",
            ])
        XCTAssertEqual(try store.activity(from: "2000-01-01", through: "2099-12-31").count, 0)
    }

    func testExistedFromMovesTheStartOfHistoryBackButNeverForward() throws {
        let created = try XCTUnwrap(try store.history(accountID: ids["an"]!).first)
        try run(good, existedFrom: 1_735_664_400)  // 2025-01-01 00:00 in Asia/Ho_Chi_Minh
        XCTAssertEqual(try store.history(accountID: ids["an"]!).first?.at, 1_735_664_400)
        XCTAssertEqual(try store.history(accountID: ids["binh"]!).first?.at, created.at)  // not in the file
        XCTAssertEqual(try store.backdateCreation(accountIDs: [ids["an"]!], to: 1_800_000_000), 0)
    }
}
