import XCTest
import MailCore
@testable import IMAPProtocol

final class SelectedMailboxViewTests: XCTestCase {
    func view(_ uids: [UInt32], recent: Set<UID> = []) -> SelectedMailboxView {
        SelectedMailboxView(messages: uids.map { (UID($0), Set<Flag>()) }, recent: recent)
    }

    func testSequenceNumbersMapToUIDs() {
        let v = view([3, 7, 9, 20])
        XCTAssertEqual(v.uid(atSequence: 1), 3)
        XCTAssertEqual(v.uid(atSequence: 4), 20)
        XCTAssertNil(v.uid(atSequence: 5))
        XCTAssertNil(v.uid(atSequence: 0))
        XCTAssertEqual(v.sequenceNumber(of: 9), 3)
        XCTAssertNil(v.sequenceNumber(of: 8))
    }

    func testResolveSequenceAndUIDSets() throws {
        let v = view([3, 7, 9, 20])
        func seqs(_ s: String, uid: Bool) throws -> [Int] {
            var c = IMAPCursor(Array(s.utf8), limits: IMAPLimits())
            return try v.resolve(try c.sequenceSet(), byUID: uid).map(\.0)
        }
        XCTAssertEqual(try seqs("1:*", uid: false), [1, 2, 3, 4])
        XCTAssertEqual(try seqs("*:3", uid: false), [3, 4])
        XCTAssertEqual(try seqs("2,4", uid: false), [2, 4])
        XCTAssertThrowsError(try seqs("5", uid: false))
        XCTAssertEqual(try seqs("7:9", uid: true), [2, 3])
        XCTAssertEqual(try seqs("8", uid: true), [])
        // n:* with n above the highest UID still names the highest (RFC 3501 §6.4.8).
        XCTAssertEqual(try seqs("100:*", uid: true), [4])
        XCTAssertEqual(try view([]).resolve(SequenceSet([.init(.number(1), .last)]), byUID: false).count, 0)
    }

    func testExpungesGoOutDescendingAndRenumber() {
        var v = view([1, 2, 3, 4, 5, 6])
        v.apply(MailboxChange(expunged: [2, 5, 6]))
        XCTAssertEqual(v.drain(allowExpunge: false), [])
        XCTAssertEqual(v.count, 6, "numbers do not move while expunges are held")
        XCTAssertTrue(v.isExpungePending(5))
        XCTAssertEqual(v.drain(allowExpunge: true), [.expunge(6), .expunge(5), .expunge(2)])
        XCTAssertEqual(v.uids, [1, 3, 4])
        XCTAssertEqual(v.sequenceNumber(of: 4), 3)
        XCTAssertEqual(v.drain(allowExpunge: true), [])
    }

    func testNewMessagesAnnouncedWithExistsAndRecent() {
        var v = view([1, 2])
        v.apply(
            MailboxChange(added: [
                AddedMessage(uid: 3, flags: [], isRecent: true), AddedMessage(uid: 4, flags: [.seen]),
            ]))
        XCTAssertEqual(v.count, 2, "new messages are not visible before EXISTS is sent")
        XCTAssertEqual(v.drain(allowExpunge: false), [.exists(4), .recent(1)])
        XCTAssertEqual(v.fetchFlags(of: 3), [.recent])
        XCTAssertEqual(v.fetchFlags(of: 4), [.seen])
    }

    func testExistsWhileExpungeHeldCountsTheHeldMessages() {
        var v = view([1, 2, 3])
        v.apply(MailboxChange(added: [AddedMessage(uid: 4, flags: [])], expunged: [2]))
        XCTAssertEqual(v.drain(allowExpunge: false), [.exists(4)])
        XCTAssertEqual(v.drain(allowExpunge: true), [.expunge(2)])
        XCTAssertEqual(v.uids, [1, 3, 4])
    }

    func testExpungeAndAddInOneChangeInOrder() {
        var v = view([1, 2, 3])
        v.apply(MailboxChange(added: [AddedMessage(uid: 4, flags: [])], expunged: [1, 3]))
        XCTAssertEqual(v.drain(allowExpunge: true), [.expunge(3), .expunge(1), .exists(2)])
        XCTAssertEqual(v.uids, [2, 4])
    }

    func testMessageAddedAndExpungedBeforeAnnouncementIsNeverShown() {
        var v = view([1])
        v.apply(MailboxChange(added: [AddedMessage(uid: 2, flags: [])]))
        v.apply(MailboxChange(expunged: [2]))
        XCTAssertEqual(v.drain(allowExpunge: true), [])
        XCTAssertEqual(v.uids, [1])
    }

    func testOldOrDuplicateUIDsAreIgnored() {
        var v = view([5, 9])
        v.apply(
            MailboxChange(added: [
                AddedMessage(uid: 7, flags: []), AddedMessage(uid: 9, flags: []), AddedMessage(uid: 10, flags: []),
            ]))
        XCTAssertEqual(v.drain(allowExpunge: true), [.exists(3)])
        XCTAssertEqual(v.uids, [5, 9, 10])
        v.apply(MailboxChange(expunged: [77]))
        XCTAssertFalse(v.hasPendingUpdates)
    }

    func testFlagChangesByOthers() {
        var v = view([1, 2, 3], recent: [3])
        v.apply(MailboxChange(flagChanges: [3: [.seen], 1: [.flagged], 2: []]))
        XCTAssertEqual(
            v.drain(allowExpunge: false), [.fetch(1, [.flags([.flagged])]), .fetch(3, [.flags([.seen, .recent])])])
        // A flag change of a message whose expunge is pending is not sent.
        v.apply(MailboxChange(expunged: [1]))
        v.apply(MailboxChange(flagChanges: [1: [.seen]]))
        XCTAssertEqual(v.drain(allowExpunge: false), [])
        // The session's own STORE result replaces a pending change (no duplicate FETCH).
        v.apply(MailboxChange(flagChanges: [2: [.answered]]))
        v.setFlags([.answered, .seen], for: 2)
        XCTAssertEqual(v.drain(allowExpunge: true), [.expunge(1)])
        XCTAssertEqual(v.flags(of: 2), [.answered, .seen])
    }

    func testFlagNumbersAfterExpungeUseNewNumbers() {
        var v = view([1, 2, 3])
        v.apply(MailboxChange(expunged: [1], flagChanges: [3: [.deleted]]))
        XCTAssertEqual(v.drain(allowExpunge: true), [.expunge(1), .fetch(2, [.flags([.deleted])])])
    }

    func testRecentIsDroppedWithExpungeAndKeywordsListed() {
        var v = SelectedMailboxView(
            messages: [(1, [.keyword("$Work")]), (2, [.seen, .keyword("NonJunk")])], recent: [1, 99])
        XCTAssertEqual(v.recentCount, 1)
        XCTAssertEqual(v.keywords, [.keyword("$Work"), .keyword("NonJunk")])
        v.apply(MailboxChange(expunged: [1]))
        _ = v.drain(allowExpunge: true)
        XCTAssertEqual(v.recentCount, 0)
    }
}

final class SearchEvaluatorTests: XCTestCase {
    struct Msg: SearchableMessage {
        var uid: UID = 1
        var internalDate: Int64 = 1_790_000_000
        var sentDate: IMAPDate? = IMAPDate(year: 2026, month: 9, day: 21)
        var size = 500
        var headers: [String: [String]] = [:]
        var body = ""
        func headerValues(_ name: String) -> [String] { headers[name.lowercased()] ?? [] }
        var headerText: String { headers.values.flatMap { $0 }.joined(separator: "\n") }
        var bodyText: String { body }
    }

    let ctx = SearchContext(
        sequenceNumber: 2, flags: [.seen, .keyword("$Work")], isRecent: false,
        largestSequenceNumber: 5, largestUID: 40, zoneOffsetSeconds: 7 * 3600)

    func m(_ key: SearchKey, _ msg: Msg = Msg()) -> Bool {
        SearchEvaluator.matches(key, message: msg, uid: msg.uid, context: ctx)
    }

    func testVietnameseCaseInsensitiveDiacriticsSensitive() {
        let msg = Msg(
            headers: ["subject": ["Công văn về việc Đăng ký"], "from": ["Nguyễn Thị Hằng <hang@so.gov.vn>"]],
            body: "KÍNH GỬI các đơn vị trực thuộc")
        XCTAssertTrue(m(.subject("CÔNG VĂN"), msg))
        XCTAssertTrue(m(.subject("đăng KÝ"), msg))
        XCTAssertTrue(m(.from("hằng"), msg))
        XCTAssertTrue(m(.body("kính gửi"), msg))
        XCTAssertTrue(m(.text("trực thuộc"), msg))
        XCTAssertTrue(m(.text("nguyễn"), msg))
        XCTAssertFalse(m(.subject("cong van"), msg), "diacritics are significant")
        XCTAssertFalse(m(.body("ho so"), msg))
        // Decomposed input (e.g. from a macOS client) matches precomposed text.
        XCTAssertTrue(m(.subject("co\u{0302}ng"), msg))
        XCTAssertTrue(SearchEvaluator.contains("abc", ""))
        XCTAssertFalse(SearchEvaluator.contains("ab", "abc"))
        // Decomposed text (old "Unicode tổ hợp" mail) is found by a precomposed needle, and back.
        XCTAssertTrue(SearchEvaluator.contains("Co\u{0302}ng va\u{0306}n đe\u{0302}\u{0300}n", "CÔNG VĂN ĐỀN"))
        XCTAssertFalse(SearchEvaluator.contains("Co\u{0302}ng va\u{0306}n", "cong"), "a base letter is not the accented one")
        XCTAssertFalse(SearchEvaluator.contains("đề nghị", "de"))
        // Needles whose prefix recurs (the worst case of a naive scan) are still found exactly.
        XCTAssertTrue(SearchEvaluator.contains(String(repeating: "a", count: 5000) + "ab", String(repeating: "a", count: 300) + "b"))
        XCTAssertFalse(SearchEvaluator.contains(String(repeating: "a", count: 5000), String(repeating: "a", count: 300) + "b"))
    }

    func testFlagsSizeDatesUIDAndSequence() {
        XCTAssertTrue(m(.seen))
        XCTAssertFalse(m(.unseen))
        XCTAssertTrue(m(.old))
        XCTAssertFalse(m(.new))
        XCTAssertTrue(m(.keyword("$work")))
        XCTAssertTrue(m(.unkeyword("$Junk")))
        XCTAssertTrue(m(.undeleted) && m(.unflagged) && m(.unanswered) && m(.undraft))
        XCTAssertTrue(m(.larger(499)))
        XCTAssertFalse(m(.larger(500)))
        XCTAssertTrue(m(.smaller(501)))
        // 1_790_000_000 is 21 Sep 2026 20:53 in Vietnam.
        XCTAssertTrue(m(.on(IMAPDate(year: 2026, month: 9, day: 21))))
        XCTAssertTrue(m(.since(IMAPDate(year: 2026, month: 9, day: 21))))
        XCTAssertFalse(m(.before(IMAPDate(year: 2026, month: 9, day: 21))))
        XCTAssertTrue(m(.before(IMAPDate(year: 2026, month: 9, day: 22))))
        XCTAssertTrue(m(.sentOn(IMAPDate(year: 2026, month: 9, day: 21))))
        XCTAssertFalse(m(.sentSince(IMAPDate(year: 2026, month: 9, day: 22))))
        XCTAssertFalse(m(.sentBefore(IMAPDate(year: 2026, month: 1, day: 1)), Msg(sentDate: nil)))
        XCTAssertTrue(m(.uid(SequenceSet([.init(.number(40), .last)])), Msg(uid: 40)))
        XCTAssertTrue(m(.sequence(SequenceSet([.init(.number(2), .number(2))]))))
        XCTAssertFalse(m(.sequence(SequenceSet([.init(.last, .last)]))))
        XCTAssertTrue(m(.or(.unseen, .not(.deleted))))
        XCTAssertFalse(m(.and([.seen, .deleted])))
        XCTAssertTrue(m(.header("X-Missing", "")) == false)
    }

    func testNeedsMessageData() {
        XCTAssertFalse(SearchEvaluator.needsMessageData(.and([.seen, .not(.uid(SequenceSet(numbers: [1])))])))
        XCTAssertTrue(SearchEvaluator.needsMessageData(.or(.seen, .larger(3))))
        XCTAssertTrue(SearchEvaluator.needsMessageData(.not(.subject("x"))))
    }
}
