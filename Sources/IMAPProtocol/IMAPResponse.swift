import MailCore

/// One data item of a FETCH response (RFC 3501 §7.4.2 `msg-att`).
public enum FetchResponseItem: Sendable, Equatable {
    case flags([Flag])
    case uid(UID)
    case internalDate(IMAPDateTime)
    case rfc822Size(Int)
    case envelope(IMAPEnvelope)
    case body(IMAPBodyStructure)
    case bodyStructure(IMAPBodyStructure)
    /// `BODY[section]<origin>` with its data; nil data is NIL (a part that does not exist).
    case bodySection(IMAPSection, origin: UInt32?, data: [UInt8]?)
    case rfc822([UInt8]?), rfc822Header([UInt8]?), rfc822Text([UInt8]?)
    /// `BINARY[part]<origin> ~{n}` (RFC 3516): a literal8 when the data holds NUL, else a literal.
    case binary(part: [Int], origin: UInt32?, data: [UInt8])
    case binarySize(part: [Int], Int)

    func encode(_ w: inout IMAPWriter) {
        switch self {
        case .flags(let f): w.raw("FLAGS (\(f.sorted().map(\.description).joined(separator: " ")))")
        case .uid(let u): w.raw("UID \(u)")
        case .internalDate(let d): w.raw("INTERNALDATE \"\(d)\"")
        case .rfc822Size(let n): w.raw("RFC822.SIZE \(n)")
        case .envelope(let e):
            w.raw("ENVELOPE ")
            e.encode(&w)
        case .body(let b):
            w.raw("BODY ")
            b.encode(&w, extensible: false)
        case .bodyStructure(let b):
            w.raw("BODYSTRUCTURE ")
            b.encode(&w, extensible: true)
        case .bodySection(let s, let origin, let data):
            w.raw("BODY[\(s)]")
            if let origin { w.raw("<\(origin)>") }
            w.raw(" ")
            Self.body(data, &w)
        case .binary(let part, let origin, let data):
            w.raw("BINARY[\(part.map(String.init).joined(separator: "."))]")
            if let origin { w.raw("<\(origin)>") }
            w.raw(" ")
            if data.contains(0) {
                w.literal8(data)
            } else {
                w.literal(data)
            }
        case .binarySize(let part, let n):
            w.raw("BINARY.SIZE[\(part.map(String.init).joined(separator: "."))] \(n)")
        case .rfc822(let d):
            w.raw("RFC822 ")
            Self.body(d, &w)
        case .rfc822Header(let d):
            w.raw("RFC822.HEADER ")
            Self.body(d, &w)
        case .rfc822Text(let d):
            w.raw("RFC822.TEXT ")
            Self.body(d, &w)
        }
    }

    /// Message data is always a literal (or NIL): it may hold 8-bit text and CRLF (RFC 3501 §4.3).
    static func body(_ data: [UInt8]?, _ w: inout IMAPWriter) {
        if let data { w.literal(data) } else { w.raw("NIL") }
    }
}

/// A LIST/LSUB entry (RFC 3501 §7.2.2); `name` in Unicode, encoded in modified UTF-7 on the wire.
public struct ListEntry: Sendable, Equatable {
    public var attributes: [String]
    public var name: String
    /// `("CHILDINFO" ("SUBSCRIBED"))` after the name (RFC 5258 §3.5, LIST-EXTENDED RECURSIVEMATCH).
    public var childInfoSubscribed = false
    public init(attributes: [String], name: String) {
        self.attributes = attributes
        self.name = name
    }
}

/// A server response (RFC 3501 §7); its description is its wire form.
public enum IMAPResponse: Sendable, Equatable, CustomStringConvertible {
    case tagged(String, IMAPStatus, IMAPResponseCode?, String)
    case untagged(IMAPStatus, IMAPResponseCode?, String)
    /// `+ text` (RFC 3501 §7.5); the text may be empty (AUTHENTICATE) .
    case continuation(String)
    case capability([String])
    case list(ListEntry, lsub: Bool)
    case status(MailboxName, [(StatusItem, UInt64)])
    /// `* QUOTAROOT mailbox root…` (RFC 9208 §5.2).
    case quotaRoot(MailboxName, [String])
    /// `* QUOTA root (STORAGE used limit)` in KiB (RFC 9208 §5.1).
    case quota(root: String, usedKiB: Int64, limitKiB: Int64)
    case flags([Flag])
    case exists(Int), recent(Int), expunge(Int)
    case search([UInt32])
    /// `* SORT n…` (RFC 5256 §4).
    case sort([UInt32])
    /// `* THREAD (…)(…)` (RFC 5256 §4).
    case thread([ThreadNode])
    /// `* ESEARCH (TAG "t") [UID] ...` (RFC 4731 §3.1).
    case esearch(ExtendedSearchResult)
    case fetch(Int, [FetchResponseItem])
    case namespace
    case id([String: String])
    case enabled([String])

    public static func == (a: IMAPResponse, b: IMAPResponse) -> Bool { a.bytes() == b.bytes() }

    /// The wire bytes, CRLF included.
    public func bytes(utf8Accepted: Bool = false) -> [UInt8] {
        var w = IMAPWriter(utf8Accepted: utf8Accepted)
        encode(&w)
        return w.bytes
    }

    public var description: String { String(decoding: bytes(), as: UTF8.self) }

    private static func status(_ s: IMAPStatus, _ code: IMAPResponseCode?, _ text: String, _ w: inout IMAPWriter) {
        w.raw(s.rawValue)
        if let code { w.raw(" [\(code.wire)]") }
        // resp-text is 7-bit TEXT-CHAR (no UTF8=ACCEPT): replace CR, LF and 8-bit characters.
        let clean = String(
            String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value > 0x7E ? " " : $0 }))
        w.raw(" " + (clean.isEmpty ? "done" : clean))
    }

    public func encode(_ w: inout IMAPWriter) {
        switch self {
        case .tagged(let tag, let s, let code, let text):
            w.raw(tag + " ")
            Self.status(s, code, text, &w)
        case .untagged(let s, let code, let text):
            w.raw("* ")
            Self.status(s, code, text, &w)
        case .continuation(let text):
            w.raw(text.isEmpty ? "+ " : "+ \(text)")
        case .capability(let caps):
            w.raw("* CAPABILITY \(caps.joined(separator: " "))")
        case .list(let e, let lsub):
            // mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
            w.raw("* \(lsub ? "LSUB" : "LIST") (\(e.attributes.joined(separator: " "))) \".\" ")
            w.mailbox(e.name)
            if e.childInfoSubscribed { w.raw(" (\"CHILDINFO\" (\"SUBSCRIBED\"))") }
        case .status(let name, let items):
            w.raw("* STATUS ")
            w.mailbox(name)
            w.raw(" (\(items.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: " ")))")
        case .quotaRoot(let name, let roots):
            w.raw("* QUOTAROOT ")
            w.mailbox(name)
            for r in roots {
                w.raw(" ")
                w.string(r)
            }
        case .quota(let root, let used, let limit):
            w.raw("* QUOTA ")
            w.string(root)
            w.raw(" (STORAGE \(used) \(limit))")
        case .flags(let f):
            w.raw("* FLAGS (\(f.map(\.description).joined(separator: " ")))")
        case .exists(let n): w.raw("* \(n) EXISTS")
        case .recent(let n): w.raw("* \(n) RECENT")
        case .expunge(let n): w.raw("* \(n) EXPUNGE")
        case .search(let ns):
            w.raw(ns.isEmpty ? "* SEARCH" : "* SEARCH \(ns.map(String.init).joined(separator: " "))")
        case .thread(let threads):
            w.raw(threads.isEmpty ? "* THREAD" : "* THREAD " + threads.map(\.wire).joined())
        case .sort(let ns):
            w.raw(ns.isEmpty ? "* SORT" : "* SORT \(ns.map(String.init).joined(separator: " "))")
        case .esearch(let r):
            w.raw("* ESEARCH (TAG ")
            w.string(r.tag)
            w.raw(r.uid ? ") UID" : ")")
            w.raw(r.wire)
        case .fetch(let seq, let items):
            w.raw("* \(seq) FETCH (")
            for (i, item) in items.enumerated() {
                if i > 0 { w.raw(" ") }
                item.encode(&w)
            }
            w.raw(")")
        case .namespace:
            // One personal namespace with "." as separator, no other users' or shared ones (RFC 2342).
            w.raw("* NAMESPACE ((\"\" \".\")) NIL NIL")
        case .id(let fields):
            w.raw("* ID (")
            for (i, key) in fields.keys.sorted().enumerated() {
                if i > 0 { w.raw(" ") }
                w.string(key)
                w.raw(" ")
                w.string(fields[key] ?? "")
            }
            w.raw(")")
        case .enabled(let caps):
            w.raw(caps.isEmpty ? "* ENABLED" : "* ENABLED \(caps.joined(separator: " "))")
        }
        w.raw("\r\n")
    }
}
