import COpenSSL

/// Signs Apple configuration profiles: CMS SignedData with the profile attached, DER-encoded
/// (what iOS and macOS show as "Verified" when the chain leads to a CA they trust).
///
/// The certificate file may hold the signer's certificate followed by its intermediates. Files are
/// read at each signing (profile downloads are rare), so a renewed certificate is used at once and
/// nothing mutable is shared between threads; `init` reads them once to fail at startup.
public struct ProfileSigner: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public init(certificatePath: String, keyPath: String) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        _ = try sign([])
    }

    /// The DER CMS SignedData of `content` with the content attached.
    public func sign(_ content: [UInt8]) throws -> [UInt8] {
        ERR_clear_error()
        var certificates = try readPEMCertificates(certificatePath, what: "the profile signing certificate")
        defer { for c in certificates { X509_free(c) } }
        guard !certificates.isEmpty else {
            throw TLSError(
                .configuration, "no PEM certificate in \(certificatePath); put the signing certificate first")
        }
        guard let keyBIO = BIO_new_file(keyPath, "r") else {
            throw TLSError.fromQueue(.configuration, "cannot read the profile signing key \(keyPath)")
        }
        defer { BIO_free(keyBIO) }
        guard let key = PEM_read_bio_PrivateKey(keyBIO, nil, nil, nil) else {
            throw TLSError.fromQueue(.configuration, "no unencrypted PEM private key in \(keyPath)")
        }
        defer { EVP_PKEY_free(key) }
        let signer = certificates.removeFirst()
        defer { X509_free(signer) }
        guard X509_check_private_key(signer, key) == 1 else {
            throw TLSError.fromQueue(
                .configuration, "the key \(keyPath) does not belong to the certificate \(certificatePath)")
        }
        guard let chain = gm_sk_X509_new_null() else { throw TLSError.fromQueue(.configuration, "out of memory") }
        defer { gm_sk_X509_pop_free(chain) }
        for c in certificates where X509_up_ref(c) == 1 { _ = gm_sk_X509_push(chain, c) }
        guard let input = content.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw TLSError.fromQueue(.configuration, "out of memory")
        }
        defer { BIO_free(input) }
        guard let cms = CMS_sign(signer, key, chain, input, UInt32(CMS_BINARY)) else {
            throw TLSError.fromQueue(.configuration, "signing the profile failed")
        }
        defer { CMS_ContentInfo_free(cms) }
        guard let output = BIO_new(BIO_s_mem()) else { throw TLSError.fromQueue(.configuration, "out of memory") }
        defer { BIO_free(output) }
        guard i2d_CMS_bio(output, cms) == 1 else {
            throw TLSError.fromQueue(.configuration, "encoding the signature failed")
        }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = gm_BIO_get_mem_data(output, &pointer)
        guard let pointer, length > 0 else { return [] }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            Array(UnsafeBufferPointer(start: $0, count: length))
        }
    }
}

/// Reads every PEM certificate of a file, in order (a leaf followed by its intermediates). The
/// caller frees each with `X509_free`. `what` names the file in the error ("the certificate").
func readPEMCertificates(_ path: String, what: String) throws -> [OpaquePointer] {
    guard let bio = BIO_new_file(path, "r") else {
        throw TLSError.fromQueue(.configuration, "cannot read \(what) \(path)")
    }
    defer { BIO_free(bio) }
    var out: [OpaquePointer] = []
    while let c = PEM_read_bio_X509(bio, nil, nil, nil) { out.append(c) }
    ERR_clear_error()  // the loop ends with a "no start line" error
    return out
}
