import COpenSSL

/// What S/MIME asks of a signer's certificate (RFC 8550 §3, §4.4), read with OpenSSL.
/// `certificate` is borrowed (owned by the CMS structure it came from).
struct SignerCertificate {
    let certificate: OpaquePointer

    /// The mail addresses the certificate names: subjectAltName rfc822Name entries and subject
    /// emailAddress attributes (RFC 8550 §3), lowercased for comparison.
    var emailAddresses: [String] {
        guard let list = X509_get1_email(certificate) else { return [] }
        defer { X509_email_free(list) }
        var out: [String] = []
        for i in 0..<gm_sk_OPENSSL_STRING_num(list) {
            if let s = gm_sk_OPENSSL_STRING_value(list, i) { out.append(String(cString: s).lowercased()) }
        }
        return out
    }

    /// Key usage, when present, must allow digitalSignature or nonRepudiation (RFC 8550 §4.4.2);
    /// extended key usage, when present, must include emailProtection (RFC 8550 §4.4.4).
    /// (The chain check asks the same of OpenSSL's smime_sign purpose; this gives the precise reason.)
    var allowsEmailSigning: Bool {
        let flags = X509_get_extension_flags(certificate)
        if flags & UInt32(EXFLAG_KUSAGE) != 0
            && X509_get_key_usage(certificate) & UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION) == 0
        {
            return false
        }
        if flags & UInt32(EXFLAG_XKUSAGE) != 0 && X509_get_extended_key_usage(certificate) & UInt32(XKU_SMIME) == 0 {
            return false
        }
        return true
    }

    /// Verifies the chain from this certificate to a trust anchor of `trust` as it stood at
    /// `time`, for the smime_sign purpose, with the CRLs of `trust` when it has any.
    /// `untrusted` are intermediate certificates the signer sent along.
    func verifyChain(trust: SMIMETrustStore, untrusted: OpaquePointer?, at time: Double) -> SMIMEFailure? {
        guard let ctx = X509_STORE_CTX_new() else { return .certificateRejected("out of memory") }
        defer { X509_STORE_CTX_free(ctx) }
        ERR_clear_error()
        guard X509_STORE_CTX_init(ctx, trust.store, certificate, untrusted) == 1,
            X509_STORE_CTX_set_default(ctx, "smime_sign") == 1
        else {
            ERR_clear_error()
            return .certificateRejected("the verification could not start")
        }
        X509_STORE_CTX_set_time(ctx, 0, time_t(time))
        var flags = UInt(X509_V_FLAG_PARTIAL_CHAIN)
        if trust.crlCount > 0 { flags |= UInt(X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL) }
        X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), flags)
        X509_STORE_CTX_set_verify_cb(ctx, gm_smime_verify_cb)
        let ok = X509_verify_cert(ctx)
        let error = X509_STORE_CTX_get_error(ctx)
        ERR_clear_error()
        guard ok != 1 else { return nil }
        return Self.failure(forVerifyError: error)
    }

    static func failure(forVerifyError e: Int32) -> SMIMEFailure {
        switch e {
        case X509_V_ERR_CERT_HAS_EXPIRED: return .certificateExpired
        case X509_V_ERR_CERT_NOT_YET_VALID: return .certificateNotYetValid
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
            X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            return .untrustedIssuer
        case X509_V_ERR_INVALID_PURPOSE: return .notForEmailProtection
        case X509_V_ERR_CERT_REVOKED: return .certificateRevoked
        case X509_V_ERR_CRL_HAS_EXPIRED: return .crlOutOfDate
        default:
            return .certificateRejected(
                X509_verify_cert_error_string(Int(e)).map { String(cString: $0) } ?? "error \(e)")
        }
    }
}
