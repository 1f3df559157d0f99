import Foundation
import GovMailTestSupport
import MessageFormat
import SMIMEVerification
import Synchronization
import XCTest

/// Messages signed by `openssl cms`/`openssl smime` with certificates of throwaway test CAs, each
/// with the result the verifier must give (issue 17). Keys and certificates are made at run time.
final class SMIMEVerifierTests: XCTestCase {
    static let alice = "alice@snv.example.gov.vn"
    static let content = "Content-Type: text/plain; charset=utf-8\r\n\r\nCông văn số 12/SNV về lịch họp.\r\n"
    static let headers = [
        "From: Alice <\(alice)>", "To: bob@snv.example.gov.vn", "Subject: Lich hop",
        "Message-ID: <smime-test@snv.example.gov.vn>",
    ]

    /// Built once: CA generation and signing cost a few hundred milliseconds each.
    struct Fixtures {
        let ca: SMIMETestCA
        let otherCA: SMIMETestCA
        let good: SMIMETestCA.Signer
        let legacyEmail: SMIMETestCA.Signer
        let expired: SMIMETestCA.Signer
        let serverOnly: SMIMETestCA.Signer
        let encryptOnly: SMIMETestCA.Signer
        let bob: SMIMETestCA.Signer
        let revoked: SMIMETestCA.Signer
        let stranger: SMIMETestCA.Signer
        let crl: String
    }

    nonisolated(unsafe) static var cached: Fixtures?

    static func fixtures() throws -> Fixtures {
        if let cached { return cached }
        let ca = try SMIMETestCA(name: "Test Province CA")
        let otherCA = try SMIMETestCA(name: "Unknown CA")
        var legacy = SMIMETestCA.Profile(commonName: "Alice (subject only)", emails: [], subjectEmail: alice)
        legacy.extendedKeyUsage = nil
        var expired = SMIMETestCA.Profile(commonName: "Alice 2020", emails: [alice])
        expired.notBefore = "20200101000000Z"
        expired.notAfter = "20210101000000Z"
        var server = SMIMETestCA.Profile(commonName: "Alice TLS", emails: [alice])
        server.extendedKeyUsage = "serverAuth"
        var encrypt = SMIMETestCA.Profile(commonName: "Alice encryption", emails: [alice])
        encrypt.keyUsage = "critical, keyEncipherment"
        let f = Fixtures(
            ca: ca, otherCA: otherCA,
            good: try ca.issue(.init(commonName: "Alice", emails: [alice.uppercased()])),
            legacyEmail: try ca.issue(legacy), expired: try ca.issue(expired), serverOnly: try ca.issue(server),
            encryptOnly: try ca.issue(encrypt),
            bob: try ca.issue(.init(commonName: "Bob", emails: ["bob@snv.example.gov.vn"])),
            revoked: try ca.issue(.init(commonName: "Alice revoked", emails: [alice])),
            stranger: try otherCA.issue(.init(commonName: "Alice elsewhere", emails: [alice])),
            crl: "")
        try ca.revoke(f.revoked)
        let withCRL = Fixtures(
            ca: f.ca, otherCA: f.otherCA, good: f.good, legacyEmail: f.legacyEmail, expired: f.expired,
            serverOnly: f.serverOnly, encryptOnly: f.encryptOnly, bob: f.bob, revoked: f.revoked,
            stranger: f.stranger, crl: try ca.crl())
        cached = withCRL
        // The CAs' temporary folders go when the value does: release it when the test process ends.
        atexit { SMIMEVerifierTests.cached = nil }
        return withCRL
    }

    struct Case {
        let name: String
        let message: [UInt8]
        let expected: SMIMEResult
        /// Seconds added to the real clock for the verification (the signing time is the real clock).
        var shift: Double = 0
        /// Whether the trust store carries the CA's CRL.
        var withCRL = false
    }

    func testTableOfSignedMessages() throws {
        let f = try Self.fixtures()
        let c = Self.content, h = Self.headers
        func sign(_ s: SMIMETestCA.Signer, _ format: SMIMETestCA.Format = .detached, attrs: Bool = true) throws
            -> [UInt8]
        {
            try f.ca.sign(c, by: s, headers: h, format: format, signedAttributes: attrs)
        }
        let valid = try sign(f.good)
        let tampered = Array(
            String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "số 12/SNV", with: "số 13/SNV").utf8)
        XCTAssertNotEqual(tampered, valid)
        let onBehalf = try f.ca.sign(
            c, by: f.good, headers: ["From: Văn thư <vanthu@snv.example.gov.vn>", "Sender: <\(Self.alice)>"])
        let brokenSignature = Array(
            String(decoding: valid, as: UTF8.self).replacingOccurrences(of: "MII", with: "AAA").utf8)
        let month = 30.0 * 86_400

        let cases: [Case] = [
            Case(name: "valid detached", message: valid, expected: .pass(signer: Self.alice)),
            Case(
                name: "valid x-pkcs7 (openssl smime)", message: try sign(f.good, .detachedLegacy),
                expected: .pass(signer: Self.alice)),
            Case(name: "opaque signed-data", message: try sign(f.good, .opaque), expected: .pass(signer: Self.alice)),
            Case(
                name: "address only in subject emailAddress", message: try sign(f.legacyEmail),
                expected: .pass(signer: Self.alice)),
            Case(
                name: "From shared mailbox, Sender is the signer", message: onBehalf,
                expected: .pass(signer: Self.alice)),
            Case(name: "expired", message: try sign(f.expired), expected: .fail(.certificateExpired)),
            Case(
                name: "wrong EKU (serverAuth)", message: try sign(f.serverOnly), expected: .fail(.notForEmailProtection)
            ),
            Case(
                name: "key usage without digitalSignature", message: try sign(f.encryptOnly),
                expected: .fail(.notForEmailProtection)),
            Case(name: "wrong address", message: try sign(f.bob), expected: .fail(.addressMismatch)),
            Case(name: "tampered body", message: tampered, expected: .fail(.signatureMismatch)),
            Case(
                name: "opaque signed-data, untrusted CA",
                message: try f.otherCA.sign(c, by: f.stranger, headers: h, format: .opaque),
                expected: .fail(.untrustedIssuer)),
            Case(
                name: "untrusted CA", message: try f.otherCA.sign(c, by: f.stranger, headers: h),
                expected: .fail(.untrustedIssuer)),
            Case(
                name: "revoked, CRL configured", message: try sign(f.revoked), expected: .fail(.certificateRevoked),
                withCRL: true),
            Case(name: "revoked, no CRL configured", message: try sign(f.revoked), expected: .pass(signer: Self.alice)),
            Case(name: "valid, CRL configured", message: valid, expected: .pass(signer: Self.alice), withCRL: true),
            Case(
                name: "valid at signing time, expired since", message: valid, expected: .pass(signer: Self.alice),
                shift: 2 * month),
            Case(
                name: "no signing time: checked now, expired", message: try sign(f.good, attrs: false),
                expected: .fail(.certificateExpired), shift: 2 * month),
            Case(
                name: "no signing time: checked now, valid", message: try sign(f.good, attrs: false),
                expected: .pass(signer: Self.alice)),
            Case(
                name: "signing time in the future", message: valid, expected: .fail(.signingTimeInFuture),
                shift: -2 * 86_400),
            Case(name: "unsigned", message: Array((h.map { $0 + "\r\n" }.joined() + c).utf8), expected: .none),
        ]
        let plain = SMIMEVerifier(
            trust: try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: []))
        let checked = SMIMEVerifier(
            trust: try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: [f.crl]))
        let now = Date().timeIntervalSince1970
        for t in cases {
            let verifier = t.withCRL ? checked : plain
            XCTAssertEqual(verifier.verify(t.message, now: now + t.shift), t.expected, t.name)
        }
        guard case .fail(.malformed) = plain.verify(brokenSignature, now: now) else {
            return XCTFail("a damaged signature part must be malformed, got \(plain.verify(brokenSignature, now: now))")
        }
    }

    /// A CRL for one CA must not make signatures of another trusted CA (without a CRL) fail.
    func testCRLOfOneCADoesNotRequireCRLsOfOthers() throws {
        let f = try Self.fixtures()
        let trust = try SMIMETrustStore(
            anchorFiles: [f.ca.certificatePath, f.otherCA.certificatePath], crlFiles: [f.crl])
        XCTAssertEqual(trust.anchorCount, 2)
        XCTAssertEqual(trust.crlCount, 1)
        let verifier = SMIMEVerifier(trust: trust)
        let now = Date().timeIntervalSince1970
        let m = try f.otherCA.sign(Self.content, by: f.stranger, headers: Self.headers)
        XCTAssertEqual(verifier.verify(m, now: now), .pass(signer: Self.alice))
        let r = try f.ca.sign(Self.content, by: f.revoked, headers: Self.headers)
        XCTAssertEqual(verifier.verify(r, now: now), .fail(.certificateRevoked))
    }

    /// One trust store serves every storage worker at once.
    func testConcurrentVerificationsShareOneStore() throws {
        let f = try Self.fixtures()
        let verifier = SMIMEVerifier(trust: try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: [f.crl]))
        let good = try f.ca.sign(Self.content, by: f.good, headers: Self.headers)
        let bad = try f.ca.sign(Self.content, by: f.revoked, headers: Self.headers)
        let now = Date().timeIntervalSince1970
        let results = Mutex<[Int: SMIMEResult]>([:])
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            let r = verifier.verify(i % 2 == 0 ? good : bad, now: now)
            results.withLock { $0[i] = r }
        }
        let all = results.withLock { $0 }
        XCTAssertEqual(all.count, 32)
        for (i, r) in all {
            XCTAssertEqual(r, i % 2 == 0 ? .pass(signer: Self.alice) : .fail(.certificateRevoked))
        }
    }

    func testTrustStoreErrorsNameTheFileAndTheFix() throws {
        let dir = TemporaryDirectory()
        XCTAssertThrowsError(try SMIMETrustStore(anchorFiles: [dir.file("missing.pem")], crlFiles: [])) { e in
            XCTAssertTrue("\(e)".contains("smime.trust_anchors: cannot read \(dir.file("missing.pem"))"), "\(e)")
        }
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: dir.file("empty.pem")))
        XCTAssertThrowsError(try SMIMETrustStore(anchorFiles: [dir.file("empty.pem")], crlFiles: [])) { e in
            XCTAssertTrue("\(e)".contains("holds no PEM certificate"), "\(e)")
        }
        let f = try Self.fixtures()
        XCTAssertThrowsError(
            try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: [f.ca.certificatePath])
        ) { e in
            XCTAssertTrue("\(e)".contains("smime.crls"), "\(e)")
        }
        let broken = try String(contentsOfFile: f.ca.certificatePath, encoding: .utf8)
            .replacingOccurrences(of: "A", with: "*")
        try Data(broken.utf8).write(to: URL(fileURLWithPath: dir.file("broken.pem")))
        XCTAssertThrowsError(try SMIMETrustStore(anchorFiles: [dir.file("broken.pem")], crlFiles: [])) { e in
            XCTAssertTrue("\(e)".contains("damaged PEM block") || "\(e)".contains("holds no PEM"), "\(e)")
        }
    }
}

/// Several signers: every one must hold; more than `maxSigners` is refused before any work.
final class SMIMECoSignerTests: XCTestCase {
    func testEverySignerMustPassAndTheirNumberIsBounded() throws {
        let f = try SMIMEVerifierTests.fixtures()
        let verifier = SMIMEVerifier(trust: try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: []))
        let c = SMIMEVerifierTests.content, h = SMIMEVerifierTests.headers
        let now = Date().timeIntervalSince1970
        let two = try f.ca.sign(c, by: f.good, headers: h, coSigners: [f.legacyEmail])
        XCTAssertEqual(verifier.verify(two, now: now), .pass(signer: SMIMEVerifierTests.alice))
        let oneWrong = try f.ca.sign(c, by: f.good, headers: h, coSigners: [f.bob])
        XCTAssertEqual(verifier.verify(oneWrong, now: now), .fail(.addressMismatch))
        let extra = try (0..<SMIMEVerifier.maxSigners).map { i in
            try f.ca.issue(.init(commonName: "Alice \(i)", emails: [SMIMEVerifierTests.alice]))
        }
        let many = try f.ca.sign(c, by: f.good, headers: h, coSigners: extra)
        XCTAssertEqual(verifier.verify(many, now: now), .fail(.malformed("more than 8 signers")))
    }
}

/// Hostile or broken signed messages fail as malformed (or missing a signer), never crash.
final class SMIMEMalformedTests: XCTestCase {
    func testBrokenStructuresFailAsMalformed() throws {
        let f = try SMIMEVerifierTests.fixtures()
        let verifier = SMIMEVerifier(trust: try SMIMETrustStore(anchorFiles: [f.ca.certificatePath], crlFiles: []))
        let head = "From: \(SMIMEVerifierTests.alice)\r\nMIME-Version: 1.0\r\n"
        func signed(_ parts: [String], sigType: String = "application/pkcs7-signature") -> [UInt8] {
            var m = head + "Content-Type: multipart/signed; protocol=\"\(sigType)\"; micalg=sha-256; boundary=b\r\n\r\n"
            for p in parts { m += "--b\r\n" + p + "\r\n" }
            return Array((m + "--b--\r\n").utf8)
        }
        let text = "Content-Type: text/plain\r\n\r\nhi"
        func sig(_ base64: String) -> String {
            "Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64
        }
        let envelopedLooking = Array(
            (head + "Content-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMAA=\r\n").utf8)
        // A real signature, cut short.
        let real = String(decoding: try f.ca.sign(SMIMEVerifierTests.content, by: f.good, headers: []), as: UTF8.self)
        let base64 = real.components(separatedBy: "\r\n\r\n")[3].components(separatedBy: "\r\n\r\n")[0]
        let cases: [(String, [UInt8])] = [
            ("one part", signed([text])),
            ("three parts", signed([text, sig("MAA="), text])),
            ("second part not a signature", signed([text, text])),
            ("empty signature", signed([text, sig("")])),
            ("garbage signature", signed([text, sig("bm90IGEgc2lnbmF0dXJl")])),
            ("truncated signature", signed([text, sig(String(base64.prefix(base64.count / 2)))])),
            ("opaque with garbage", envelopedLooking),
        ]
        for (name, message) in cases {
            let r = verifier.verify(message, now: Date().timeIntervalSince1970)
            guard case .fail(.malformed) = r else { return XCTFail("\(name): expected malformed, got \(r)") }
        }
    }
}
