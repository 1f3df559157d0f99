import COpenSSL

/// One TLS connection as a memory-BIO engine: ciphertext in, plaintext out, and back. No sockets.
///
/// Not thread-safe: confine a session to one serial queue. OpenSSL's error queue is per thread,
/// so every call clears it first and reads the result in the same call.
public final class TLSSession {
    /// What one step of the engine produced. `ciphertext` must be sent to the peer even when
    /// `failure` is set (it may carry an alert).
    public struct Output: Sendable {
        public var plaintext: [UInt8] = []
        public var ciphertext: [UInt8] = []
        /// The handshake finished during this step.
        public var handshakeCompleted = false
        /// The peer sent close_notify: no more plaintext will come.
        public var peerClosed = false
        /// The session failed and must not be used again (the transport should be closed).
        public var failure: TLSError?
        public init() {}
    }

    private let ssl: OpaquePointer
    private var rbio: OpaquePointer
    private var wbio: OpaquePointer
    /// Bytes that went through the BIOs since they were (re)created; big BIO buffers are dropped when idle.
    private var rbioThroughput = 0
    private var wbioThroughput = 0
    public private(set) var isHandshakeComplete = false
    public private(set) var hasFailed = false
    public private(set) var isClosed = false
    public let role: TLSContext.Role
    /// The context this session was created from (kept alive for the session's lifetime).
    public let context: TLSContext

    /// A server or client session (depending on the context's role). `resuming` offers a saved session (client only).
    public init(context: TLSContext, serverName: String? = nil, resuming: TLSSavedSession? = nil) throws {
        ERR_clear_error()
        guard let ssl = SSL_new(context.ctx) else {
            throw TLSError.fromQueue(.configuration, "cannot create a TLS session")
        }
        guard let r = BIO_new(BIO_s_mem()), let w = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError.fromQueue(.configuration, "cannot create TLS memory buffers")
        }
        // Empty read BIO means "want more", not EOF; EOF is signalled explicitly by receiveEOF().
        _ = gm_BIO_set_mem_eof_return(r, -1)
        _ = gm_BIO_set_mem_eof_return(w, -1)
        SSL_set_bio(ssl, r, w)
        self.ssl = ssl; self.rbio = r; self.wbio = w
        self.role = context.role
        self.context = context
        if context.role == .server {
            SSL_set_accept_state(ssl)
        } else {
            SSL_set_connect_state(ssl)
            if let serverName {
                _ = gm_SSL_set_tlsext_host_name(ssl, serverName)
                // The certificate must name the host we meant to reach, not just chain to a trusted CA
                // (checked only when the context verifies peers).
                _ = SSL_set1_host(ssl, serverName)
            }
            if let resuming { _ = SSL_set_session(ssl, resuming.session) }
        }
    }

    deinit { SSL_free(ssl) }

    /// Starts the handshake; a client gets its ClientHello to send. A server needs no call (it waits for the peer).
    public func startHandshake() -> Output {
        var out = Output()
        advance(&out)
        return out
    }

    /// Feeds ciphertext from the peer and runs the engine: handshake progress, then every complete record as plaintext.
    public func receive<C: Collection>(_ ciphertext: C) -> Output where C.Element == UInt8 {
        var out = Output()
        guard !hasFailed else { out.failure = TLSError(.protocolFailure, "TLS session already failed"); return out }
        if !ciphertext.isEmpty {
            let written: Int32 =
                ciphertext.withContiguousStorageIfAvailable { buf in
                    BIO_write(rbio, buf.baseAddress, Int32(buf.count))
                } ?? Array(ciphertext).withUnsafeBytes { BIO_write(rbio, $0.baseAddress, Int32($0.count)) }
            rbioThroughput += Int(max(written, 0))
        }
        advance(&out)
        trimBuffers()
        return out
    }

    /// The transport reached EOF: a session that did not see close_notify reports `.unexpectedEOF`.
    public func receiveEOF() -> Output {
        var out = Output()
        _ = gm_BIO_set_mem_eof_return(rbio, 0)
        if !hasFailed && !isClosed {
            advance(&out)
            if out.failure == nil && !out.peerClosed {
                out.failure = TLSError(.unexpectedEOF, "peer closed the connection without TLS close_notify")
            }
        }
        hasFailed = true
        return out
    }

    /// Encrypts plaintext for the peer. Only valid after the handshake completed.
    public func send<C: Collection>(_ plaintext: C) throws(TLSError) -> [UInt8] where C.Element == UInt8 {
        guard isHandshakeComplete, !hasFailed, !isClosed else {
            throw TLSError(.protocolFailure, "cannot send on a TLS session that is not established")
        }
        let bytes = Array(plaintext)
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            var written = 0
            let rc = bytes.withUnsafeBytes { buf in
                SSL_write_ex(ssl, buf.baseAddress! + offset, buf.count - offset, &written)
            }
            if rc != 1 {
                let err = SSL_get_error(ssl, rc)
                hasFailed = true
                throw TLSError.fromQueue(.protocolFailure, "TLS write failed (error \(err))")
            }
            offset += written
        }
        let out = drainWriteBuffer()
        trimBuffers()
        return out
    }

    /// Sends close_notify (once). The returned bytes go to the peer before the transport closes.
    public func close() -> [UInt8] {
        guard isHandshakeComplete, !hasFailed, !isClosed else { return [] }
        isClosed = true
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        return drainWriteBuffer()
    }

    /// The negotiated protocol, e.g. "TLSv1.3" (nil before the handshake completed).
    public var protocolVersion: String? {
        isHandshakeComplete ? String(cString: SSL_get_version(ssl)) : nil
    }

    /// The negotiated cipher suite, e.g. "TLS_AES_256_GCM_SHA384".
    public var cipherName: String? {
        guard isHandshakeComplete, let c = gm_SSL_get_cipher_name(ssl) else { return nil }
        return String(cString: c)
    }

    /// True when the handshake resumed an earlier session (ticket or session id).
    public var isResumed: Bool { SSL_session_reused(ssl) == 1 }

    /// The session to offer on a later connection (client role; after the handshake and at least one read).
    public func savedSession() -> TLSSavedSession? {
        guard let s = SSL_get1_session(ssl) else { return nil }
        return TLSSavedSession(s)
    }

    // MARK: - engine

    private func advance(_ out: inout Output) {
        if !isHandshakeComplete {
            ERR_clear_error()
            let rc = SSL_do_handshake(ssl)
            if rc == 1 {
                isHandshakeComplete = true
                out.handshakeCompleted = true
            } else {
                let err = SSL_get_error(ssl, rc)
                if err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE {
                    fail(&out, err, "TLS handshake failed")
                }
                out.ciphertext += drainWriteBuffer()
                return
            }
            out.ciphertext += drainWriteBuffer()
        }
        // Loop SSL_read until it wants more input: SSL_pending can be 0 while a record is buffered.
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            ERR_clear_error()
            var n = 0
            let rc = buffer.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &n) }
            let err = rc == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl, rc)
            out.ciphertext += drainWriteBuffer()
            if rc == 1 {
                out.plaintext += buffer[0..<n]
                continue
            }
            switch err {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                return
            case SSL_ERROR_ZERO_RETURN:
                out.peerClosed = true
                return
            default:
                fail(&out, err, "TLS read failed")
                return
            }
        }
    }

    private func fail(_ out: inout Output, _ err: Int32, _ context: String) {
        hasFailed = true
        let e = TLSError.fromQueue(.protocolFailure, context)
        if e.message.contains("unexpected eof") {
            out.failure = TLSError(.unexpectedEOF, "peer closed the connection without TLS close_notify")
        } else if err == SSL_ERROR_SYSCALL && e.message == context {
            out.failure = TLSError(.unexpectedEOF, "\(context): the transport ended")
        } else {
            out.failure = e
        }
    }

    private func drainWriteBuffer() -> [UInt8] {
        let pending = Int(gm_BIO_pending(wbio))
        guard pending > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: pending)
        let n = out.withUnsafeMutableBytes { BIO_read(wbio, $0.baseAddress, Int32(pending)) }
        if n < pending { out.removeLast(pending - Int(max(n, 0))) }
        wbioThroughput += out.count
        return out
    }

    /// A memory BIO keeps its largest allocation; replace busy BIOs once empty so idle sessions stay small.
    private func trimBuffers() {
        if rbioThroughput > 8192, gm_BIO_pending(rbio) == 0, let fresh = BIO_new(BIO_s_mem()) {
            _ = gm_BIO_set_mem_eof_return(fresh, -1)
            SSL_set0_rbio(ssl, fresh)  // frees the old one
            rbio = fresh
            rbioThroughput = 0
        }
        if wbioThroughput > 8192, gm_BIO_pending(wbio) == 0, let fresh = BIO_new(BIO_s_mem()) {
            _ = gm_BIO_set_mem_eof_return(fresh, -1)
            SSL_set0_wbio(ssl, fresh)
            wbio = fresh
            wbioThroughput = 0
        }
    }
}

/// A client's saved TLS session, offered on a later connection to resume it.
public final class TLSSavedSession: @unchecked Sendable {
    let session: OpaquePointer
    init(_ s: OpaquePointer) { session = s }
    deinit { SSL_SESSION_free(session) }
}
