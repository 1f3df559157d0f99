import ArgumentParser
import Foundation
import GovMailConfig
import TLSEngine

/// `govmail cert dev`: a self-signed development certificate under `<state>/tls/`.
struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert", abstract: "Manage TLS certificates.", subcommands: [Dev.self])

    struct Dev: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a self-signed development certificate and key (EC P-256) in <state>/tls/.",
            discussion:
                "Writes the files named by tls.certificate and tls.key (default tls/cert.pem and tls/key.pem, key mode 0600). Production uses certificates from a real authority."
        )

        @OptionGroup var global: GlobalOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Host name for the certificate (CN and DNS SAN); 127.0.0.1 is always added.", valueName: "name"))
        var host: String

        @Flag(name: .long, help: "Replace an existing certificate and key.")
        var force = false

        func validate() throws {
            guard !host.isEmpty, host.count <= 253,
                host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":") })
            else {
                throw ValidationError(
                    "--host must be a host name such as mail.example.gov.vn (letters, digits, dots, hyphens)")
            }
        }

        func run() throws {
            try reportingErrors {
                let config = try global.loadConfig()
                let certPath = config.resolve(config.tls.certificate)
                let keyPath = config.resolve(config.tls.key)
                let fm = FileManager.default
                if !force && (fm.fileExists(atPath: certPath) || fm.fileExists(atPath: keyPath)) {
                    throw CLIError.usage("\(certPath) or \(keyPath) already exists; add --force to replace them")
                }
                let generated: DevelopmentCertificate
                do { generated = try DevelopmentCertificate.generate(host: host) } catch let e as TLSError {
                    throw CLIError.failure("cannot generate the certificate: \(e.message)")
                }
                do {
                    for path in [certPath, keyPath] {
                        try fm.createDirectory(
                            atPath: (path as NSString).deletingLastPathComponent,
                            withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                    }
                    try write(generated.privateKeyPEM, to: keyPath, mode: 0o600)
                    try write(generated.certificatePEM, to: certPath, mode: 0o644)
                } catch let e as CLIError { throw e } catch {
                    throw CLIError.failure(
                        "cannot write the certificate files: \(error.localizedDescription); check that the state folder is writable"
                    )
                }
                Console.out("certificate: \(certPath)")
                Console.out("key:         \(keyPath) (mode 0600)")
                Console.error(
                    "govmail: self-signed development certificate for \(host) created; clients will warn that it is not trusted"
                )
            }
        }

        /// Writes through a temporary file created with the final mode, so the key is never readable by others.
        private func write(_ text: String, to path: String, mode: mode_t) throws {
            let tmp = path + ".tmp"
            unlink(tmp)
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            guard fd >= 0 else { throw CLIError.failure("cannot create \(tmp): \(String(cString: strerror(errno)))") }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            fchmod(fd, mode)
            fsync(fd)
            close(fd)
            guard written == bytes.count, rename(tmp, path) == 0 else {
                unlink(tmp)
                throw CLIError.failure("cannot write \(path); check free space and permissions")
            }
        }
    }
}
