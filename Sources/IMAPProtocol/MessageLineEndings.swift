// Why the bridge normalises line endings before it parses: IMAP sends messages with CRLF line ends
// (RFC 3501 §2.2, RFC 5322 §2.1), but a Maildir file written by other software (procmail, an
// imported mbox, Dovecot's own LDA) may end its lines with a bare LF. MessageFormat reports byte
// ranges of the bytes it was given, so the bridge parses the CRLF form: then RFC822.SIZE, every
// section, body-fld-octets and body-fld-lines describe exactly the bytes the client receives.
// Bare CR is left alone (legal inside a literal; Dovecot does the same).

/// Converts bare LF line ends to CRLF (RFC 5322 §2.1), copying only when there is one to convert.
public enum MessageLineEndings {
    /// Whether some LF in `bytes` is not preceded by CR.
    public static func hasBareLF(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            guard !b.isEmpty else { return false }
            if b[0] == 10 { return true }
            var i = 1
            while i < b.count {
                if b[i] == 10 && b[i - 1] != 13 { return true }
                i += 1
            }
            return false
        }
    }

    /// `bytes` with every bare LF replaced by CRLF; the same array (no copy) when there is none.
    public static func normalized(_ bytes: [UInt8]) -> [UInt8] {
        guard hasBareLF(bytes) else { return bytes }
        return bytes.withUnsafeBufferPointer { b in
            var out: [UInt8] = []
            out.reserveCapacity(b.count + b.count / 32)
            var previous: UInt8 = 0
            for c in b {
                if c == 10 && previous != 13 { out.append(13) }
                out.append(c)
                previous = c
            }
            return out
        }
    }
}
