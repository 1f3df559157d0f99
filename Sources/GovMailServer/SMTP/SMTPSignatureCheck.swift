import GovMailConfig
import Logging
import MessageFormat
import SMIMEVerification
import SMTPProtocol

/// The S/MIME step of SMTP delivery (issue 17), run on the storage pool just before the message is
/// stored: removes any Authentication-Results a client supplied in this server's name (RFC 8601 §5:
/// no forged results), verifies the signature and records the result at the top of the message.
///
/// - A failure never refuses or delays delivery: it is recorded in the header, the log and the
///   usage counters (signed, signed and verified).
/// - Without `smime.trust_anchors` nothing is verified and no smime result is added; forged
///   fields are removed all the same.
struct SMTPSignatureCheck: Sendable {
    let hostname: String
    let verifier: SMIMEVerifier?
    let logger: Logger

    /// The delivery to store and what the usage counters learn from it.
    struct Outcome: Sendable {
        let delivery: Delivery
        let signed: Bool
        let verified: Bool
    }

    /// `delivery` with its message checked and stamped; `now` is the arrival time.
    func apply(to delivery: Delivery, now: Double) -> Outcome {
        var checked = delivery
        let message = apply(to: delivery.message, transactionID: delivery.transactionID, now: now)
        checked.message = message.bytes
        return Outcome(delivery: checked, signed: message.signed, verified: message.verified)
    }

    func apply(to message: [UInt8], transactionID: String, now: Double) -> (
        bytes: [UInt8], signed: Bool, verified: Bool
    ) {
        let cleaned = AuthenticationResults.removingFields(of: hostname, from: message)
        let structure = MessageParser.parse(cleaned)
        let signed = structure.isSMIMESigned
        guard let verifier else { return (cleaned, signed, false) }
        let result = verifier.verify(cleaned, structure: structure, now: now)
        var reason: String?
        if case .fail(let failure) = result {
            reason = failure.description
            let metadata: Logger.Metadata = ["transaction": "\(transactionID)", "reason": "\(failure)"]
            if failure == .crlOutOfDate {
                logger.warning(
                    "S/MIME signature not verified: a CRL is out of date; refresh smime.crls", metadata: metadata)
            } else {
                logger.info("S/MIME signature failed verification; delivered with smime=fail", metadata: metadata)
            }
        }
        let from = structure.headerFromAddresses.first?.address
        let field = AuthenticationResults.field(
            authservID: hostname,
            .init(
                method: "smime", result: result.keyword, reason: reason,
                properties: from.map { [("header.from", $0)] } ?? []))
        return (Array(field.utf8) + cleaned, signed, result.isPass)
    }

    /// The verifier `config.smime` asks for, nil when verification is off; a trust anchor or CRL
    /// file that cannot be used stops the start with a message naming it.
    static func verifier(_ config: Config) throws -> SMIMEVerifier? {
        guard config.smime.isEnabled else { return nil }
        do {
            return SMIMEVerifier(
                trust: try SMIMETrustStore(
                    anchorFiles: config.smime.trustAnchors.map(config.resolve),
                    crlFiles: config.smime.crls.map(config.resolve)))
        } catch {
            throw ServerStartupError("\(error)")
        }
    }
}
