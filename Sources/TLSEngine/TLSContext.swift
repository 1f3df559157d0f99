import COpenSSL
import Foundation

/// Lowest TLS version a context accepts; 1.0 and 1.1 are never offered.
public enum TLSMinimumVersion: String, Sendable, CaseIterable {
    case v1_2 = "1.2", v1_3 = "1.3"
    var openSSLValue: Int32 { self == .v1_2 ? TLS1_2_VERSION : TLS1_3_VERSION }
}

/// The TLS 1.2 suites a server offers: Mozilla's "intermediate" list (ECDHE/DHE with AES-GCM or
/// ChaCha20-Poly1305), no CBC (Lucky13 and padding-oracle class), no RSA key exchange (no forward
/// secrecy), nothing without AEAD. TLS 1.3 suites are all AEAD and keep OpenSSL's defaults.
public let tls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    + "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305"

/// An OpenSSL `SSL_CTX`: shared, immutable after creation, safe to use from any thread.
///
/// Server contexts hold one certificate chain and key; replacing them (SIGHUP) means building a new
/// context, while connections already open keep the one they started with.
public final class TLSContext: @unchecked Sendable {
    public enum Role: Sendable { case server, client }
    public let role: Role
    let ctx: OpaquePointer

    private init(role: Role, ctx: OpaquePointer) { self.role = role; self.ctx = ctx }
    deinit { SSL_CTX_free(ctx) }

    /// A server context from a PEM certificate chain and a PEM private key.
    ///
    /// TLS 1.2 minimum (or `minimumVersion`), server cipher preference, TLS 1.2 limited to
    /// `tls12Ciphers` (forward-secret AEAD only), no compression, no renegotiation, session tickets on.
    public static func server(
        certificateChainPath: String, privateKeyPath: String,
        minimumVersion: TLSMinimumVersion = .v1_2
    ) throws -> TLSContext {
        for (what, path) in [("certificate", certificateChainPath), ("private key", privateKeyPath)] {
            guard FileManager.default.isReadableFile(atPath: path) else {
                let exists = FileManager.default.fileExists(atPath: path)
                throw TLSError(
                    .configuration,
                    exists
                        ? "cannot read the TLS \(what) \(path) (permission denied); make it readable by the govmail user"
                        : "the TLS \(what) \(path) does not exist; set tls.\(what == "certificate" ? "certificate" : "key") in the configuration or run `govmail cert dev --host NAME` for a development certificate"
                )
            }
        }
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_server_method()) else {
            throw TLSError.fromQueue(.configuration, "cannot create a TLS context")
        }
        let context = TLSContext(role: .server, ctx: ctx)
        try context.applyCommonSettings(minimumVersion: minimumVersion)
        _ = SSL_CTX_set_options(ctx, GM_SSL_OP_CIPHER_SERVER_PREFERENCE)
        ERR_clear_error()
        guard SSL_CTX_set_cipher_list(ctx, tls12Ciphers) == 1 else {
            throw TLSError.fromQueue(.configuration, "this OpenSSL offers none of the TLS 1.2 AEAD cipher suites")
        }
        _ = gm_SSL_CTX_set_dh_auto(ctx, 1)  // DHE suites use the built-in group matching the key size
        _ = gm_SSL_CTX_set_session_cache_mode(ctx, GM_SSL_SESS_CACHE_SERVER)
        // TLS 1.3 and 1.2 tickets, encrypted with the process-wide rotating keys (TicketKeyRing),
        // so they survive a certificate reload and every key is retired after two lifetimes.
        _ = SSL_CTX_set_num_tickets(ctx, 2)
        TicketKeyRing.shared.install(on: ctx)
        var sid = Array("govmail".utf8)
        _ = SSL_CTX_set_session_id_context(ctx, &sid, UInt32(sid.count))

        ERR_clear_error()
        guard SSL_CTX_use_certificate_chain_file(ctx, certificateChainPath) == 1 else {
            throw TLSError.fromQueue(
                .configuration,
                "cannot load the TLS certificate chain \(certificateChainPath); it must be PEM with the server certificate first"
            )
        }
        ERR_clear_error()
        guard SSL_CTX_use_PrivateKey_file(ctx, privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            let e = TLSError.fromQueue(
                .configuration,
                "cannot load the TLS private key \(privateKeyPath); it must be an unencrypted PEM key")
            if e.message.contains("key values mismatch") {
                throw TLSError(
                    .configuration,
                    "the private key \(privateKeyPath) does not match the certificate \(certificateChainPath); configure the key that belongs to this certificate"
                )
            }
            throw e
        }
        ERR_clear_error()
        guard SSL_CTX_check_private_key(ctx) == 1 else {
            throw TLSError.fromQueue(
                .configuration,
                "the private key \(privateKeyPath) does not match the certificate \(certificateChainPath); configure the key that belongs to this certificate"
            )
        }
        return context
    }

    /// A client context (tests, benchmarks, later the SMTP relay client).
    /// With `verifyPeer` false the server certificate is not checked: use only on loopback and in tests.
    /// `caFile` adds a PEM bundle of trusted certificates (e.g. an internal CA) to the system's.
    /// Sessions made with a `serverName` also check that the certificate names that host.
    public static func client(
        minimumVersion: TLSMinimumVersion = .v1_2, maximumVersion: TLSMinimumVersion? = nil,
        verifyPeer: Bool = true, caFile: String? = nil
    ) throws -> TLSContext {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError.fromQueue(.configuration, "cannot create a TLS context")
        }
        let context = TLSContext(role: .client, ctx: ctx)
        try context.applyCommonSettings(minimumVersion: minimumVersion)
        if let maximumVersion { _ = gm_SSL_CTX_set_max_proto_version(ctx, maximumVersion.openSSLValue) }
        if verifyPeer {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nil)
            _ = SSL_CTX_set_default_verify_paths(ctx)
            if let caFile, SSL_CTX_load_verify_locations(ctx, caFile, nil) != 1 {
                throw TLSError.fromQueue(
                    .configuration,
                    "cannot load trusted certificates from \(caFile); check that it is a readable PEM file")
            }
        } else {
            SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
        }
        _ = gm_SSL_CTX_set_session_cache_mode(ctx, GM_SSL_SESS_CACHE_CLIENT)
        return context
    }

    private func applyCommonSettings(minimumVersion: TLSMinimumVersion) throws {
        guard gm_SSL_CTX_set_min_proto_version(ctx, minimumVersion.openSSLValue) == 1 else {
            throw TLSError.fromQueue(.configuration, "cannot set the minimum TLS version")
        }
        _ = SSL_CTX_set_options(ctx, GM_SSL_OP_NO_COMPRESSION | GM_SSL_OP_NO_RENEGOTIATION)
        // Idle connections give their 16 KiB record buffers back; partial writes never happen with memory BIOs.
        _ = gm_SSL_CTX_set_mode(ctx, GM_SSL_MODE_RELEASE_BUFFERS | GM_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER)
    }

    /// Sessions cached by a server context and how many handshakes resumed one (benchmarks, tests).
    public var sessionStatistics: (cached: Int, hits: Int, accepted: Int) {
        (Int(gm_SSL_CTX_sess_number(ctx)), Int(gm_SSL_CTX_sess_hits(ctx)), Int(gm_SSL_CTX_sess_accept(ctx)))
    }
}
