import MailCore

/// S/MIME signature detection for the usage report and SMTP submission (RFC 8551 §3.5, RFC 1847).
extension MessageStructure {
    /// Whether the message is S/MIME signed: its top-level entity is multipart/signed with protocol
    /// application/(x-)pkcs7-signature, or application/(x-)pkcs7-mime with smime-type=signed-data.
    /// Conservative: application/pkcs7-mime without smime-type is not counted, because encrypted
    /// (enveloped-data) messages use the same type and the same smime.p7m name; a signature nested
    /// deeper (a signed message inside an encrypted one, or a forwarded signed message) does not count.
    public var isSMIMESigned: Bool { root.isSMIMESignedEntity }
}

extension MessagePart {
    /// Whether this entity itself is an S/MIME signed entity (see `MessageStructure.isSMIMESigned`).
    public var isSMIMESignedEntity: Bool {
        let ct = contentType
        if ct.type == "multipart" && ct.subtype == "signed" {
            let proto = (ct.parameters["protocol"] ?? "").lowercased().trimmingASCIIWhitespace()
            return proto == "application/pkcs7-signature" || proto == "application/x-pkcs7-signature"
        }
        if ct.type == "application" && (ct.subtype == "pkcs7-mime" || ct.subtype == "x-pkcs7-mime") {
            let smime = ct.parameters["smime-type"]?.lowercased().trimmingASCIIWhitespace()
            return smime == "signed-data"
        }
        return false
    }
}
