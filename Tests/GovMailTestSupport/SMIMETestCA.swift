import Foundation

/// A throwaway certificate authority made with the `openssl` command line for S/MIME tests:
/// keys are generated when the test runs (none is committed), certificates are issued with chosen
/// dates, key usages and addresses, and messages are signed by `openssl cms` / `openssl smime`,
/// an implementation independent of the verifier under test.
public final class SMIMETestCA: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A certificate and its key, issued by this CA.
    public struct Signer: Sendable {
        public let certificate: String
        public let key: String
    }

    /// How a leaf certificate looks; the defaults make a good S/MIME signing certificate.
    public struct Profile: Sendable {
        public var commonName: String
        /// subjectAltName rfc822Name entries.
        public var emails: [String]
        /// A subject emailAddress attribute (older certificates name the address only there).
        public var subjectEmail: String?
        public var extendedKeyUsage: String? = "emailProtection"
        public var keyUsage: String? = "critical, digitalSignature, nonRepudiation"
        /// `YYYYMMDDHHMMSSZ`; nil = now.
        public var notBefore: String?
        /// `YYYYMMDDHHMMSSZ`; nil = 30 days from now.
        public var notAfter: String?

        public init(commonName: String, emails: [String], subjectEmail: String? = nil) {
            self.commonName = commonName
            self.emails = emails
            self.subjectEmail = subjectEmail
        }
    }

    public let directory: TemporaryDirectory
    /// The CA certificate (PEM): what `smime.trust_anchors` lists.
    public var certificatePath: String { directory.file("ca.pem") }
    private var issued = 0

    public init(name: String = "GovMail Test CA") throws {
        directory = TemporaryDirectory(prefix: "govmail-smime-ca")
        let d = directory
        try FileManager.default.createDirectory(atPath: d.file("newcerts"), withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: d.file("index.txt")))
        try Data("1000\n".utf8).write(to: URL(fileURLWithPath: d.file("serial")))
        try Data("1000\n".utf8).write(to: URL(fileURLWithPath: d.file("crlnumber")))
        try Data(try Self.config(d.path).utf8).write(to: URL(fileURLWithPath: d.file("ca.cnf")))
        try Self.openssl([
            "req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", d.file("ca.key"), "-out", d.file("ca.pem"), "-subj", "/O=GovMail tests/CN=\(name)",
            "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    /// Issues a leaf certificate with a fresh key.
    public func issue(_ profile: Profile) throws -> Signer {
        issued += 1
        let d = directory, id = "leaf\(issued)"
        var ext = "[ext]\nbasicConstraints = CA:FALSE\n"
        if let ku = profile.keyUsage { ext += "keyUsage = \(ku)\n" }
        if let eku = profile.extendedKeyUsage { ext += "extendedKeyUsage = \(eku)\n" }
        if !profile.emails.isEmpty {
            ext += "subjectAltName = \(profile.emails.map { "email:\($0)" }.joined(separator: ", "))\n"
        }
        try Data(ext.utf8).write(to: URL(fileURLWithPath: d.file("\(id).ext")))
        var subject = "/O=GovMail tests/CN=\(profile.commonName)"
        if let e = profile.subjectEmail { subject += "/emailAddress=\(e)" }
        try Self.openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", d.file("\(id).key"), "-out", d.file("\(id).csr"), "-subj", subject,
        ])
        var args = [
            "ca", "-batch", "-config", d.file("ca.cnf"), "-in", d.file("\(id).csr"), "-out", d.file("\(id).pem"),
            "-extfile", d.file("\(id).ext"), "-extensions", "ext", "-notext",
        ]
        if let nb = profile.notBefore { args += ["-startdate", nb] }
        if let na = profile.notAfter { args += ["-enddate", na] } else { args += ["-days", "30"] }
        try Self.openssl(args)
        return Signer(certificate: d.file("\(id).pem"), key: d.file("\(id).key"))
    }

    /// Marks `signer` revoked in the CA database (it appears in the next `crl()`).
    public func revoke(_ signer: Signer) throws {
        try Self.openssl(["ca", "-config", directory.file("ca.cnf"), "-revoke", signer.certificate])
    }

    /// Writes a CRL (PEM) of everything revoked so far and returns its path.
    public func crl(name: String = "ca.crl") throws -> String {
        let path = directory.file(name)
        try Self.openssl(["ca", "-config", directory.file("ca.cnf"), "-gencrl", "-out", path])
        return path
    }

    /// How `sign` wraps the content.
    public enum Format: Sendable {
        /// multipart/signed with application/pkcs7-signature (`openssl cms`).
        case detached
        /// multipart/signed with application/x-pkcs7-signature (`openssl smime`, older clients).
        case detachedLegacy
        /// application/pkcs7-mime; smime-type=signed-data (`openssl cms -nodetach`).
        case opaque
    }

    /// Signs the MIME entity `content` (header, empty line, body) and returns a whole message with
    /// `headers` (e.g. From, To, Subject) in front, CRLF line ends throughout.
    public func sign(
        _ content: String, by signer: Signer, headers: [String], format: Format = .detached,
        signedAttributes: Bool = true, coSigners: [Signer] = []
    ) throws -> [UInt8] {
        issued += 1
        let input = directory.file("msg\(issued).txt"), output = directory.file("msg\(issued).eml")
        try Data(content.utf8).write(to: URL(fileURLWithPath: input))
        var args = [
            format == .detachedLegacy ? "smime" : "cms", "-sign", "-in", input, "-out", output, "-signer",
            signer.certificate, "-inkey", signer.key, "-crlfeol",
        ]
        for s in coSigners { args += ["-signer", s.certificate, "-inkey", s.key] }
        if format == .opaque { args.append("-nodetach") }
        if !signedAttributes { args.append("-noattr") }
        try Self.openssl(args)
        // openssl writes the base64 signature with bare LF even with -crlfeol; SMTP needs CRLF.
        let signed = try String(decoding: Data(contentsOf: URL(fileURLWithPath: output)), as: UTF8.self)
            .replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return Array((headers.map { $0 + "\r\n" }.joined() + signed).utf8)
    }

    @discardableResult
    static func openssl(_ args: [String]) throws -> CommandResult {
        let r = try Binary.run(path: "/usr/bin/env", ["openssl"] + args)
        guard r.status == 0 else {
            throw Failure(description: "openssl \(args.prefix(2).joined(separator: " ")) failed: \(r.stderr)")
        }
        return r
    }

    /// The `openssl ca` configuration shared with the integration scenarios, for the CA in `dir`.
    private static func config(_ dir: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("integration/lib/smime-test-ca.cnf").path
        return try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "{dir}", with: dir)
    }
}
