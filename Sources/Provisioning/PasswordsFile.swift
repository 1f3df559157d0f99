import Foundation
import MailCore

/// The CSV of initial passwords for new accounts: created exclusively with mode 0600, so it is never
/// readable by others and never overwrites an existing file.
public enum PasswordsFile {
    public enum Problem: Error, CustomStringConvertible {
        case exists(String), cannotCreate(String, String)
        public var description: String {
            switch self {
            case .exists(let p):
                return
                    "the passwords file \(p) already exists; choose a new name with --passwords-out, or move the old file away"
            case .cannotCreate(let p, let why):
                return "cannot create the passwords file \(p): \(why); check the folder exists and is writable"
            }
        }
    }

    /// Quotes a CSV field when it needs it (RFC 4180).
    static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == ";" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Writes `email,full name,password` rows (UTF-8 with BOM, CRLF) to a new file at `path` (mode
    /// 0600), fsynced.
    public static func write(path: String, entries: [(EmailAddress, String, Secret)]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let err = errno
            if err == EEXIST { throw Problem.exists(path) }
            throw Problem.cannotCreate(path, String(cString: strerror(err)))
        }
        defer { close(fd) }
        // A byte-order mark, as in every CSV GovMail writes, so Excel shows Vietnamese names intact.
        var text = "\u{FEFF}email,full name,password\r\n"
        for (address, name, password) in entries {
            text += "\(field(address.description)),\(field(name)),\(field(password.unsafeText))\r\n"
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Problem.cannotCreate(path, String(cString: strerror(errno)))
            }
            offset += n
        }
        if fsync(fd) != 0 { throw Problem.cannotCreate(path, String(cString: strerror(errno))) }
    }
}
