import COpenSSL

/// The CAs S/MIME signatures must chain to (`smime.trust_anchors`) and the revocation lists to
/// apply (`smime.crls`), loaded once into an OpenSSL `X509_STORE`.
///
/// Every configured certificate is a trust anchor, an intermediate CA too (partial chains are
/// allowed), so an operator can trust one sub-CA of a hierarchy without its root. The store is only
/// read after loading; OpenSSL's store is safe to share between threads for verification.
public final class SMIMETrustStore: @unchecked Sendable {
    let store: OpaquePointer
    /// Certificates loaded from `smime.trust_anchors`.
    public let anchorCount: Int
    /// Revocation lists loaded from `smime.crls`.
    public let crlCount: Int

    /// Loads every certificate of the PEM files `anchorFiles` and every CRL of the PEM files
    /// `crlFiles`; a file that cannot be read or holds none is an error that names it.
    public init(anchorFiles: [String], crlFiles: [String]) throws {
        guard let store = X509_STORE_new() else { throw SMIMETrustStoreError("cannot create a certificate store") }
        self.store = store
        var anchors = 0, crls = 0
        do {
            for path in anchorFiles {
                let n = try Self.readPEM(path, key: "smime.trust_anchors", what: "certificate") { bio in
                    guard let cert = PEM_read_bio_X509(bio, nil, nil, nil) else { return false }
                    defer { X509_free(cert) }
                    return X509_STORE_add_cert(store, cert) == 1
                }
                anchors += n
            }
            for path in crlFiles {
                let n = try Self.readPEM(path, key: "smime.crls", what: "revocation list (CRL)") { bio in
                    guard let crl = PEM_read_bio_X509_CRL(bio, nil, nil, nil) else { return false }
                    defer { X509_CRL_free(crl) }
                    return X509_STORE_add_crl(store, crl) == 1
                }
                crls += n
            }
        } catch {
            X509_STORE_free(store)
            throw error
        }
        anchorCount = anchors
        crlCount = crls
    }

    deinit { X509_STORE_free(store) }

    /// Reads PEM objects with `next` until it returns false; returns how many were read.
    private static func readPEM(
        _ path: String, key: String, what: String, next: (OpaquePointer) -> Bool
    ) throws -> Int {
        ERR_clear_error()
        guard let bio = BIO_new_file(path, "r") else {
            ERR_clear_error()
            throw SMIMETrustStoreError("\(key): cannot read \(path); check that the file exists and is readable")
        }
        defer { BIO_free(bio) }
        var count = 0
        while next(bio) { count += 1 }
        // The loop ends at "no start line" (end of file); anything else is a broken PEM block.
        let err = ERR_peek_last_error()
        ERR_clear_error()
        if err != 0 && ERR_GET_REASON(err) != PEM_R_NO_START_LINE {
            throw SMIMETrustStoreError(
                "\(key): \(path) has a damaged PEM block after \(count) good one(s); export the file again in PEM format"
            )
        }
        guard count > 0 else {
            throw SMIMETrustStoreError(
                "\(key): \(path) holds no PEM \(what); give a file with -----BEGIN lines (convert DER with openssl)")
        }
        return count
    }
}

/// A trust anchor or CRL file that cannot be used; the message names the key, the file and the fix.
public struct SMIMETrustStoreError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
