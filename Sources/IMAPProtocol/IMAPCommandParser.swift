import MailCore

/// Parses one framed command (from `IMAPCommandFramer`) into an `IMAPCommand` (RFC 3501 §9).
///
/// Throws `IMAPParseError` keeping the tag when one could be read, so the server answers `tag BAD`.
public struct IMAPCommandParser: Sendable {
    public var limits: IMAPLimits
    public init(limits: IMAPLimits = IMAPLimits()) { self.limits = limits }

    /// Parses a complete command, final CRLF included.
    public func parse(_ frame: [UInt8]) throws -> IMAPCommand {
        var c = IMAPCursor(frame, limits: limits)
        // command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
        let tag = try c.tag()
        try c.space()
        c.tagText = tag
        let word = try c.atom().uppercased()
        let kind = try parseCommand(word, &c)
        try c.crlf()
        if var invalid = c.invalidMailbox {
            if case .select = kind { invalid.kind = .invalidMailboxName(creating: false, deselects: true) }
            if case .examine = kind { invalid.kind = .invalidMailboxName(creating: false, deselects: true) }
            throw invalid
        }
        return IMAPCommand(tag: tag, kind)
    }

    private func parseCommand(_ word: String, _ c: inout IMAPCursor) throws -> IMAPCommandKind {
        switch word {
        case "CAPABILITY": return .capability
        case "NOOP": return .noop
        case "LOGOUT": return .logout
        case "STARTTLS": return .starttls
        case "NAMESPACE": return .namespace
        case "IDLE": return .idle
        case "CHECK": return .check
        case "CLOSE": return .close
        case "UNSELECT": return .unselect
        case "EXPUNGE": return .expunge
        case "ID":
            try c.space()
            return .id(try c.idParameters())
        case "LOGIN":
            // login = "LOGIN" SP userid SP password ; userid = astring ; password = astring
            try c.space()
            let user = try c.astringText()
            try c.space()
            let password = try c.astring()
            return .login(username: user, password: Secret(bytes: password))
        case "AUTHENTICATE":
            // authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]  — RFC 4959 §7
            try c.space()
            let mechanism = try c.atom().uppercased()
            var initial: String?
            if c.peek() == 0x20 {
                try c.space()
                initial = try c.base64OrEquals()
            }
            return .authenticate(mechanism: mechanism, initialResponse: initial)
        case "SELECT": try c.space(); return .select(try c.mailbox())
        case "EXAMINE": try c.space(); return .examine(try c.mailbox())
        case "CREATE": try c.space(); return .create(try c.mailbox(ignoringTrailingSeparator: true, creating: true))
        case "DELETE": try c.space(); return .delete(try c.mailbox())
        case "SUBSCRIBE": try c.space(); return .subscribe(try c.mailbox())
        case "UNSUBSCRIBE": try c.space(); return .unsubscribe(try c.mailbox())
        case "RENAME":
            try c.space()
            let from = try c.mailbox()
            try c.space()
            return .rename(from, try c.mailbox(creating: true))
        case "LIST", "LSUB":
            // list = "LIST" SP mailbox SP list-mailbox
            try c.space()
            let reference = c.listPatternText(try c.astring())
            try c.space()
            let pattern = c.listPatternText(try c.listMailbox())
            return word == "LIST"
                ? .list(reference: reference, pattern: pattern)
                : .lsub(reference: reference, pattern: pattern)
        case "STATUS":
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
            try c.space()
            let name = try c.mailbox()
            try c.space()
            try c.expect("(")
            var items: [StatusItem] = []
            repeat {
                let a = try c.atom().uppercased()
                guard let item = StatusItem(rawValue: a) else { throw c.syntax("unknown STATUS item \(a)") }
                items.append(item)
            } while try c.optionalSpace()
            try c.expect(")")
            return .status(name, items)
        case "APPEND":
            // append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
            try c.space()
            let name = try c.mailbox()
            try c.space()
            var flags: [Flag] = []
            if c.peek() == UInt8(ascii: "(") {
                flags = try c.flagList()
                try c.space()
            }
            var date: IMAPDateTime?
            if c.peek() == UInt8(ascii: "\"") {
                date = try c.dateTime()
                try c.space()
            }
            guard c.peek() == UInt8(ascii: "{") else { throw c.syntax("APPEND needs the message as a literal") }
            return .append(name, flags: flags, date: date, message: try c.literal())
        case "ENABLE":
            // enable = "ENABLE" 1*(SP capability)  — RFC 5161
            var caps: [String] = []
            while c.peek() == 0x20 {
                try c.space()
                caps.append(try c.atom())
            }
            guard !caps.isEmpty else { throw c.syntax("ENABLE needs at least one capability") }
            return .enable(caps)
        case "SEARCH": return try search(&c, uid: false)
        case "FETCH": return try fetch(&c, uid: false)
        case "STORE": return try store(&c, uid: false)
        case "COPY", "MOVE":
            try c.space()
            let set = try c.sequenceSet()
            try c.space()
            let name = try c.mailbox()
            return word == "COPY" ? .copy(set, name, uid: false) : .move(set, name, uid: false)
        case "UID":
            // uid = "UID" SP (copy / move / fetch / search / store / uid-expunge)
            try c.space()
            let sub = try c.atom().uppercased()
            switch sub {
            case "SEARCH": return try search(&c, uid: true)
            case "FETCH": return try fetch(&c, uid: true)
            case "STORE": return try store(&c, uid: true)
            case "EXPUNGE":
                try c.space()
                return .uidExpunge(try c.sequenceSet())
            case "COPY", "MOVE":
                try c.space()
                let set = try c.sequenceSet()
                try c.space()
                let name = try c.mailbox()
                return sub == "COPY" ? .copy(set, name, uid: true) : .move(set, name, uid: true)
            default: throw c.syntax("unknown UID command \(sub)")
            }
        default:
            throw c.syntax("unknown command \(word)")
        }
    }

    // search = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)
    private func search(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        var keys: [SearchKey] = []
        if c.peekWord() == "CHARSET" {
            _ = try c.atom()
            try c.space()
            let charset = try c.astringText().uppercased()
            guard charset == "UTF-8" || charset == "US-ASCII" else {
                throw IMAPParseError(.badCharset, tag: c.tagText, "charset \(charset) is not supported; use UTF-8")
            }
            try c.space()
        }
        repeat { keys.append(try c.searchKey(depth: 0)) } while try c.optionalSpace()
        return .search(keys.count == 1 ? keys[0] : .and(keys), uid: uid)
    }

    // fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
    private func fetch(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        let set = try c.sequenceSet()
        try c.space()
        var atts: [FetchAttribute] = []
        if c.peek() == UInt8(ascii: "(") {
            try c.expect("(")
            repeat { atts.append(try c.fetchAttribute()) } while try c.optionalSpace()
            try c.expect(")")
        } else {
            switch c.peekWord() {
            case "ALL": _ = try c.atom(); atts = FetchAttribute.all
            case "FAST": _ = try c.atom(); atts = FetchAttribute.fast
            case "FULL": _ = try c.atom(); atts = FetchAttribute.full
            default: atts = [try c.fetchAttribute()]
            }
        }
        return .fetch(set, atts, uid: uid)
    }

    // store = "STORE" SP sequence-set SP store-att-flags
    // store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
    private func store(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        let set = try c.sequenceSet()
        try c.space()
        var mode = StoreMode.replace
        if c.peek() == UInt8(ascii: "+") {
            mode = .add; c.advance()
        } else if c.peek() == UInt8(ascii: "-") {
            mode = .remove
            c.advance()
        }
        let item = try c.atom().uppercased()
        guard item == "FLAGS" || item == "FLAGS.SILENT" else { throw c.syntax("STORE needs FLAGS, +FLAGS or -FLAGS") }
        try c.space()
        var flags: [Flag]
        if c.peek() == UInt8(ascii: "(") {
            flags = try c.flagList()
        } else {
            flags = [try c.flag()]
            while c.peek() == 0x20 {
                try c.space()
                flags.append(try c.flag())
            }
        }
        return .store(set, StoreOperation(mode: mode, silent: item == "FLAGS.SILENT", flags: flags), uid: uid)
    }
}
