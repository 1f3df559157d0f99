import MailCore

/// Builds response bytes; decides atom vs quoted vs literal from the content (RFC 3501 §4.3, §9).
public struct IMAPWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Whether the client enabled UTF8=ACCEPT (RFC 6855); we never advertise it, so normally false.
    public var utf8Accepted = false

    public init(utf8Accepted: Bool = false) { self.utf8Accepted = utf8Accepted }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
    public mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// A string as quoted when it is safe 7-bit text, as a literal otherwise (8-bit, CR, LF, NUL, long).
    public mutating func string(_ data: [UInt8]) {
        if Self.canQuote(data, utf8Accepted: utf8Accepted) {
            bytes.append(UInt8(ascii: "\""))
            for b in data {
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(b)
            }
            bytes.append(UInt8(ascii: "\""))
        } else {
            literal(data)
        }
    }

    public mutating func string(_ text: String) { string(Array(text.utf8)) }

    /// `{n}` CRLF and the bytes (RFC 3501 §4.3). IMAP4rev1 forbids NUL in a literal (`CHAR8` is
    /// %x01-ff); a stored message may still hold one, so each NUL goes out as 0x80, as Dovecot
    /// sends it — same length, so RFC822.SIZE and partial offsets stay true.
    public mutating func literal(_ data: [UInt8]) {
        raw("{\(data.count)}\r\n")
        if data.contains(0) {
            bytes.append(contentsOf: data.lazy.map { $0 == 0 ? 0x80 : $0 })
        } else {
            bytes.append(contentsOf: data)
        }
    }

    /// nstring = string / nil
    public mutating func nstring(_ text: String?) {
        if let text { string(text) } else { raw("NIL") }
    }

    public mutating func nstring(_ data: [UInt8]?) {
        if let data { string(data) } else { raw("NIL") }
    }

    /// An astring: a bare atom when every byte is an ASTRING-CHAR (and it is not NIL), else a string.
    public mutating func astring(_ text: String) {
        let data = Array(text.utf8)
        if !data.isEmpty, data.count < 256, data.allSatisfy(IMAPCharacters.isAStringChar), text.uppercased() != "NIL" {
            bytes.append(contentsOf: data)
        } else {
            string(data)
        }
    }

    /// A mailbox name in modified UTF-7 (RFC 3501 §5.1.3), as an atom when possible.
    public mutating func mailbox(_ name: MailboxName) { mailbox(name.name) }

    public mutating func mailbox(_ name: String) {
        astring(utf8Accepted ? name : ModifiedUTF7.encode(name))
    }

    static func canQuote(_ data: [UInt8], utf8Accepted: Bool) -> Bool {
        guard data.count <= 1024 else { return false }
        for b in data {
            if b == 0 || b == 13 || b == 10 { return false }
            if b >= 0x80 && !utf8Accepted { return false }
        }
        return true
    }
}
