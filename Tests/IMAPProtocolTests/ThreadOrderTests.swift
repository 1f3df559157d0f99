import MailCore
import XCTest
@testable import IMAPProtocol

/// THREAD=REFERENCES (RFC 5256 §2.2) on hand-made headers: replies, a missing parent shared by two
/// messages (a dummy), a parent missing for one (promoted), no References (joined by subject), broken
/// ids, a reference loop, and a repeated Message-ID.
final class ThreadOrderTests: XCTestCase {
    final class FakeMessage: SearchableMessage, @unchecked Sendable {
        let uid: UID
        let internalDate: Int64
        let sentDate: IMAPDate? = nil
        let size = 100
        let headers: [String: String]
        init(_ n: UInt32, _ headers: [String: String]) {
            uid = UID(n)
            internalDate = 1_790_000_000 + Int64(n) * 60
            self.headers = headers
        }
        func headerValues(_ name: String) -> [String] { headers[name].map { [$0] } ?? [] }
        var headerText: String { "" }
        var bodyText: String { "" }
    }

    func thread(_ messages: [FakeMessage]) -> String {
        let rows = messages.map { m in
            (seq: Int(m.uid.value), id: m.uid.value, values: MessageSortValues(m), headers: ThreadHeaders(m))
        }
        return IMAPResponse.thread(ThreadOrder.references(rows)).description.trimmingCharacters(in: .newlines)
    }

    func testReferencesTable() {
        let m: [FakeMessage] = [
            FakeMessage(1, ["Message-ID": "<a@x>", "Subject": "Lịch họp"]),
            FakeMessage(2, ["Message-ID": "<b@x>", "Subject": "Re: Lịch họp", "In-Reply-To": "<a@x>"]),
            FakeMessage(3, ["Message-ID": "<c@x>", "Subject": "RE: lịch họp", "References": "<a@x> <b@x>"]),
            FakeMessage(4, ["Message-ID": "<d@x>", "Subject": "Công văn", "References": "<gone@x>"]),
            FakeMessage(5, ["Message-ID": "<e@x>", "Subject": "Re: Công văn", "References": "<gone@x>"]),
            FakeMessage(6, ["Message-ID": "<f@x>", "Subject": "Re: Lịch họp"]),
            FakeMessage(7, ["Message-ID": "<g@x>", "Subject": "[PATCH] Kế hoạch", "References": "<<<broken"]),
            FakeMessage(8, ["Message-ID": "<h@x>", "Subject": "Vòng", "References": "<i@x>"]),
            FakeMessage(9, ["Message-ID": "<i@x>", "Subject": "Re: Vòng", "References": "<h@x>"]),
            FakeMessage(10, ["Message-ID": "<a@x>", "Subject": "Lịch họp"]),
            FakeMessage(11, ["Subject": "Báo cáo", "References": "<j@x>"]),
        ]
        XCTAssertEqual(thread(m), "* THREAD ((1 (2 3)(6))(10))((4)(5))(7)(9 8)(11)")
    }

    func testOneMessageAndNone() {
        XCTAssertEqual(thread([FakeMessage(4, ["Subject": "x"])]), "* THREAD (4)")
        XCTAssertEqual(thread([]), "* THREAD")
    }
}
