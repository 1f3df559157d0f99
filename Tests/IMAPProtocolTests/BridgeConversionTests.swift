import MailCore
import MessageFormat
import XCTest

@testable import IMAPProtocol

/// ENVELOPE and BODYSTRUCTURE wire forms of parsed messages, checked by hand against RFC 3501 §7.4.2
/// and §9 (the order of body-fields, extension data, group markers, NIL vs "").
final class BridgeConversionTests: XCTestCase {
    typealias F = BridgeFixtures

    func envelope(_ message: [UInt8]) -> String {
        var w = IMAPWriter()
        IMAPEnvelope(MessageParser.parse(message).envelope).encode(&w)
        return F.text(w.bytes)
    }

    func body(_ message: [UInt8], extensible: Bool = true) -> String {
        var w = IMAPWriter()
        IMAPBodyStructure(MessageParser.parse(message)).encode(&w, extensible: extensible)
        return F.text(w.bytes)
    }

    // MARK: ENVELOPE

    func testEnvelopeKeepsEncodedWordsAndWritesGroupsWithMarkers() {
        let from = #"(("=?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?=" NIL "a" "tinh.gov.vn"))"#
        XCTAssertEqual(
            envelope(F.vietnamese),
            #"("Fri, 27 Nov 2026 00:30:00 +0700" "=?windows-1258?Q?C=F4ng_v=E3n?= =?UTF-8?Q?_s=E1=BB=91_12?=" "#
                + "\(from) \(from) \(from) "
                + #"((NIL NIL "Phong ban" NIL)(NIL NIL "b" "tinh.gov.vn")({8}"# + "\r\n"
                + #"Trần B NIL "c" "tinh.gov.vn")(NIL NIL NIL NIL)(NIL NIL "d" "tinh.gov.vn")) "#
                + #"((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) NIL "<m0@tinh.gov.vn>" "<m1@tinh.gov.vn>")"#
        )
    }

    func testEnvelopeAbsentIsNilEmptyIsEmptyStringAndEmptyReplyToFallsBackToFrom() {
        // No Date and no From: NIL; "Subject:" with nothing after it: ""; Reply-To empty → From (none).
        XCTAssertEqual(envelope(F.sparse), #"(NIL "" NIL NIL NIL ((NIL NIL "b" "tinh.gov.vn")) NIL NIL NIL NIL)"#)
    }

    func testEnvelopeSenderAndReplyToWhenPresent() {
        let m = F.crlf(
            """
            From: Chi Cuc <chicuc@tinh.gov.vn>
            Sender: vanthu@tinh.gov.vn
            To: b@tinh.gov.vn
            Bcc: c@tinh.gov.vn

            x
            """)
        let from = #"(("Chi Cuc" NIL "chicuc" "tinh.gov.vn"))"#
        XCTAssertEqual(
            envelope(m),
            "(NIL NIL \(from) ((NIL NIL \"vanthu\" \"tinh.gov.vn\")) \(from) ((NIL NIL \"b\" \"tinh.gov.vn\")) NIL "
                + "((NIL NIL \"c\" \"tinh.gov.vn\")) NIL NIL)")
    }

    // MARK: BODYSTRUCTURE / BODY

    func testAlternativeWithAttachmentCarriesEveryExtensionFieldAndRawRFC2231Parameters() {
        XCTAssertEqual(
            body(F.alternativeWithAttachment),
            #"((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 21 1 NIL NIL NIL NIL)"#
                + #"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 18 1 NIL NIL NIL NIL)"#
                + #" "ALTERNATIVE" ("BOUNDARY" "inner") NIL NIL NIL)"#
                + #"("APPLICATION" "PDF" ("NAME" "qd.pdf") "<qd@tinh>" "Quyet dinh" "BASE64" 12"#
                + #" "Q2hlY2sgSW50ZWdyaXR5IQ==" ("ATTACHMENT" ("FILENAME*0*" "UTF-8''Quy%E1%BA%BFt%20""#
                + #" "FILENAME*1*" "%C4%91%E1%BB%8Bnh.pdf")) "vi" "http://x/qd.pdf")"#
                + #" "MIXED" ("BOUNDARY" "outer") NIL NIL NIL)"#)
    }

    func testBodyIsTheNonExtensibleForm() {
        XCTAssertEqual(
            body(F.alternativeWithAttachment, extensible: false),
            #"((("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "QUOTED-PRINTABLE" 21 1)"#
                + #"("TEXT" "HTML" ("CHARSET" "utf-8") NIL NIL "7BIT" 18 1) "ALTERNATIVE")"#
                + #"("APPLICATION" "PDF" ("NAME" "qd.pdf") "<qd@tinh>" "Quyet dinh" "BASE64" 12) "MIXED")"#)
    }

    func testSignedMessageKeepsProtocolAndMicalgParameters() {
        XCTAssertEqual(
            body(F.signed),
            #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL)"#
                + #"("APPLICATION" "PKCS7-SIGNATURE" ("NAME" "smime.p7s") NIL NIL "BASE64" 28 NIL"#
                + #" ("ATTACHMENT" ("FILENAME" "smime.p7s")) NIL NIL) "SIGNED""#
                + #" ("PROTOCOL" "application/pkcs7-signature" "MICALG" "sha-256" "BOUNDARY" "sig") NIL NIL NIL)"#)
    }

    func testForwardedMessageHasInnerEnvelopeBodyAndLineCount() {
        let lc = "({5}\r\nLê C NIL \"c\" \"so.gov.vn\")"
        XCTAssertEqual(
            body(F.forwarded),
            #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)"#
                + #"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 209 ("Thu, 26 Nov 2026 08:00:00 +0700" "Inner" "#
                + "(\(lc)) (\(lc)) (\(lc)) NIL NIL NIL NIL NIL) "
                + #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 10 1 NIL NIL NIL NIL)"#
                + #"("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 6 1 NIL NIL NIL NIL)"#
                + #" "MIXED" ("BOUNDARY" "c") NIL NIL NIL) 13 NIL NIL NIL NIL)"#
                + #" "MIXED" ("BOUNDARY" "b") NIL NIL NIL)"#)
    }

    func testForwardedMessageInBase64IsABasicPart() {
        XCTAssertEqual(
            body(F.encodedForward),
            #"(("MESSAGE" "RFC822" NIL NIL NIL "BASE64" 28 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "b") NIL NIL NIL)"#)
    }

    func testSinglePartTextCountsLinesAndDefaultsToUSASCII() {
        XCTAssertEqual(
            body(F.vietnamese),
            #"("TEXT" "PLAIN" ("CHARSET" "windows-1258") NIL NIL "QUOTED-PRINTABLE" 50 2 NIL NIL NIL NIL)"#)
        // No Content-Type at all: text/plain; charset=us-ascii (RFC 2045 §5.2); no final newline: 1 line.
        XCTAssertEqual(body(F.sparse), #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 1 1 NIL NIL NIL NIL)"#)
    }

    func testMultipartDispositionAndLanguageListOnTheMultipartItself() {
        let m = F.crlf(
            """
            Content-Type: multipart/related; boundary=r; type="text/html"
            Content-Disposition: inline
            Content-Language: vi, en

            --r
            Content-Type: image/png
            Content-Transfer-Encoding: base64

            iVBORw0KGgo=
            --r--
            """)
        XCTAssertEqual(
            body(m),
            #"(("IMAGE" "PNG" NIL NIL NIL "BASE64" 12 NIL NIL NIL NIL) "RELATED" ("BOUNDARY" "r" "TYPE" "text/html")"#
                + #" ("INLINE" NIL) ("vi" "en") NIL)"#)
    }
}
