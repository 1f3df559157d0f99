import GovMailConfig
import Logging
import SMIMEVerification
import Synchronization

/// The S/MIME verifier in use. SIGHUP re-reads `smime.trust_anchors` and `smime.crls` (a refreshed
/// CRL needs no restart); new SMTP connections use the new files, open ones keep theirs, as with
/// the TLS certificate. A file that fails to load leaves the previous verifier in place.
public final class SMIMETrust: Sendable {
    private let config: Config
    private let state: Mutex<SMIMEVerifier?>

    init(config: Config) throws {
        self.config = config
        state = Mutex(try SMTPSignatureCheck.verifier(config))
    }

    /// The verifier for a new connection; nil when verification is off.
    public var current: SMIMEVerifier? { state.withLock { $0 } }

    /// Loads the configured files again; logs what it loaded, or why it kept the previous ones.
    public func reload(logger: Logger) {
        guard config.smime.isEnabled else { return }
        do {
            let fresh = try SMTPSignatureCheck.verifier(config)
            state.withLock { $0 = fresh }
            logger.info(
                "S/MIME trust anchors and CRLs reloaded",
                metadata: [
                    "anchors": "\(fresh?.trust.anchorCount ?? 0)", "crls": "\(fresh?.trust.crlCount ?? 0)",
                ])
        } catch {
            logger.error(
                "S/MIME reload failed; still using the previous trust anchors and CRLs",
                metadata: ["error": "\(error)"])
        }
    }
}
