import COpenSSL

/// When a PEM certificate stops being valid, for readiness checks (`/readyz`) and warnings.
public enum CertificateExpiry {
    /// Seconds from now until the first certificate in the PEM file at `path` expires (negative
    /// once it has). Uses the system clock, as the TLS handshake itself does.
    public static func secondsRemaining(pemPath path: String) throws -> Int {
        ERR_clear_error()
        let certificates = try readPEMCertificates(path, what: "the certificate file")
        defer { for c in certificates { X509_free(c) } }
        guard let x509 = certificates.first else {
            throw TLSError(.configuration, "no PEM certificate in \(path)")
        }
        var days: Int32 = 0
        var seconds: Int32 = 0
        guard ASN1_TIME_diff(&days, &seconds, nil, X509_get0_notAfter(x509)) == 1 else {
            throw TLSError.fromQueue(.configuration, "the certificate in \(path) has an unreadable expiry date")
        }
        return Int(days) * 86_400 + Int(seconds)
    }
}
