import GovMailTestSupport
import MailCore
import MessageFormat
import XCTest

@testable import IMAPProtocol

/// A whole session whose `.fetch` and `.searchData` requests are answered by the bridge, as the
/// server composition will do, with a metadata cache keyed by UID.
final class BridgeSessionTests: XCTestCase {
    typealias F = BridgeFixtures

    /// A folder of stored messages and the per-message metadata cache the composition would keep.
    final class BridgeStore {
        struct Stored {
            var uid: UID
            var flags: Set<Flag>
            var internalDate: Int64
            var bytes: [UInt8]
        }
        var messages: [Stored] = []
        var cache: [UID: IMAPMessageMetadata] = [:]
        var fileReads = 0

        func answer(_ request: IMAPRequest) -> IMAPEvent {
            switch request {
            case .authenticate: return .authenticated(.success(account: "alice"))
            case .select:
                return .selected(
                    SelectedMailboxState(
                        uidValidity: 1, uidNext: UID(UInt32(messages.count + 1)),
                        messages: messages.map { MessageFlags($0.uid, $0.flags) }))
            case .fetch(let uids, let attributes, let markSeen):
                var out: [FetchedMessage] = []
                for uid in uids {
                    guard let i = messages.firstIndex(where: { $0.uid == uid }) else { continue }
                    var updated: Set<Flag>?
                    if markSeen.contains(uid) && !messages[i].flags.contains(.seen) {
                        messages[i].flags.insert(.seen)
                        updated = messages[i].flags
                    }
                    let m = messages[i]
                    let r = FetchResponder.respond(
                        uid: uid, internalDate: IMAPDateTime(epochSeconds: m.internalDate, zoneMinutes: 420),
                        attributes: attributes, cached: cache[uid], updatedFlags: updated,
                        readStoredBytes: {
                            fileReads += 1; return m.bytes
                        })
                    if r.metadataIsNew { cache[uid] = r.metadata }
                    out.append(r.message)
                }
                return .fetched(out)
            case .searchData(let uids):
                return .searchData(
                    messages.filter { uids.contains($0.uid) }.map {
                        fileReads += 1
                        return MessageSearchAdapter(
                            uid: $0.uid, internalDate: $0.internalDate,
                            content: IMAPMessageContent(storedBytes: $0.bytes, cached: cache[$0.uid]))
                    })
            case .checkMailbox: return .mailboxChanged(MailboxChange())
            case .closeMailbox: return .done
            default: return .failed(.unavailable)
            }
        }
    }

    var store = BridgeStore()
    var session = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: 0)
    var output: [UInt8] = []

    func run(_ actions: [IMAPAction]) {
        var queue = actions
        while !queue.isEmpty {
            switch queue.removeFirst() {
            case .send(let r): output += r.bytes()
            case .request(let r): queue += session.handle(store.answer(r), now: 0)
            default: break
            }
        }
    }

    /// Sends one command line and returns everything the server wrote in answer.
    func exchange(_ line: String) -> String {
        output = []
        run(session.receive(Array((line + "\r\n").utf8), now: 0))
        return F.text(output)
    }

    override func setUp() {
        let bare = Array(F.text(F.signed).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        store.messages = [
            .init(uid: UID(1), flags: [.seen], internalDate: 1_795_000_000, bytes: F.vietnamese),
            .init(uid: UID(2), flags: [], internalDate: 1_795_000_060, bytes: bare),
            .init(uid: UID(3), flags: [], internalDate: 1_795_000_120, bytes: F.forwarded),
        ]
        run(session.start())
        _ = exchange("a1 LOGIN alice secret")
        _ = exchange("a2 SELECT INBOX")
    }

    func testHeaderListingIsServedFromTheCacheOnTheSecondRun() {
        let command = "a3 UID FETCH 1:* (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (From Subject)])"
        let first = exchange(command)
        XCTAssertEqual(store.fileReads, 3)
        let signedSize = F.signed.count
        XCTAssertEqual(
            first,
            "* 1 FETCH (UID 1 FLAGS (\\Seen) RFC822.SIZE \(F.vietnamese.count) BODY[HEADER.FIELDS (From Subject)] {127}\r\n"
                + "From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <a@tinh.gov.vn>\r\n"
                + "Subject: =?windows-1258?Q?C=F4ng_v=E3n?= =?UTF-8?Q?_s=E1=BB=91_12?=\r\n\r\n)\r\n"
                + "* 2 FETCH (UID 2 FLAGS () RFC822.SIZE \(signedSize) BODY[HEADER.FIELDS (From Subject)] {40}\r\n"
                + "From: a@tinh.gov.vn\r\nSubject: Signed\r\n\r\n)\r\n"
                + "* 3 FETCH (UID 3 FLAGS () RFC822.SIZE \(F.forwarded.count) BODY[HEADER.FIELDS (From Subject)] {37}\r\n"
                + "From: a@tinh.gov.vn\r\nSubject: Fwd\r\n\r\n)\r\n"
                + "a3 OK FETCH completed\r\n")
        XCTAssertEqual(
            exchange(command.replacingOccurrences(of: "a3", with: "a4")),
            first.replacingOccurrences(of: "a3", with: "a4"))
        XCTAssertEqual(store.fileReads, 3, "the second listing reads no file")
    }

    func testBareLFMessageSizeMatchesTheLiteralSentAndPartialsAreSlicedBySession() {
        let r = exchange("a3 FETCH 2 (RFC822.SIZE BODY[]<0.6> BODY.PEEK[1]<7.4> BODY.PEEK[1.MIME])")
        XCTAssertEqual(
            r,
            "* 2 FETCH (RFC822.SIZE \(F.signed.count) BODY[]<0> {6}\r\nFrom:  BODY[1]<7> {4}\r\ntext "
                + "BODY[1.MIME] {46}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n FLAGS (\\Seen))\r\n"
                + "a3 OK FETCH completed\r\n")
        let whole = exchange("a4 FETCH 2 RFC822")
        XCTAssertTrue(whole.hasPrefix("* 2 FETCH (RFC822 {\(F.signed.count)}\r\n" + F.text(F.signed) + ")\r\n"), whole)
    }

    func testEnvelopeBodyStructureAndMissingSectionOnTheWire() {
        let r = exchange("a3 FETCH 3 (ENVELOPE BODY BODY.PEEK[2.2] BODY.PEEK[4] BODY.PEEK[2.HEADER.FIELDS (Subject)])")
        let lc = "({5}\r\nLê C NIL \"c\" \"so.gov.vn\")"
        let from = #"((NIL NIL "a" "tinh.gov.vn"))"#
        XCTAssertEqual(
            r,
            "* 3 FETCH (ENVELOPE (NIL \"Fwd\" \(from) \(from) \(from) NIL NIL NIL NIL NIL) "
                + #"BODY (("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 1)("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 209 "#
                + "(\"Thu, 26 Nov 2026 08:00:00 +0700\" \"Inner\" (\(lc)) (\(lc)) (\(lc)) NIL NIL NIL NIL NIL) "
                + #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 1)("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 6 1) "MIXED") 13) "MIXED") "#
                + "BODY[2.2] {6}\r\nsecond BODY[4] {0}\r\n BODY[2.HEADER.FIELDS (Subject)] {18}\r\nSubject: Inner\r\n\r\n)\r\n"
                + "a3 OK FETCH completed\r\n")
    }

    func testSearchFindsVietnameseAcrossCharsets() {
        XCTAssertEqual(
            exchange("a3 SEARCH CHARSET UTF-8 SUBJECT \"CÔNG VĂN\""), "* SEARCH 1\r\na3 OK SEARCH completed\r\n")
        XCTAssertEqual(
            exchange("a4 UID SEARCH CHARSET UTF-8 OR BODY \"kính GỬI\" BODY \"SIGNED TEXT\""),
            "* SEARCH 1 2\r\na4 OK SEARCH completed\r\n")
        XCTAssertEqual(exchange("a5 SEARCH SENTON 27-Nov-2026"), "* SEARCH 1\r\na5 OK SEARCH completed\r\n")
        XCTAssertEqual(exchange("a6 SEARCH TEXT \"inner text\""), "* SEARCH 3\r\na6 OK SEARCH completed\r\n")
    }
}
