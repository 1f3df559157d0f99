import MailCore

/// One mailbox from an address header: `Name <local@domain>` or `local@domain` (RFC 5322 §3.4).
public struct MailboxAddress: Sendable, Hashable, Codable {
    /// The display name as written (quotes removed, encoded words kept); nil when there is none.
    public var rawName: String?
    /// The display name with RFC 2047 encoded words decoded.
    public var name: String? { rawName.map(EncodedWords.decode) }
    /// An obsolete source route such as `@a.example,@b.example` (RFC 5322 §4.4); nil when absent.
    public var route: String?
    public var localPart: String
    /// nil when the address had no `@domain` (malformed or a bare name).
    public var domain: String?

    /// `local@domain`, or the local part alone when there is no domain.
    public var address: String { domain.map { "\(localPart)@\($0)" } ?? localPart }

    /// The address as a validated MailCore value, nil when it is not a valid address.
    public var emailAddress: EmailAddress? { try? EmailAddress(address) }
}

/// One element of an address list: a mailbox or a named group of mailboxes (RFC 5322 §3.4).
public enum AddressListEntry: Sendable, Hashable {
    case mailbox(MailboxAddress)
    /// `rawName` as written (encoded words kept); `members` may be empty (`undisclosed-recipients:;`).
    case group(rawName: String, members: [MailboxAddress])

    /// The mailboxes of this entry (a group's members).
    public var mailboxes: [MailboxAddress] {
        switch self {
        case .mailbox(let m): return [m]
        case .group(_, let members): return members
        }
    }
}

/// One address in IMAP ENVELOPE form: (name adl mailbox host) (RFC 3501 §7.4.2). A group starts with
/// host nil and mailbox = group name, and ends with mailbox and host both nil.
public struct EnvelopeAddress: Sendable, Hashable, Codable {
    public var name: String?
    public var adl: String?
    public var mailbox: String?
    public var host: String?

    public init(name: String?, adl: String?, mailbox: String?, host: String?) {
        self.name = name; self.adl = adl; self.mailbox = mailbox; self.host = host
    }
}

/// Parses address lists leniently: never fails, drops only what it cannot read as an address.
public enum AddressList {
    /// Host reported for a mailbox that had no domain, so IMAP clients do not read it as a group marker.
    public static let missingDomain = "MISSING_DOMAIN"

    /// Parses the (unfolded) value of From, To, Cc, Bcc, Reply-To or Sender.
    public static func parse<C: Collection>(_ value: C) -> [AddressListEntry] where C.Element == UInt8 {
        let tokens = tokenize(Array(value))
        var entries: [AddressListEntry] = []
        var unit: [Token] = []
        var angleDepth = 0
        var unitHasAt = false
        var group: (name: String, members: [MailboxAddress])? = nil

        func finishUnit() {
            defer { unit.removeAll(); unitHasAt = false }
            guard let m = mailbox(from: unit) else { return }
            if group != nil { group!.members.append(m) } else { entries.append(.mailbox(m)) }
        }
        for t in tokens {
            if case .special(let c) = t {
                if c == UInt8(ascii: "<") { angleDepth += 1 }
                if c == UInt8(ascii: ">") { angleDepth = max(0, angleDepth - 1) }
                if c == UInt8(ascii: "@") { unitHasAt = true }
                if angleDepth == 0 {
                    if c == UInt8(ascii: ",") { finishUnit(); continue }
                    if c == Ascii.colon, group == nil, !unitHasAt {
                        group = (phrase(unit) ?? "", [])
                        unit.removeAll()
                        continue
                    }
                    if c == Ascii.semicolon, group != nil {
                        finishUnit()
                        entries.append(.group(rawName: group!.name, members: group!.members))
                        group = nil
                        continue
                    }
                }
            }
            unit.append(t)
        }
        finishUnit()
        if let g = group { entries.append(.group(rawName: g.name, members: g.members)) }
        return entries
    }

    /// The ENVELOPE form of an address list: mailboxes, and groups as start marker, members, end marker.
    public static func envelopeAddresses(_ entries: [AddressListEntry]) -> [EnvelopeAddress] {
        var out: [EnvelopeAddress] = []
        func add(_ m: MailboxAddress) {
            out.append(
                EnvelopeAddress(name: m.rawName, adl: m.route, mailbox: m.localPart, host: m.domain ?? missingDomain))
        }
        for e in entries {
            switch e {
            case .mailbox(let m): add(m)
            case .group(let name, let members):
                out.append(EnvelopeAddress(name: nil, adl: nil, mailbox: name, host: nil))
                members.forEach(add)
                out.append(EnvelopeAddress(name: nil, adl: nil, mailbox: nil, host: nil))
            }
        }
        return out
    }

    enum Token: Hashable {
        case word([UInt8], quoted: Bool)
        case special(UInt8)
        /// A comment's text, parentheses and quoting removed: ignored except as the name of an
        /// address that has none (`user@domain (Real Name)`, as Dovecot reads it).
        case comment([UInt8])
    }

    static func tokenize(_ b: [UInt8]) -> [Token] {
        var out: [Token] = []
        var i = 0
        let specials: Set<UInt8> = Set("<>,:;@.".utf8)
        while i < b.count {
            let c = b[i]
            if Ascii.isWhitespace(c) { i += 1; continue }
            if c == Ascii.openParen {
                let start = i
                MIMEValueParser.skipComment(b, &i)
                out.append(.comment(commentText(b[(start + 1)..<min(i, b.count)])))
                continue
            }
            if c == Ascii.quote {
                var w: [UInt8] = []
                i += 1
                while i < b.count && b[i] != Ascii.quote {
                    if b[i] == Ascii.backslash && i + 1 < b.count { i += 1 }
                    if b[i] != Ascii.cr && b[i] != Ascii.lf { w.append(b[i]) }
                    i += 1
                }
                i += 1
                out.append(.word(w, quoted: true))
                continue
            }
            if c == UInt8(ascii: "[") {  // domain literal, kept whole
                var w: [UInt8] = []
                while i < b.count && b[i] != UInt8(ascii: "]") {
                    if !Ascii.isWhitespace(b[i]) { w.append(b[i]) }; i += 1
                }
                if i < b.count { w.append(b[i]); i += 1 }
                out.append(.word(w, quoted: false))
                continue
            }
            if specials.contains(c) { out.append(.special(c)); i += 1; continue }
            var w: [UInt8] = []
            while i < b.count && !Ascii.isWhitespace(b[i]) && !specials.contains(b[i]) && b[i] != Ascii.quote
                && b[i] != Ascii.openParen && b[i] != UInt8(ascii: "[")
            {
                w.append(b[i])
                i += 1
            }
            if w.isEmpty { i += 1; continue }  // a stray ')' or the like
            out.append(.word(w, quoted: false))
        }
        return out
    }

    /// The inside of a comment (the bytes after its `(`): the closing `)` dropped, quoted pairs
    /// unescaped, line breaks removed, blanks trimmed; nested comments kept as written.
    static func commentText(_ inner: ArraySlice<UInt8>) -> [UInt8] {
        var body = Array(inner)
        if body.last == Ascii.closeParen { body.removeLast() }
        var out: [UInt8] = []
        var i = 0
        while i < body.count {
            if body[i] == Ascii.backslash, i + 1 < body.count { i += 1 }
            if body[i] != Ascii.cr && body[i] != Ascii.lf { out.append(body[i]) }
            i += 1
        }
        return Ascii.trimmingBlanks(out)
    }

    /// Words joined by single spaces, dots kept (obs-phrase "John Q. Public"); comments left out.
    static func phrase(_ tokens: ArraySlice<Token>) -> String? {
        var out: [UInt8] = []
        for t in tokens {
            switch t {
            case .word(let w, _):
                if !out.isEmpty { out.append(Ascii.space) }
                out.append(contentsOf: w)
            case .special(let c):
                out.append(c)
            case .comment: break
            }
        }
        return out.isEmpty ? nil : Charset.bestEffort(out)
    }

    static func phrase(_ tokens: [Token]) -> String? { phrase(tokens[...]) }

    static func mailbox(from tokens: [Token]) -> MailboxAddress? {
        var lastComment: [UInt8]?
        let unit = tokens.filter { t in
            guard case .comment(let text) = t else { return true }
            if !text.isEmpty { lastComment = text }
            return false
        }
        guard var m = mailboxIgnoringComments(unit) else { return nil }
        // `user@domain (Real Name)`: the comment names the address when nothing else does (Dovecot).
        if m.rawName == nil, m.domain != nil, let c = lastComment { m.rawName = Charset.bestEffort(c) }
        return m
    }

    private static func mailboxIgnoringComments(_ unit: [Token]) -> MailboxAddress? {
        guard !unit.isEmpty else { return nil }
        var rawName: String? = nil
        var spec = unit[...]
        var route: String? = nil
        if let open = unit.firstIndex(of: .special(UInt8(ascii: "<"))) {
            rawName = phrase(unit[..<open])
            let close = unit[(open + 1)...].firstIndex(of: .special(UInt8(ascii: ">"))) ?? unit.endIndex
            spec = unit[(open + 1)..<close]
            if spec.first == .special(UInt8(ascii: "@")), let colon = spec.firstIndex(of: .special(Ascii.colon)) {
                route = join(spec[spec.startIndex..<colon])
                spec = spec[(colon + 1)...]
            }
            if spec.isEmpty {  // "<>" or a name without address
                guard let n = rawName else { return nil }
                return MailboxAddress(rawName: nil, route: route, localPart: n, domain: nil)
            }
        }
        if let at = spec.lastIndex(of: .special(UInt8(ascii: "@"))) {
            let local = join(spec[spec.startIndex..<at])
            let domain = join(spec[(at + 1)...])
            return MailboxAddress(
                rawName: rawName, route: route, localPart: local, domain: domain.isEmpty ? nil : domain)
        }
        return MailboxAddress(rawName: rawName, route: route, localPart: phrase(spec) ?? "", domain: nil)
    }

    /// Tokens joined without spaces; quoted words keep their quotes (RFC 5322 quoted local parts).
    static func join(_ tokens: ArraySlice<Token>) -> String {
        var out: [UInt8] = []
        for t in tokens {
            switch t {
            case .word(let w, let quoted):
                if quoted {
                    out.append(Ascii.quote); out.append(contentsOf: w); out.append(Ascii.quote)
                } else {
                    out.append(contentsOf: w)
                }
            case .special(let c): out.append(c)
            case .comment: break
            }
        }
        return Charset.bestEffort(out)
    }
}
