import COpenSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One CMS SignedData structure (RFC 5652 §5) parsed from DER, checked with the system OpenSSL.
/// Owns its `CMS_ContentInfo`; not shared between threads (one per verification).
final class CMSSignedData {
    /// A signer after `verifySignatures()`: its certificate (owned by the CMS) and signing time.
    struct Signer {
        let certificate: OpaquePointer
        /// The signed `signingTime` attribute (RFC 5652 §11.3) in seconds since 1970, when present.
        let signingTime: Double?
    }

    private let cms: OpaquePointer

    /// Parses DER; nil when it is not CMS at all, or CMS of another type (e.g. enveloped data).
    init?(der: [UInt8]) {
        ERR_clear_error()
        let parsed: OpaquePointer? = der.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, let bio = BIO_new_mem_buf(base, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return d2i_CMS_bio(bio, nil)
        }
        ERR_clear_error()
        guard let parsed else { return nil }
        guard OBJ_obj2nid(CMS_get0_type(parsed)) == NID_pkcs7_signed else {
            CMS_ContentInfo_free(parsed)
            return nil
        }
        cms = parsed
    }

    deinit { CMS_ContentInfo_free(cms) }

    /// Checks every signature over the content — `detachedContent` for multipart/signed, the
    /// embedded content for opaque signed-data — and finds each signer's certificate in the CMS.
    /// Certificates are not judged here (see `verifyChain`). Returns nil when all signatures hold.
    func verifySignatures(detachedContent: ArraySlice<UInt8>?) -> SMIMEFailure? {
        // Binary: the content is checked exactly as it arrived (SMTP delivers canonical CRLF text).
        let flags = UInt32(CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY)
        ERR_clear_error()
        let ok: Int32
        if let detachedContent {
            ok = detachedContent.withUnsafeBytes { raw -> Int32 in
                // A zero-length buffer still needs a valid pointer for BIO_new_mem_buf.
                let base = raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
                guard let bio = BIO_new_mem_buf(base, Int32(raw.count)) else { return 0 }
                defer { BIO_free(bio) }
                return CMS_verify(cms, nil, nil, bio, nil, flags)
            }
        } else {
            ok = CMS_verify(cms, nil, nil, nil, nil, flags)
        }
        if ok == 1 {
            ERR_clear_error()
            return nil
        }
        var reasons: [Int32] = []
        var first: String?
        while case let e = ERR_get_error(), e != 0 {
            reasons.append(ERR_GET_REASON(e))
            if first == nil, let s = ERR_reason_error_string(e) { first = String(cString: s) }
        }
        if reasons.contains(CMS_R_SIGNER_CERTIFICATE_NOT_FOUND) { return .signerCertificateMissing }
        if reasons.contains(CMS_R_CONTENT_VERIFY_ERROR) || reasons.contains(CMS_R_VERIFICATION_FAILURE) {
            return .signatureMismatch
        }
        if reasons.contains(CMS_R_NO_CONTENT) { return .malformed("no signed content") }
        return .malformed(first ?? "the signature could not be checked")
    }

    /// How many SignerInfos the structure holds (checked before any costly work).
    var signerInfoCount: Int {
        guard let infos = CMS_get0_SignerInfos(cms) else { return 0 }
        return Int(gm_sk_CMS_SignerInfo_num(infos))
    }

    /// Each signer with its certificate; valid after `verifySignatures()` returned nil.
    func signers() -> [Signer] {
        guard let infos = CMS_get0_SignerInfos(cms) else { return [] }
        var out: [Signer] = []
        for i in 0..<gm_sk_CMS_SignerInfo_num(infos) {
            guard let si = gm_sk_CMS_SignerInfo_value(infos, i) else { continue }
            var cert: OpaquePointer?
            CMS_SignerInfo_get0_algs(si, nil, &cert, nil, nil)
            guard let cert else { continue }
            out.append(Signer(certificate: cert, signingTime: Self.signingTime(si)))
        }
        return out
    }

    /// Runs `body` with the certificates the CMS carries (the chain a signer sent along), as an
    /// OpenSSL stack or nil, and frees them afterwards.
    func withCarriedCertificates<R>(_ body: (OpaquePointer?) -> R) -> R {
        let stack = CMS_get1_certs(cms)
        defer { if let stack { gm_sk_X509_pop_free(stack) } }
        return body(stack)
    }

    private static func signingTime(_ si: OpaquePointer) -> Double? {
        let index = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1)
        guard index >= 0, let attr = CMS_signed_get_attr(si, index),
            let time = gm_ASN1_TYPE_get_time(X509_ATTRIBUTE_get0_type(attr, 0))
        else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Double(timegm(&parts))
    }
}
