import MailCore
import MessageFormat
import XCTest

@testable import IMAPProtocol

/// Inline test messages for the MessageFormat bridge (the maildir-fixtures folder is not merged yet).
/// Written with "\n" for readability; `crlf` turns them into what a Maildir file normally holds.
enum BridgeFixtures {
    static func crlf(_ s: String) -> [UInt8] { Array(s.replacingOccurrences(of: "\n", with: "\r\n").utf8) }
    static func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }

    /// UTF-8 and Windows-1258 encoded words, a named group, an empty group, an 8-bit display name.
    static let vietnamese = crlf(
        """
        Date: Fri, 27 Nov 2026 00:30:00 +0700
        From: =?UTF-8?B?Tmd1eeG7hW4gVsSDbiBB?= <a@tinh.gov.vn>
        To: Phong ban: b@tinh.gov.vn, "Trần B" <c@tinh.gov.vn>;, d@tinh.gov.vn
        Cc: undisclosed-recipients:;
        Subject: =?windows-1258?Q?C=F4ng_v=E3n?= =?UTF-8?Q?_s=E1=BB=91_12?=
        Message-ID: <m1@tinh.gov.vn>
        In-Reply-To: <m0@tinh.gov.vn>
        Content-Type: text/plain; charset=windows-1258
        Content-Transfer-Encoding: quoted-printable

        K=EDnh g=FD=D2i c=E1c =F0=F5n vi=F2=20=
        tr=EAn.

        """)

    /// multipart/mixed: multipart/alternative (QP text, 8-bit HTML) and a PDF with an RFC 2231
    /// filename split over two continuations, with every extension field set.
    static let alternativeWithAttachment = crlf(
        """
        From: a@tinh.gov.vn
        To: b@tinh.gov.vn
        Subject: Quyet dinh
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        This is a multi-part message in MIME format.
        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        K=C3=ADnh g=E1=BB=ADi
        --inner
        Content-Type: text/html; charset=utf-8

        <p>Kính gửi</p>
        --inner--

        --outer
        Content-Type: application/pdf; name="qd.pdf"
        Content-Transfer-Encoding: base64
        Content-Disposition: attachment;
         filename*0*=UTF-8''Quy%E1%BA%BFt%20;
         filename*1*=%C4%91%E1%BB%8Bnh.pdf
        Content-Language: vi
        Content-Description: Quyet dinh
        Content-ID: <qd@tinh>
        Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==
        Content-Location: http://x/qd.pdf

        JVBERi0xLjQK
        --outer--

        """)

    /// S/MIME multipart/signed (RFC 8551 §3.5): the client verifies BODY[1.MIME] + BODY[1].
    static let signed = crlf(
        """
        From: a@tinh.gov.vn
        Subject: Signed
        MIME-Version: 1.0
        Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="sig"

        --sig
        Content-Type: text/plain; charset=us-ascii

        Signed text
        --sig
        Content-Type: application/pkcs7-signature; name=smime.p7s
        Content-Transfer-Encoding: base64
        Content-Disposition: attachment; filename=smime.p7s

        MIAGCSqGSIb3DQEHAqCAMIACAQEx
        --sig--

        """)

    /// A forwarded message (message/rfc822) that is itself multipart, one part without a header.
    static let forwarded = crlf(
        """
        From: a@tinh.gov.vn
        Subject: Fwd
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        See below.
        --b
        Content-Type: message/rfc822

        From: "Lê C" <c@so.gov.vn>
        Subject: Inner
        Date: Thu, 26 Nov 2026 08:00:00 +0700
        Content-Type: multipart/mixed; boundary=c

        --c

        inner text
        --c
        Content-Type: text/plain; charset=utf-8

        second
        --c--
        --b--

        """)

    /// A message/rfc822 part in base64 cannot be parsed: BODYSTRUCTURE shows a basic part.
    static let encodedForward = crlf(
        """
        From: a@tinh.gov.vn
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: message/rfc822
        Content-Transfer-Encoding: base64

        RnJvbTogeEB5LnZuDQoNCmhpDQo=
        --b--

        """)

    /// No Date, empty Subject, no From; Reply-To present but empty.
    static let sparse = crlf(
        """
        Subject:
        Reply-To:
        To: b@tinh.gov.vn

        x
        """)
}

final class BridgeFixtureTests: XCTestCase {
    func testFixturesHaveOnlyCRLFLineEnds() {
        for m in [
            BridgeFixtures.vietnamese, BridgeFixtures.alternativeWithAttachment, BridgeFixtures.signed,
            BridgeFixtures.forwarded, BridgeFixtures.encodedForward, BridgeFixtures.sparse,
        ] {
            XCTAssertFalse(MessageLineEndings.hasBareLF(m))
        }
    }
}
