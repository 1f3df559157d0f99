/// The outcome of verifying a message's S/MIME signature, as recorded in `Authentication-Results`
/// (RFC 8601 §2.7 result values; method `smime`, RFC 7281).
public enum SMIMEResult: Sendable, Equatable, CustomStringConvertible {
    /// The message is not S/MIME signed at its top level (see `MessageStructure.isSMIMESigned`).
    case none
    /// Every signature is intact, its certificate chains to a trust anchor and was usable for
    /// e-mail signing at the signing time, and `signer` (an address in the certificate) is the
    /// message's From (or Sender) address.
    case pass(signer: String)
    /// Signed, but the signature cannot be trusted for the reason given.
    case fail(SMIMEFailure)

    /// The RFC 8601 result keyword: `none`, `pass` or `fail`.
    public var keyword: String {
        switch self {
        case .none: return "none"
        case .pass: return "pass"
        case .fail: return "fail"
        }
    }

    public var isPass: Bool { if case .pass = self { return true } else { return false } }

    public var description: String {
        switch self {
        case .none: return "none"
        case .pass(let signer): return "pass (\(signer))"
        case .fail(let reason): return "fail (\(reason))"
        }
    }
}

/// Why a signed message failed verification; the description is the short English reason put in
/// the header comment and the log (never message content).
public enum SMIMEFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The MIME or CMS structure is not a usable signature (the detail says which part).
    case malformed(String)
    /// The content does not match what was signed: altered after signing.
    case signatureMismatch
    /// The signature does not carry the signer's certificate.
    case signerCertificateMissing
    /// The certificate does not chain to a configured trust anchor (`smime.trust_anchors`).
    case untrustedIssuer
    /// A certificate in the chain had expired at the signing time.
    case certificateExpired
    /// A certificate in the chain was not yet valid at the signing time.
    case certificateNotYetValid
    /// The signing time lies too far in the future (more than the allowed clock skew).
    case signingTimeInFuture
    /// Key usage or extended key usage does not allow e-mail signing (emailProtection).
    case notForEmailProtection
    /// A configured CRL lists a certificate of the chain.
    case certificateRevoked
    /// A configured CRL was past its next-update time at the signing time (refresh `smime.crls`).
    case crlOutOfDate
    /// No address in the certificate is the From (or Sender) address.
    case addressMismatch
    /// Any other certificate problem, in OpenSSL's words.
    case certificateRejected(String)

    public var description: String {
        switch self {
        case .malformed(let detail): return "malformed signature: \(detail)"
        case .signatureMismatch: return "message altered after signing"
        case .signerCertificateMissing: return "signer certificate not included"
        case .untrustedIssuer: return "certificate not issued by a trusted CA"
        case .certificateExpired: return "certificate expired at signing time"
        case .certificateNotYetValid: return "certificate not yet valid at signing time"
        case .signingTimeInFuture: return "signing time in the future"
        case .notForEmailProtection: return "certificate not allowed for e-mail signing"
        case .certificateRevoked: return "certificate revoked"
        case .crlOutOfDate: return "revocation list out of date"
        case .addressMismatch: return "signer address is not the From address"
        case .certificateRejected(let why): return "certificate rejected: \(why)"
        }
    }
}
