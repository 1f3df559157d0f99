import Foundation
import GovMailServer
import GovMailTestSupport
import MailCore
import Relay
import XCTest

/// `govmail queue list|retry|delete` on a populated spool, through the built binary.
final class QueueCommandTests: CLITestCase {
    private var spool: RelayQueue { RelayQueue(stateDir: state) }
    private let message = Array("From: an@so.gov.vn\r\nSubject: Báo cáo\r\n\r\nNội dung mật\r\n".utf8)

    @discardableResult
    private func enqueue(_ recipients: [String], now: Double = Date().timeIntervalSince1970 - 7200) throws
        -> RelayQueueItem
    {
        try spool.enqueue(
            sender: try EmailAddress("an@so.gov.vn"), recipients: try recipients.map(EmailAddress.init),
            message: message, accountID: 1, now: now)
    }

    func testListEmpty() throws {
        XCTAssertEqual(try govmail(["queue", "list"]).stdout, "the relay queue is empty\n")
        XCTAssertEqual(try govmail(["queue", "list", "--json"]).stdout, "[\n\n]\n")
    }

    func testListShowsRecipientsStateLastResultAttemptsAgeAndSize() throws {
        var item = try enqueue(["b@example.com", "c@example.com"])
        item.recipients[0].state = .delivered
        item.recipients[0].lastResult = "250 2.0.0 Ok"
        item.recipients[1].lastResult = "451 4.3.0 Busy"
        item.attempts = 2
        item.nextAttemptAt = Date().timeIntervalSince1970 + 3600
        try spool.update(item)
        let out = try govmail(["queue", "list"]).stdout
        let lines = out.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("ID"))
        XCTAssertEqual(lines.count, 4)
        XCTAssertTrue(
            lines[2].contains(item.id) && lines[2].contains("b@example.com") && lines[2].contains("delivered")
                && lines[2].contains("250 2.0.0 Ok"), lines[2])
        XCTAssertTrue(
            lines[3].contains("c@example.com") && lines[3].contains("pending") && lines[3].contains("451 4.3.0 Busy")
                && lines[3].contains("2h 0m") && lines[3].contains(" in 59m")
                && lines[3].contains(" \(message.count) "), lines[3])
        XCTAssertFalse(out.contains("Nội dung"), "never message text")

        let json =
            try JSONSerialization.jsonObject(with: Data(try govmail(["queue", "list", "--json"]).stdout.utf8))
            as? [[String: Any]]
        let first = try XCTUnwrap(json?.first)
        XCTAssertEqual(first["id"] as? String, item.id)
        XCTAssertEqual(first["sender"] as? String, "an@so.gov.vn")
        XCTAssertEqual(first["attempts"] as? Int, 2)
        XCTAssertEqual(first["size"] as? Int, message.count)
        XCTAssertEqual((first["ageSeconds"] as? Int).map { $0 >= 7200 }, true)
        let recipients = try XCTUnwrap(first["recipients"] as? [[String: Any]])
        XCTAssertEqual(recipients.map { $0["state"] as? String }, ["delivered", "pending"])
        XCTAssertEqual(recipients[1]["lastResult"] as? String, "451 4.3.0 Busy")
        XCTAssertNotNil(first["nextAttempt"] as? String)
    }

    func testRetryMakesItemsDueNow() throws {
        var a = try enqueue(["b@example.com"])
        a.nextAttemptAt = Date().timeIntervalSince1970 + 86_400
        try spool.update(a)
        var b = try enqueue(["c@example.com"])
        b.nextAttemptAt = Date().timeIntervalSince1970 + 86_400
        try spool.update(b)
        let before = Date().timeIntervalSince1970
        let one = try govmail(["queue", "retry", a.id]).stdout
        XCTAssertTrue(one.contains("\(a.id) is due now"))
        XCTAssertLessThanOrEqual(try spool.load(a.id).nextAttemptAt, Date().timeIntervalSince1970)
        XCTAssertGreaterThan(try spool.load(b.id).nextAttemptAt, before + 3600, "only the named item")
        try govmail(["queue", "retry", "--all"])
        XCTAssertLessThanOrEqual(try spool.load(b.id).nextAttemptAt, Date().timeIntervalSince1970)
    }

    func testRetryNeedsExactlyOneOfIdOrAll() throws {
        XCTAssertTrue(try govmail(["queue", "retry"], status: 64).stderr.contains("govmail queue retry --all"))
        try govmail(["queue", "retry", "abc", "--all"], status: 64)
    }

    func testUnknownIdSaysWhatToDo() throws {
        let r = try govmail(["queue", "retry", "0123-abcd"], status: 65)
        XCTAssertTrue(r.stderr.contains("no queued message has the id 0123-abcd; see `govmail queue list`"), r.stderr)
        try govmail(["queue", "delete", "../../etc/passwd"], status: 65)
    }

    func testDeletePrintsWhatWasRemoved() throws {
        let item = try enqueue(["b@example.com", "c@example.com"])
        let keep = try enqueue(["d@example.com"])
        let out = try govmail(["queue", "delete", item.id]).stdout
        XCTAssertTrue(
            out.contains(
                "removed \(item.id): from <an@so.gov.vn> to b@example.com, c@example.com, \(message.count) bytes"), out)
        XCTAssertTrue(out.contains("not sent to: b@example.com, c@example.com (no bounce was sent)"), out)
        XCTAssertEqual(try spool.list().map(\.id), [keep.id])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(spool.directory)/messages/\(item.id).eml"))
    }
}
