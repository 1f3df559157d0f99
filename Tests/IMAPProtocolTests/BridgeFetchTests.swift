import Foundation
import MailCore
import MessageFormat
import XCTest

@testable import IMAPProtocol

/// FETCH data built by `FetchResponder`: every section form, sizes after line-ending normalisation,
/// and which fetches are answered from cached metadata without reading the message.
final class BridgeFetchTests: XCTestCase {
    typealias F = BridgeFixtures
    struct ReadFailed: Error {}

    func section(_ part: [Int] = [], _ text: IMAPSection.Text? = nil) -> IMAPSection {
        IMAPSection(part: part, text: text)
    }

    func body(_ s: IMAPSection) -> FetchAttribute { .body(s, peek: true, partial: nil) }

    /// Fetches `attributes` from `stored` bytes with no cache, and returns the data.
    func fetch(_ stored: [UInt8], _ attributes: [FetchAttribute]) -> FetchedMessage {
        FetchResponder.respond(
            uid: UID(7), internalDate: IMAPDateTime(epochSeconds: 1_795_000_000, zoneMinutes: 420),
            attributes: attributes, cached: nil, readStoredBytes: { stored }
        ).message
    }

    func testEverySectionFormOfANestedMessage() {
        let s: [(IMAPSection, String?)] = [
            (section([1]), "See below."),
            (section([1], .mime), "Content-Type: text/plain\r\n\r\n"),
            (section([2], .mime), "Content-Type: message/rfc822\r\n\r\n"),
            (
                section([2], .header),
                "From: \"Lê C\" <c@so.gov.vn>\r\nSubject: Inner\r\nDate: Thu, 26 Nov 2026 08:00:00 +0700\r\n"
                    + "Content-Type: multipart/mixed; boundary=c\r\n\r\n"
            ),
            // Fields come in header order, whatever the order and case of the request.
            (
                section([2], .headerFields(["SUBJECT", "from"])),
                "From: \"Lê C\" <c@so.gov.vn>\r\nSubject: Inner\r\n\r\n"
            ),
            (
                section([2], .headerFieldsNot(["Content-Type", "Date"])),
                "From: \"Lê C\" <c@so.gov.vn>\r\nSubject: Inner\r\n\r\n"
            ),
            (
                section([2], .text),
                "--c\r\n\r\ninner text\r\n--c\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nsecond\r\n--c--"
            ),
            (section([2, 1]), "inner text"),
            (section([2, 2]), "second"),
            (section([2, 2], .mime), "Content-Type: text/plain; charset=utf-8\r\n\r\n"),
            (section([], .headerFields(["Subject"])), "Subject: Fwd\r\n\r\n"),
            (section([], .headerFields(["X-Absent"])), "\r\n"),
            // Missing parts: no key, which the session sends as NIL.
            (section([3]), nil),
            (section([1], .text), nil),
            // Below a single part, `.1` is the part itself, as Dovecot resolves it.
            (section([1, 1]), "See below."),
            (section([2, 3]), nil),
            (section([2, 1], .header), nil),
        ]
        let m = fetch(F.forwarded, s.map { body($0.0) })
        for (sec, expected) in s {
            XCTAssertEqual(m.sections[sec].map(F.text), expected, "BODY[\(sec)]")
        }
        // BODY[2] is the whole encapsulated message: its header followed by its text.
        let whole = fetch(F.forwarded, [body(section([2])), body(section([2], .header)), body(section([2], .text))])
        XCTAssertEqual(
            whole.sections[section([2])], whole.sections[section([2], .header)]! + whole.sections[section([2], .text)]!)
        XCTAssertEqual(whole.sections[section([2])]?.count, 209)
    }

    func testWholeMessageHeaderAndTextAndTheirRFC822Forms() {
        let m = fetch(
            F.forwarded,
            [
                .rfc822Size, .rfc822, .rfc822Header, .rfc822Text, body(section()), body(section([], .header)),
                body(section([], .text)),
            ])
        let header = "From: a@tinh.gov.vn\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
        XCTAssertEqual(m.size, F.forwarded.count)
        XCTAssertEqual(m.sections[section()], F.forwarded)
        XCTAssertEqual(m.sections[section([], .header)].map(F.text), header)
        XCTAssertEqual(m.sections[section([], .text)], Array(F.forwarded[header.utf8.count...]))
        XCTAssertEqual(m.uid, UID(7))
        XCTAssertEqual(m.internalDate, IMAPDateTime(epochSeconds: 1_795_000_000, zoneMinutes: 420))
    }

    func testSignedPartMimeHeaderAndBodyAreExactlyWhatWasSigned() {
        let m = fetch(F.signed, [body(section([1], .mime)), body(section([1])), body(section([2]))])
        XCTAssertEqual(
            m.sections[section([1], .mime)].map(F.text), "Content-Type: text/plain; charset=us-ascii\r\n\r\n")
        XCTAssertEqual(m.sections[section([1])].map(F.text), "Signed text")
        XCTAssertEqual(m.sections[section([2])].map(F.text), "MIAGCSqGSIb3DQEHAqCAMIACAQEx")
    }

    func testOnlyRequestedStructuresAreBuilt() {
        let m = fetch(F.signed, [.uid, .flags, .rfc822Size])
        XCTAssertNil(m.envelope)
        XCTAssertNil(m.bodyStructure)
        XCTAssertEqual(m.sections, [:])
        XCTAssertEqual(m.size, F.signed.count)
        let e = fetch(F.signed, [.envelope, .bodyBasic])
        XCTAssertEqual(e.envelope?.subject, "Signed")
        XCTAssertEqual(e.bodyStructure, IMAPBodyStructure(MessageParser.parse(F.signed)))
    }

    // MARK: Line endings

    func testBareLFMessageIsServedAsCRLFAndDescribedAsSent() {
        let bare = Array(F.text(F.alternativeWithAttachment).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        XCTAssertTrue(MessageLineEndings.hasBareLF(bare))
        let all: [FetchAttribute] = [
            .rfc822Size, .envelope, .bodyStructure, .rfc822, body(section([1, 1])), body(section([2], .mime)),
            body(section([], .headerFields(["Subject"]))), body(section([], .text)),
        ]
        let fromBare = fetch(bare, all)
        let fromCRLF = fetch(F.alternativeWithAttachment, all)
        // Same size, structure, line counts and section bytes as the CRLF original.
        XCTAssertEqual(fromBare, fromCRLF)
        XCTAssertEqual(fromBare.size, fromBare.sections[section()]?.count)
        XCTAssertEqual(fromBare.sections[section()], F.alternativeWithAttachment)
    }

    func testNormalisationTouchesOnlyBareLF() {
        let mixed: [UInt8] = Array("a\r\nb\nc\rd\n\n".utf8)
        XCTAssertEqual(MessageLineEndings.normalized(mixed), Array("a\r\nb\r\nc\rd\r\n\r\n".utf8))
        XCTAssertEqual(MessageLineEndings.normalized(Array("\nx".utf8)), Array("\r\nx".utf8))
        XCTAssertFalse(MessageLineEndings.hasBareLF(Array("a\r\nb\rc".utf8)))
        XCTAssertFalse(MessageLineEndings.hasBareLF([]))
    }

    func testMessageWithoutFinalNewlineAndWithoutBody() {
        let noNewline = Array("Subject: x\r\n\r\nfirst\r\nlast line".utf8)
        let m = fetch(noNewline, [.rfc822Size, .rfc822, .rfc822Text, .bodyStructure])
        XCTAssertEqual(m.size, noNewline.count)
        XCTAssertEqual(m.sections[section()], noNewline)
        XCTAssertEqual(m.sections[section([], .text)].map(F.text), "first\r\nlast line")
        XCTAssertEqual(
            m.bodyStructure,
            .single(
                IMAPSinglePart(
                    type: "text", subtype: "plain",
                    parameters: IMAPParameters([IMAPParameterPair("CHARSET", "us-ascii")]),
                    encoding: "7bit", octets: 16, kind: .text(lines: 2))))

        let headerOnly = Array("Subject: only a header".utf8)
        let h = fetch(
            headerOnly, [.rfc822Size, .rfc822Header, .rfc822Text, body(section([], .headerFields(["subject"])))])
        XCTAssertEqual(h.size, headerOnly.count)
        XCTAssertEqual(h.sections[section([], .header)], headerOnly)
        XCTAssertEqual(h.sections[section([], .text)], [])
        // A field without a line end gets one, then the empty line that ends the header.
        XCTAssertEqual(
            h.sections[section([], .headerFields(["subject"]))].map(F.text), "Subject: only a header\r\n\r\n")
    }

    // MARK: Cache

    func testHeaderFieldFetchIsAnsweredFromCachedMetadataWithoutReading() throws {
        let metadata = IMAPMessageMetadata(storedBytes: F.vietnamese)
        let attributes: [FetchAttribute] = [
            .uid, .flags, .rfc822Size, .envelope, .bodyStructure,
            body(section([], .headerFields(["From", "To", "Subject", "Date"]))),
        ]
        XCTAssertFalse(FetchResponder.needsMessageBytes(attributes))
        let r = try FetchResponder.respond(
            uid: UID(1), internalDate: nil, attributes: attributes, cached: metadata,
            readStoredBytes: { throw ReadFailed() })
        XCTAssertFalse(r.metadataIsNew)
        var parsedNow = fetch(F.vietnamese, attributes)
        parsedNow.uid = UID(1)
        parsedNow.internalDate = nil
        XCTAssertEqual(r.message, parsedNow)
        XCTAssertEqual(r.message.size, F.vietnamese.count)
    }

    func testSectionsThatNeedTheBytesReadThemOnceAndKeepTheCache() throws {
        let metadata = IMAPMessageMetadata(storedBytes: F.signed)
        for a: FetchAttribute in [.rfc822, .rfc822Header, .rfc822Text, body(section([1])), body(section([1], .mime))] {
            XCTAssertTrue(FetchResponder.needsMessageBytes([.uid, a]), "\(a)")
        }
        var reads = 0
        let r = FetchResponder.respond(
            uid: UID(1), internalDate: nil, attributes: [body(section([1]))], cached: metadata,
            readStoredBytes: {
                reads += 1; return F.signed
            })
        XCTAssertEqual(reads, 1)
        XCTAssertFalse(r.metadataIsNew)
        XCTAssertEqual(r.message.sections[section([1])].map(F.text), "Signed text")
        XCTAssertThrowsError(
            try FetchResponder.respond(
                uid: UID(1), internalDate: nil, attributes: [.rfc822], cached: metadata,
                readStoredBytes: { throw ReadFailed() }))
    }

    func testStaleCacheIsReplacedAndNewMetadataIsReported() {
        let stale = IMAPMessageMetadata(storedBytes: F.signed)
        let r = FetchResponder.respond(
            uid: UID(1), internalDate: nil, attributes: [.rfc822, .envelope], cached: stale,
            readStoredBytes: { F.forwarded })
        XCTAssertTrue(r.metadataIsNew)
        XCTAssertEqual(r.metadata, IMAPMessageMetadata(storedBytes: F.forwarded))
        XCTAssertEqual(r.message.envelope?.subject, "Fwd")
        XCTAssertEqual(r.message.sections[section()], F.forwarded)
    }

    func testMetadataRecordsStoredAndSentSizesAndSurvivesCoding() throws {
        let bare = Array(F.text(F.signed).replacingOccurrences(of: "\r\n", with: "\n").utf8)
        let metadata = IMAPMessageMetadata(storedBytes: bare)
        XCTAssertEqual(metadata.storedSize, bare.count)
        XCTAssertEqual(metadata.size, F.signed.count)
        let content = IMAPMessageContent(storedBytes: bare, cached: metadata)
        XCTAssertFalse(content.parsed)
        XCTAssertEqual(content.bytes, F.signed)
        let decoded = try JSONDecoder().decode(IMAPMessageMetadata.self, from: JSONEncoder().encode(metadata))
        XCTAssertEqual(decoded, metadata)
    }

    func testUpdatedFlagsArePassedThrough() {
        let r = FetchResponder.respond(
            uid: UID(3), internalDate: nil, attributes: [.rfc822], cached: nil, updatedFlags: [.seen],
            readStoredBytes: { F.signed })
        XCTAssertEqual(r.message.updatedFlags, [.seen])
    }

    // MARK: Bad input

    func testMalformedHeadersStillGiveAValidAnswer() {
        let m = F.crlf(
            """
            From: <<<broken
            Subject: =?utf-8?B?not base64!?=
            Content-Type: multipart/mixed
            Date: not a date
            Content-Transfer-Encoding: x-unknown

            body
            """)
        let r = fetch(m, [.envelope, .bodyStructure, .rfc822Size, .rfc822])
        XCTAssertEqual(r.envelope?.subject, "=?utf-8?B?not base64!?=")
        XCTAssertEqual(r.envelope?.date, "not a date")
        // A multipart without a boundary is read as text (nothing to split on).
        var w = IMAPWriter()
        r.bodyStructure?.encode(&w, extensible: true)
        XCTAssertEqual(
            F.text(w.bytes), #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "X-UNKNOWN" 4 1 NIL NIL NIL NIL)"#)
        XCTAssertEqual(r.size, r.sections[section()]?.count)
        let search = MessageSearchAdapter(uid: UID(1), internalDate: 0, content: IMAPMessageContent(storedBytes: m))
        XCTAssertNil(search.sentDate)
    }

    func testArbitraryBytesNeverBreakSizeOrSections() {
        // Deterministic pseudo-random messages built from header-ish and MIME-ish fragments.
        let pieces = [
            "From: a@b\n", "Content-Type: multipart/mixed; boundary=x\r\n", "--x\n", "--x--\r\n", "\r\n", "\n",
            "Content-Type: message/rfc822\n", "Subject: =?utf-8?q?=C3=A9?=\n", "text\r", "\u{0}", "\u{FF}",
        ].map { Array($0.utf8) }
        var seed: UInt64 = 42
        let attributes: [FetchAttribute] = [
            .rfc822Size, .rfc822, .envelope, .bodyStructure, body(section([1])), body(section([1], .mime)),
            body(section([2, 1], .text)), body(section([], .headerFields(["Subject"]))),
        ]
        for _ in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<20 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes += pieces[Int(seed >> 33) % pieces.count]
            }
            let m = fetch(bytes, attributes)
            XCTAssertEqual(m.size, m.sections[section()]?.count)
            XCTAssertFalse(MessageLineEndings.hasBareLF(m.sections[section()] ?? []))
            XCTAssertNotNil(m.envelope)
            XCTAssertNotNil(m.bodyStructure)
        }
    }
}
