import XCTest
import MailCore
@testable import IMAPProtocol

final class ResponseEncoderTests: XCTestCase {
    func wire(_ f: (inout IMAPWriter) -> Void) -> String {
        var w = IMAPWriter()
        f(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    func testStringFormPickedFromContent() {
        XCTAssertEqual(wire { $0.string("hello world") }, "\"hello world\"")
        XCTAssertEqual(wire { $0.string("say \"hi\" \\ bye") }, "\"say \\\"hi\\\" \\\\ bye\"")
        XCTAssertEqual(wire { $0.string("") }, "\"\"")
        XCTAssertEqual(wire { $0.string("two\r\nlines") }, "{10}\r\ntwo\r\nlines")
        // Vietnamese UTF-8 outside UTF8=ACCEPT is a literal, never a quoted string with 8-bit bytes.
        XCTAssertEqual(wire { $0.string("Công văn") }, "{10}\r\nCông văn")
        var w = IMAPWriter(utf8Accepted: true)
        w.string("Công văn")
        XCTAssertEqual(String(decoding: w.bytes, as: UTF8.self), "\"Công văn\"")
        XCTAssertEqual(wire { $0.nstring(nil as String?) }, "NIL")
        // NUL is not CHAR8: sent as 0x80 (as Dovecot), in strings (ENVELOPE) and message literals alike.
        var nul = IMAPWriter()
        nul.string([0x61, 0x00, 0x62])
        nul.raw(" ")
        nul.literal([0x00, 0x0D, 0x0A])
        XCTAssertEqual(nul.bytes, Array("{3}\r\na".utf8) + [0x80, 0x62] + Array(" {3}\r\n".utf8) + [0x80, 0x0D, 0x0A])
        XCTAssertFalse(nul.bytes.contains(0))
        XCTAssertEqual(wire { $0.astring("INBOX") }, "INBOX")
        XCTAssertEqual(wire { $0.astring("NIL") }, "\"NIL\"")
        XCTAssertEqual(wire { $0.astring("a b") }, "\"a b\"")
        XCTAssertEqual(wire { $0.astring("") }, "\"\"")
    }

    func testMailboxNamesInModifiedUTF7() {
        XCTAssertEqual(wire { $0.mailbox(try! MailboxName("Văn bản")) }, "\"V&AQM-n b&HqM-n\"")
        XCTAssertEqual(wire { $0.mailbox(try! MailboxName("Thư.Đến")) }, "Th&AbA-.&ARAevw-n")
        XCTAssertEqual(wire { $0.mailbox(try! MailboxName("R&D")) }, "R&-D")
        XCTAssertEqual(
            IMAPResponse.list(ListEntry(attributes: ["\\HasNoChildren", "\\Sent"], name: "Thư đã gửi"), lsub: false)
                .description,
            "* LIST (\\HasNoChildren \\Sent) \".\" \"Th&AbA- &AREA4w- g&Hu0-i\"\r\n")
    }

    func testStatusResponsesAndCodes() {
        let cases: [(IMAPResponse, String)] = [
            (.tagged("a1", .ok, .uidValidity(7), "x"), "a1 OK [UIDVALIDITY 7] x"),
            (.untagged(.ok, .uidNext(9), "x"), "* OK [UIDNEXT 9] x"),
            (
                .untagged(.ok, .permanentFlags([.seen, .keyword("$A")], allowsNewKeywords: true), "x"),
                "* OK [PERMANENTFLAGS (\\Seen $A \\*)] x"
            ),
            (.tagged("a", .ok, .appendUID(uidValidity: 3, uid: 44), "x"), "a OK [APPENDUID 3 44] x"),
            (
                .tagged(
                    "a", .ok,
                    .copyUID(
                        uidValidity: 3, source: SequenceSet(numbers: [1, 2, 3, 7]),
                        destination: SequenceSet(numbers: [10, 11, 12, 13])), "x"),
                "a OK [COPYUID 3 1:3,7 10:13] x"
            ),
            (.tagged("a", .no, .tryCreate, "x"), "a NO [TRYCREATE] x"),
            (.tagged("a", .no, .tooBig, "x"), "a NO [TOOBIG] x"),
            (.tagged("a", .no, .privacyRequired, "x"), "a NO [PRIVACYREQUIRED] x"),
            (.tagged("a", .no, .alreadyExists, "x"), "a NO [ALREADYEXISTS] x"),
            (.tagged("a", .no, .nonexistent, "x"), "a NO [NONEXISTENT] x"),
            (.tagged("a", .no, .cannot, "x"), "a NO [CANNOT] x"),
            (.tagged("a", .no, .authenticationFailed, "x"), "a NO [AUTHENTICATIONFAILED] x"),
            (.tagged("a", .no, .unavailable, "x"), "a NO [UNAVAILABLE] x"),
            (.tagged("a", .bad, .limit, "x"), "a BAD [LIMIT] x"),
            (.tagged("a", .no, .badCharset(["UTF-8"]), "x"), "a NO [BADCHARSET (UTF-8)] x"),
            (.tagged("a", .bad, .clientBug, "x"), "a BAD [CLIENTBUG] x"),
            (.tagged("a", .ok, .readOnly, "x"), "a OK [READ-ONLY] x"),
            (.tagged("a", .no, nil, "bad\r\nline é"), "a NO bad  line  "),
            (.continuation("idling"), "+ idling"),
            (.continuation(""), "+ "),
            (.exists(5), "* 5 EXISTS"), (.recent(0), "* 0 RECENT"), (.expunge(3), "* 3 EXPUNGE"),
            (.search([]), "* SEARCH"), (.search([2, 9]), "* SEARCH 2 9"),
            (.enabled([]), "* ENABLED"),
            (.id(["name": "GovMail"]), "* ID (\"name\" \"GovMail\")"),
            (
                .status(try! MailboxName("Văn bản"), [(.messages, 3), (.unseen, 1)]),
                "* STATUS \"V&AQM-n b&HqM-n\" (MESSAGES 3 UNSEEN 1)"
            ),
            (
                .fetch(2, [.uid(7), .flags([.seen, .answered, .recent])]),
                "* 2 FETCH (UID 7 FLAGS (\\Answered \\Seen \\Recent))"
            ),
            (
                .fetch(1, [.internalDate(IMAPDateTime(epochSeconds: 837_596_665, zoneMinutes: -420))]),
                "* 1 FETCH (INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")"
            ),
            (
                .fetch(
                    1,
                    [
                        .bodySection(
                            IMAPSection(text: .headerFields(["Subject"])), origin: nil, data: Array("S: x\r\n\r\n".utf8)
                        )
                    ]),
                "* 1 FETCH (BODY[HEADER.FIELDS (Subject)] {8}\r\nS: x\r\n\r\n)"
            ),
            (
                .fetch(1, [.bodySection(IMAPSection(part: [1, 2]), origin: 5, data: [])]),
                "* 1 FETCH (BODY[1.2]<5> {0}\r\n)"
            ),
            (
                .fetch(1, [.bodySection(IMAPSection(part: [3], text: .mime), origin: nil, data: nil)]),
                "* 1 FETCH (BODY[3.MIME] NIL)"
            ),
        ]
        for (r, text) in cases { XCTAssertEqual(r.description, text + "\r\n") }
    }

    func testEnvelopeNilVersusEmptyAndGroups() {
        let env = IMAPEnvelope(
            date: "Fri, 27 Nov 2026 09:00:00 +0700", subject: "",
            from: [IMAPAddress(name: "Nguyễn Văn An", mailbox: "an", host: "so.gov.vn")],
            to: [.groupStart("Phòng"), IMAPAddress(name: nil, mailbox: "b", host: "x.vn"), .groupEnd],
            inReplyTo: nil, messageID: "<m@x>")
        var w = IMAPWriter()
        env.encode(&w)
        XCTAssertEqual(
            String(decoding: w.bytes, as: UTF8.self),
            "(\"Fri, 27 Nov 2026 09:00:00 +0700\" \"\" (({16}\r\nNguyễn Văn An NIL \"an\" \"so.gov.vn\")) NIL NIL "
                + "((NIL NIL {6}\r\nPhòng NIL)(NIL NIL \"b\" \"x.vn\")(NIL NIL NIL NIL)) NIL NIL NIL \"<m@x>\")")
        var empty = IMAPWriter()
        IMAPEnvelope().encode(&empty)
        XCTAssertEqual(String(decoding: empty.bytes, as: UTF8.self), "(NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL)")
    }

    func testBodyStructureSinglePartWithExtensions() {
        let part = IMAPBodyStructure.single(
            IMAPSinglePart(
                type: "application", subtype: "pdf",
                parameters: IMAPParameters([IMAPParameterPair("name", "Quyết định.pdf")]),
                id: "<c1>", description: nil, encoding: "base64", octets: 1200, kind: .basic, md5: nil,
                ext: IMAPBodyExtension(
                    disposition: IMAPDisposition(
                        type: "attachment", parameters: IMAPParameters([IMAPParameterPair("filename", "qd.pdf")])),
                    language: ["vi"], location: nil)))
        var w = IMAPWriter()
        part.encode(&w, extensible: true)
        XCTAssertEqual(
            String(decoding: w.bytes, as: UTF8.self),
            "(\"APPLICATION\" \"PDF\" (\"name\" {19}\r\nQuyết định.pdf) \"<c1>\" NIL \"BASE64\" 1200 NIL (\"attachment\" (\"filename\" \"qd.pdf\")) \"vi\" NIL)"
        )
        var basic = IMAPWriter()
        part.encode(&basic, extensible: false)
        XCTAssertEqual(
            String(decoding: basic.bytes, as: UTF8.self),
            "(\"APPLICATION\" \"PDF\" (\"name\" {19}\r\nQuyết định.pdf) \"<c1>\" NIL \"BASE64\" 1200)")
    }

    func testBodyStructureMultipartWithNestedMessage() {
        let text = IMAPBodyStructure.single(
            IMAPSinglePart(
                type: "TEXT", subtype: "PLAIN",
                parameters: IMAPParameters([IMAPParameterPair("CHARSET", "UTF-8")]),
                encoding: "QUOTED-PRINTABLE", octets: 20, kind: .text(lines: 2)))
        let inner = IMAPEnvelope(subject: "Fwd", from: [IMAPAddress(name: nil, mailbox: "a", host: "b")])
        let message = IMAPBodyStructure.single(
            IMAPSinglePart(
                type: "MESSAGE", subtype: "RFC822", octets: 300,
                kind: .message(envelope: inner, body: text, lines: 9)))
        let mixed = IMAPBodyStructure.multipart(
            IMAPMultipart(
                parts: [text, message], subtype: "mixed",
                parameters: IMAPParameters([IMAPParameterPair("BOUNDARY", "xyz")]),
                ext: IMAPBodyExtension(language: ["vi", "en"], location: "http://x")))
        var w = IMAPWriter()
        mixed.encode(&w, extensible: true)
        let textExt = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 20 2 NIL NIL NIL NIL)"
        XCTAssertEqual(
            String(decoding: w.bytes, as: UTF8.self),
            "(" + textExt
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 300 (NIL \"Fwd\" ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL) "
                + textExt + " 9 NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"xyz\") NIL (\"vi\" \"en\") \"http://x\")")
        var basic = IMAPWriter()
        mixed.encode(&basic, extensible: false)
        let textBasic = "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 20 2)"
        XCTAssertEqual(
            String(decoding: basic.bytes, as: UTF8.self),
            "(" + textBasic
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 300 (NIL \"Fwd\" ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL NIL) "
                + textBasic + " 9) \"MIXED\")")
    }
}

/// Encoder output read back by the parser gives the value again.
final class RoundTripTests: XCTestCase {
    func parseAString(_ bytes: [UInt8]) throws -> [UInt8] {
        var c = IMAPCursor(bytes + [13, 10], limits: IMAPLimits())
        let v = try c.astring()
        try c.crlf()
        return v
    }

    func testStringsRoundTrip() throws {
        for s in [
            "plain", "with space", "q\"uote", "back\\slash", "", "Công văn số 12", "two\r\nlines", "NIL", "a]b", "%*",
            String(repeating: "x", count: 2000),
        ] {
            var w = IMAPWriter()
            w.astring(s)
            XCTAssertEqual(try parseAString(w.bytes), Array(s.utf8), s)
        }
    }

    func testMailboxNamesRoundTrip() throws {
        for s in ["INBOX", "Văn bản", "Thư.Đến", "R&D", "Lưu trữ.2025.Quý 1", "日本"] {
            var w = IMAPWriter()
            w.mailbox(try MailboxName(s))
            var c = IMAPCursor(w.bytes + [13, 10], limits: IMAPLimits())
            XCTAssertEqual(try c.mailbox(), try MailboxName(s))
        }
    }

    func testSequenceSetsSectionsAndDatesRoundTrip() throws {
        for text in ["1", "*", "1:*", "2,4:7,9", "5:3", "1,3:*,7"] {
            var c = IMAPCursor(Array(text.utf8), limits: IMAPLimits())
            XCTAssertEqual(try c.sequenceSet().description, text)
        }
        for section in [
            IMAPSection(), IMAPSection(text: .header), IMAPSection(part: [1, 2], text: .mime),
            IMAPSection(part: [3], text: .text), IMAPSection(text: .headerFields(["From", "To"])),
            IMAPSection(part: [2], text: .headerFieldsNot(["Received"])), IMAPSection(part: [4, 1]),
        ] {
            var c = IMAPCursor(Array("[\(section)]".utf8), limits: IMAPLimits())
            XCTAssertEqual(try c.section(), section)
        }
        for (secs, zone) in [
            (Int64(0), 0), (1_790_000_000, 420), (837_596_665, -420), (951_782_400, 0), (4_102_444_799, 330),
        ] {
            let d = IMAPDateTime(epochSeconds: secs, zoneMinutes: zone)
            var c = IMAPCursor(Array("\"\(d)\"".utf8), limits: IMAPLimits())
            XCTAssertEqual(try c.dateTime(), d, d.description)
        }
        for n in [0, 59, 60, 365, 10_957, 20_000, -1, 2_932_896] {
            let date = IMAPDate(epochSeconds: Double(n) * 86400)
            XCTAssertEqual(date.daysSinceEpoch, n)
            var c = IMAPCursor(Array(date.description.utf8), limits: IMAPLimits())
            XCTAssertEqual(try c.date(), date)
        }
    }

    func testFlagsRoundTrip() throws {
        let flags: [Flag] = [.seen, .answered, .flagged, .deleted, .draft, .keyword("$Work"), .keyword("NonJunk")]
        let r = IMAPResponse.fetch(1, [.flags(flags)]).description
        let list = String(r.dropFirst("* 1 FETCH (FLAGS ".count).dropLast(2))  // "\r\n" is one Character
        var c = IMAPCursor(Array(list.utf8), limits: IMAPLimits())
        XCTAssertEqual(Set(try c.flagList()), Set(flags))
    }
}
