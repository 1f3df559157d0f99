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
        case "LSUB":
            // lsub = "LSUB" SP mailbox SP list-mailbox
            try c.space()
            let reference = c.listPatternText(try c.astring())
            try c.space()
            return .lsub(reference: reference, pattern: c.listPatternText(try c.listMailbox()))
        case "LIST": return try list(&c)
        case "GETQUOTA":
            try c.space()
            return .getQuota(try c.astringText())
        case "GETQUOTAROOT":
            try c.space()
            return .getQuotaRoot(try c.mailbox())
        case "SETQUOTA":
            // setquota = "SETQUOTA" SP quota-root-name SP setquota-list  — RFC 9208 §4.1.3
            try c.space()
            let root = try c.astringText()
            try c.space()
            try c.expect("(")
            while c.peek() != UInt8(ascii: ")") {
                if c.peek() == 0x20 { try c.space() }
                _ = try c.atom()
                try c.space()
                _ = try c.number()
            }
            try c.expect(")")
            return .setQuota(root)
        case "STATUS":
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
            try c.space()
            let name = try c.mailbox()
            try c.space()
            return .status(name, try statusItems(&c))
        case "APPEND":
            // append = "APPEND" SP mailbox 1*append-message  — RFC 3502 §6
            // append-message = [SP flag-list] [SP date-time] SP literal
            // The framer bounds the whole command by APPENDLIMIT, so a MULTIAPPEND cannot grow
            // memory beyond one largest message.
            try c.space()
            let name = try c.mailbox()
            var messages: [AppendMessage] = []
            repeat {
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
                // literal8 `~{n}` (RFC 3516 §4.4): the message may hold NUL; stored as sent.
                if c.peek() == UInt8(ascii: "~") { c.advance() }
                guard c.peek() == UInt8(ascii: "{") else { throw c.syntax("APPEND needs the message as a literal") }
                messages.append(AppendMessage(flags: flags, date: date, message: try c.literal()))
            } while c.peek() == 0x20
            if messages.count == 1 {
                return .append(name, flags: messages[0].flags, date: messages[0].date, message: messages[0].message)
            }
            return .multiAppend(name, messages)
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
        case "SORT": return try sort(&c, uid: false)
        case "THREAD": return try thread(&c, uid: false)
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
            case "SORT": return try sort(&c, uid: true)
            case "THREAD": return try thread(&c, uid: true)
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

    /// `"(" status-att *(SP status-att) ")"`
    private func statusItems(_ c: inout IMAPCursor) throws -> [StatusItem] {
        try c.expect("(")
        var items: [StatusItem] = []
        repeat {
            let a = try c.atom().uppercased()
            guard let item = StatusItem(rawValue: a) else { throw c.syntax("unknown STATUS item \(a)") }
            items.append(item)
        } while try c.optionalSpace()
        try c.expect(")")
        return items
    }

    /// `"(" [word *(SP word)] ")"`, upper-cased: LIST selection and return options.
    private func optionWords(_ c: inout IMAPCursor, _ each: (String, inout IMAPCursor) throws -> Void) throws {
        try c.expect("(")
        var first = true
        while c.peek() != UInt8(ascii: ")") {
            if !first { try c.space() }
            first = false
            try each(try c.atom().uppercased(), &c)
        }
        try c.expect(")")
    }

    // list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]  — RFC 5258 §6
    // mbox-or-pat = list-mailbox / patterns ; patterns = "(" list-mailbox *(SP list-mailbox) ")"
    private func list(_ c: inout IMAPCursor) throws -> IMAPCommandKind {
        try c.space()
        var command = ExtendedListCommand(patterns: [])
        var extended = false
        var selectionOptions = 0
        if c.peek() == UInt8(ascii: "(") {
            extended = true
            try optionWords(&c) { word, c in
                switch word {
                case "SUBSCRIBED": command.selectSubscribed = true
                case "REMOTE": break  // no remote folders exist, so every listing already covers them
                case "RECURSIVEMATCH": command.recursiveMatch = true
                case "SPECIAL-USE": command.selectSpecialUse = true
                default:
                    throw c.syntax(
                        "unknown LIST selection option \(word); use SUBSCRIBED, REMOTE, RECURSIVEMATCH or SPECIAL-USE")
                }
                if word != "REMOTE" && word != "RECURSIVEMATCH" { selectionOptions += 1 }
            }
            // RFC 5258 §3: RECURSIVEMATCH alone (or with REMOTE) is a syntax error.
            if command.recursiveMatch && selectionOptions == 0 {
                throw c.syntax("RECURSIVEMATCH needs another selection option such as SUBSCRIBED")
            }
            try c.space()
        }
        let reference = c.listPatternText(try c.astring())
        try c.space()
        var patterns: [String] = []
        if c.peek() == UInt8(ascii: "(") {
            extended = true
            try c.expect("(")
            repeat { patterns.append(c.listPatternText(try c.listMailbox())) } while try c.optionalSpace()
            try c.expect(")")
        } else {
            patterns = [c.listPatternText(try c.listMailbox())]
        }
        if c.peek() == 0x20 {
            try c.space()
            guard try c.atom().uppercased() == "RETURN" else {
                throw c.syntax("expected RETURN after the LIST pattern")
            }
            try c.space()
            extended = true
            try optionWords(&c) { word, c in
                switch word {
                case "SUBSCRIBED": command.returnSubscribed = true
                case "CHILDREN", "SPECIAL-USE": break  // always sent (CHILDREN, SPECIAL-USE capabilities)
                case "STATUS":
                    try c.space()
                    command.status = try statusItems(&c)
                default:
                    throw c.syntax(
                        "unknown LIST return option \(word); use SUBSCRIBED, CHILDREN, SPECIAL-USE or STATUS")
                }
            }
        }
        guard extended else { return .list(reference: reference, pattern: patterns[0]) }
        command.patterns = patterns.filter { !$0.isEmpty }.map { reference + $0 }
        return .listExtended(command)
    }

    // sort = ["UID" SP] "SORT" SP sort-criteria SP search-criteria  — RFC 5256 §5
    // sort-criteria = "(" sort-criterion *(SP sort-criterion) ")" ; sort-criterion = ["REVERSE" SP] sort-key
    // search-criteria = charset 1*(SP search-key)
    private func sort(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        try c.expect("(")
        var keys: [SortKey] = []
        repeat {
            var word = try c.atom().uppercased()
            var reverse = false
            if word == "REVERSE" {
                reverse = true
                try c.space()
                word = try c.atom().uppercased()
            }
            guard let criterion = SortCriterion(rawValue: word) else {
                throw c.syntax("unknown SORT criterion \(word); use ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT or TO")
            }
            keys.append(SortKey(criterion, reverse: reverse))
        } while try c.optionalSpace()
        try c.expect(")")
        try c.space()
        return .sort(keys, try searchCriteria(&c), uid: uid)
    }

    // thread = ["UID" SP] "THREAD" SP thread-alg SP search-criteria  — RFC 5256 §5
    private func thread(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        let word = try c.atom().uppercased()
        guard let algorithm = ThreadAlgorithm(rawValue: word) else {
            throw c.syntax("unknown THREAD algorithm \(word); use ORDEREDSUBJECT or REFERENCES")
        }
        try c.space()
        return .thread(algorithm, try searchCriteria(&c), uid: uid)
    }

    /// `search-criteria = charset 1*(SP search-key)` (RFC 5256 §5), for SORT and THREAD.
    private func searchCriteria(_ c: inout IMAPCursor) throws -> SearchKey {
        let charset = try c.astringText().uppercased()
        guard charset == "UTF-8" || charset == "US-ASCII" else {
            throw IMAPParseError(.badCharset, tag: c.tagText, "charset \(charset) is not supported; use UTF-8")
        }
        try c.space()
        var search: [SearchKey] = []
        repeat { search.append(try c.searchKey(depth: 0)) } while try c.optionalSpace()
        return search.count == 1 ? search[0] : .and(search)
    }

    // search = "SEARCH" [search-return-opts] [SP "CHARSET" SP astring] 1*(SP search-key)
    // search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"  — RFC 4731
    private func search(_ c: inout IMAPCursor, uid: Bool) throws -> IMAPCommandKind {
        try c.space()
        var keys: [SearchKey] = []
        var returning: Set<SearchReturnOption>?
        if c.peekWord() == "RETURN" {
            _ = try c.atom()
            try c.space()
            try c.expect("(")
            var options: Set<SearchReturnOption> = []
            while c.peek() != UInt8(ascii: ")") {
                if !options.isEmpty { try c.space() }
                let word = try c.atom().uppercased()
                guard let option = SearchReturnOption(rawValue: word) else {
                    throw c.syntax("unknown SEARCH RETURN option \(word); use MIN, MAX, ALL, COUNT or SAVE")
                }
                options.insert(option)
            }
            try c.expect(")")
            try c.space()
            returning = options.isEmpty ? [.all] : options
        }
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
        return .search(keys.count == 1 ? keys[0] : .and(keys), uid: uid, returning: returning)
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
