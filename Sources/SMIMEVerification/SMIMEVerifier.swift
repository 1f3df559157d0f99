import MailCore
import MessageFormat

/// Verifies the S/MIME signature of a whole message (RFC 8551 §3.5): `multipart/signed` with an
/// `application/(x-)pkcs7-signature` part (RFC 1847), or opaque `application/(x-)pkcs7-mime;
/// smime-type=signed-data`. Pure apart from OpenSSL: bytes and a clock reading in, a result out.
///
/// A message passes when, for every signer: the signature matches the content; the certificate
/// may sign e-mail (key usage, emailProtection EKU); it chains to a trust anchor and was valid,
/// and not revoked by a configured CRL, at the signing time (the signed signingTime attribute, or
/// `now` without one); and one of its addresses is the From address (or Sender, RFC 8550 §3).
/// CPU work proportional to the message: run it on a worker pool, never on an I/O queue.
public struct SMIMEVerifier: Sendable {
    public let trust: SMIMETrustStore
    /// How far a signing time may lie ahead of `now` (sender clocks drift) before it is refused.
    public var maxClockSkew: Double

    /// Signers checked at most per message (real mail has one, sometimes two).
    public static let maxSigners = 8

    public init(trust: SMIMETrustStore, maxClockSkew: Double = 3600) {
        self.trust = trust
        self.maxClockSkew = maxClockSkew
    }

    /// Verifies `message` as received at `now` (seconds since 1970).
    public func verify(_ message: [UInt8], now: Double) -> SMIMEResult {
        verify(message, structure: MessageParser.parse(message), now: now)
    }

    /// Verifies `message` whose parsed `structure` the caller already has.
    public func verify(_ message: [UInt8], structure: MessageStructure, now: Double) -> SMIMEResult {
        let root = structure.root
        guard root.isSMIMESignedEntity else { return .none }
        let signed: SignedParts
        switch SignedParts.extract(message, root) {
        case .success(let parts): signed = parts
        case .failure(let failure): return .fail(failure)
        }
        guard let cms = CMSSignedData(der: signed.signature) else {
            return .fail(.malformed("the signature is not CMS signed-data"))
        }
        // Each signer costs a signature check and a chain walk: a hostile message gets a few, not thousands.
        guard cms.signerInfoCount <= Self.maxSigners else {
            return .fail(.malformed("more than \(Self.maxSigners) signers"))
        }
        if let failure = cms.verifySignatures(detachedContent: signed.content) { return .fail(failure) }
        let signers = cms.signers()
        guard !signers.isEmpty else { return .fail(.signerCertificateMissing) }

        let allowed = Self.claimedAddresses(structure)
        return cms.withCarriedCertificates { untrusted -> SMIMEResult in
            var matched: String?
            for signer in signers {
                let cert = SignerCertificate(certificate: signer.certificate)
                if let t = signer.signingTime, t > now + maxClockSkew { return .fail(.signingTimeInFuture) }
                guard cert.allowsEmailSigning else { return .fail(.notForEmailProtection) }
                if let failure = cert.verifyChain(trust: trust, untrusted: untrusted, at: signer.signingTime ?? now) {
                    return .fail(failure)
                }
                guard let address = cert.emailAddresses.first(where: { allowed.contains($0) }) else {
                    return .fail(.addressMismatch)
                }
                matched = matched ?? address
            }
            return matched.map { .pass(signer: $0) } ?? .fail(.addressMismatch)
        }
    }

    /// The From addresses, and the Sender address, lowercased: a signer must be one of them.
    static func claimedAddresses(_ structure: MessageStructure) -> Set<String> {
        var out = Set(structure.headerFromAddresses.map { $0.address.lowercased() })
        for field in structure.header.all("Sender") {
            for entry in AddressList.parse(field.unfoldedValueBytes) {
                for mailbox in entry.mailboxes { out.insert(mailbox.address.lowercased()) }
            }
        }
        return out
    }
}

/// The two halves of a signed message: the content that was signed (nil when it is inside the
/// CMS, opaque signed-data) and the DER signature.
struct SignedParts {
    let content: ArraySlice<UInt8>?
    let signature: [UInt8]

    static func extract(_ message: [UInt8], _ root: MessagePart) -> Result<SignedParts, SMIMEFailure> {
        guard root.contentType.isMultipart else {
            // Opaque signed-data (RFC 8551 §3.5.2): the body is the CMS, content included.
            let der = TransferDecoding.decode(message[root.bodyRange], encoding: root.contentTransferEncoding)
            return .success(SignedParts(content: nil, signature: der))
        }
        // multipart/signed (RFC 1847 §2.1): exactly two parts, the first signed as it stands
        // (MIME header included, the CRLF before the boundary excluded), the second the signature.
        guard root.parts.count == 2 else {
            return .failure(.malformed("multipart/signed needs exactly two parts, found \(root.parts.count)"))
        }
        let body = root.parts[0], sig = root.parts[1]
        let sigType = sig.contentType
        guard sigType.type == "application",
            sigType.subtype == "pkcs7-signature" || sigType.subtype == "x-pkcs7-signature"
        else {
            return .failure(.malformed("the second part is \(sigType.mimeType), not application/pkcs7-signature"))
        }
        let der = TransferDecoding.decode(message[sig.bodyRange], encoding: sig.contentTransferEncoding)
        return .success(
            SignedParts(content: message[body.headerRange.lowerBound..<body.bodyRange.upperBound], signature: der))
    }
}
