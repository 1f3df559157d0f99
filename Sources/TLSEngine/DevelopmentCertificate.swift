import COpenSSL

/// A self-signed certificate and key for development and tests (`govmail cert dev`), made with
/// OpenSSL's C API: EC P-256 key, SHA-256 signature, SAN = the host name and 127.0.0.1.
public struct DevelopmentCertificate: Sendable {
    /// PEM certificate.
    public let certificatePEM: String
    /// PEM private key (PKCS#8, unencrypted): store it with mode 0600.
    public let privateKeyPEM: String

    /// Generates a new key and a certificate for `host`, valid from now for `days`.
    public static func generate(host: String, days: Int = 825) throws -> DevelopmentCertificate {
        ERR_clear_error()
        guard let key = gm_EVP_EC_gen("P-256") else {
            throw TLSError.fromQueue(.configuration, "cannot generate an EC P-256 key")
        }
        defer { EVP_PKEY_free(key) }
        guard let x509 = X509_new() else { throw TLSError.fromQueue(.configuration, "cannot create a certificate") }
        defer { X509_free(x509) }

        _ = X509_set_version(x509, 2)  // X.509 v3
        var serial = [UInt8](repeating: 0, count: 16)
        _ = RAND_bytes(&serial, Int32(serial.count))
        serial[0] &= 0x7f
        if let bn = BN_bin2bn(serial, Int32(serial.count), nil) {
            _ = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509))
            BN_free(bn)
        }
        _ = X509_gmtime_adj(X509_getm_notBefore(x509), -3600)
        _ = X509_gmtime_adj(X509_getm_notAfter(x509), days * 86_400)
        _ = X509_set_pubkey(x509, key)

        let name = X509_get_subject_name(x509)
        let cn = String(host.prefix(64))
        _ = X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, "GovMail development", -1, -1, 0)
        _ = X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn, -1, -1, 0)
        _ = X509_set_issuer_name(x509, name)

        var san = isIPAddress(host) ? ["IP:\(host)"] : ["DNS:\(host)"]
        if host != "127.0.0.1" { san.append("IP:127.0.0.1") }
        let extensions: [(Int32, String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_alt_name, san.joined(separator: ",")),
        ]
        var v3 = X509V3_CTX()
        gm_X509V3_set_ctx_nodb(&v3)
        X509V3_set_ctx(&v3, x509, x509, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else {
                throw TLSError.fromQueue(.configuration, "cannot build certificate extension \(value)")
            }
            _ = X509_add_ext(x509, ext, -1)
            X509_EXTENSION_free(ext)
        }
        guard X509_sign(x509, key, EVP_sha256()) > 0 else {
            throw TLSError.fromQueue(.configuration, "cannot sign the certificate")
        }

        let certPEM = try pem { PEM_write_bio_X509($0, x509) }
        let keyPEM = try pem { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
        return DevelopmentCertificate(certificatePEM: certPEM, privateKeyPEM: keyPEM)
    }

    private static func pem(_ write: (OpaquePointer?) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw TLSError.fromQueue(.configuration, "cannot allocate a buffer")
        }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw TLSError.fromQueue(.configuration, "cannot encode PEM") }
        var ptr: UnsafeMutablePointer<CChar>?
        let len = gm_BIO_get_mem_data(bio, &ptr)
        guard let ptr, len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: ptr, count: Int(len)), as: UTF8.self)
    }

    private static func isIPAddress(_ s: String) -> Bool {
        if s.contains(":") { return s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
