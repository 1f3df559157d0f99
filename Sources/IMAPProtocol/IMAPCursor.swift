import MailCore

/// A position in one framed command with the RFC 3501 §9 primitives; every failure throws with the tag.
struct IMAPCursor {
    let bytes: [UInt8]
    var pos = 0
    let limits: IMAPLimits
    var tagText: String?
    /// The first folder name that cannot be a folder, found while parsing; the parser reports it
    /// once the whole command is known to be well formed.
    var invalidMailbox: IMAPParseError?
    /// Search keys parsed so far (bounded by `limits.searchKeys`).
    var searchKeys = 0

    init(_ bytes: [UInt8], limits: IMAPLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    func peek(_ offset: Int = 0) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }
    mutating func advance(_ n: Int = 1) { pos += n }

    func syntax(_ message: String) -> IMAPParseError { IMAPParseError(.syntax, tag: tagText, message) }

    /// The next atom-like word, uppercased, without consuming it.
    func peekWord() -> String {
        var i = pos
        var out: [UInt8] = []
        while i < bytes.count, IMAPCharacters.isAtomChar(bytes[i]), bytes[i] != UInt8(ascii: "[") {
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self).uppercased()
    }

    mutating func expect(_ text: String) throws {
        for b in text.utf8 {
            guard let c = peek(), c == b || (c | 0x20 == b | 0x20 && Self.isLetter(b)) else {
                throw syntax("expected \"\(text)\"")
            }
            advance()
        }
    }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

    mutating func space() throws {
        guard peek() == 0x20 else { throw syntax("expected a space") }
        advance()
    }

    mutating func optionalSpace() throws -> Bool {
        guard peek() == 0x20 else { return false }
        advance()
        return true
    }

    mutating func crlf() throws {
        guard peek() == 13, peek(1) == 10, pos + 2 == bytes.count else {
            throw syntax("unexpected text at the end of the command")
        }
        pos += 2
    }

    // tag = 1*<any ASTRING-CHAR except "+">
    mutating func tag() throws -> String {
        let start = pos
        while let c = peek(), IMAPCharacters.isTagChar(c) { advance() }
        guard pos > start else { throw syntax("missing tag") }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    // atom = 1*ATOM-CHAR
    mutating func atom() throws -> String {
        let start = pos
        while let c = peek(), IMAPCharacters.isAtomChar(c) { advance() }
        guard pos > start else { throw syntax("expected a word") }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    // number = 1*DIGIT  ; unsigned 32-bit
    mutating func number() throws -> UInt32 {
        var n: UInt64 = 0
        let start = pos
        while let c = peek(), c >= 0x30, c <= 0x39 {
            n = n * 10 + UInt64(c - 0x30)
            guard n <= UInt64(UInt32.max) else { throw syntax("number too large") }
            advance()
        }
        guard pos > start else { throw syntax("expected a number") }
        return UInt32(n)
    }

    // nz-number = digit-nz *DIGIT
    mutating func nzNumber() throws -> UInt32 {
        let n = try number()
        guard n > 0 else { throw syntax("zero is not a valid number here") }
        return n
    }

    // string = quoted / literal
    mutating func string() throws -> [UInt8] {
        switch peek() {
        case UInt8(ascii: "\""): return try quoted()
        case UInt8(ascii: "{"): return try literal()
        default: throw syntax("expected a quoted string or a literal")
        }
    }

    // quoted = DQUOTE *QUOTED-CHAR DQUOTE ; QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials
    // 8-bit bytes are accepted: clients send UTF-8 search text in quoted strings.
    mutating func quoted() throws -> [UInt8] {
        try expect("\"")
        var out: [UInt8] = []
        while true {
            guard let c = peek() else { throw syntax("unterminated quoted string") }
            advance()
            switch c {
            case UInt8(ascii: "\""): return out
            case UInt8(ascii: "\\"):
                guard let e = peek(), e == UInt8(ascii: "\"") || e == UInt8(ascii: "\\") else {
                    throw syntax("only \\\" and \\\\ may be escaped in a quoted string")
                }
                out.append(e)
                advance()
            case 13, 10, 0: throw syntax("a quoted string may not contain CR, LF or NUL")
            default: out.append(c)
            }
        }
    }

    // literal = "{" number ["+"] "}" CRLF *CHAR8  — RFC 3501 §9, RFC 7888
    mutating func literal() throws -> [UInt8] {
        try expect("{")
        let n = Int(try number())
        if peek() == UInt8(ascii: "+") { advance() }
        try expect("}")
        guard peek() == 13, peek(1) == 10 else { throw syntax("a literal size must end the line") }
        advance(2)
        guard pos + n <= bytes.count else { throw syntax("literal shorter than announced") }
        let out = Array(bytes[pos..<(pos + n)])
        pos += n
        return out
    }

    // astring = 1*ASTRING-CHAR / string
    mutating func astring() throws -> [UInt8] {
        if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "{") { return try string() }
        let start = pos
        while let c = peek(), IMAPCharacters.isAStringChar(c) { advance() }
        guard pos > start else { throw syntax("expected a word or a string") }
        return Array(bytes[start..<pos])
    }

    mutating func astringText() throws -> String { String(decoding: try astring(), as: UTF8.self) }

    // list-mailbox = 1*list-char / string
    mutating func listMailbox() throws -> [UInt8] {
        if peek() == UInt8(ascii: "\"") || peek() == UInt8(ascii: "{") { return try string() }
        let start = pos
        while let c = peek(), IMAPCharacters.isListChar(c) { advance() }
        guard pos > start else { throw syntax("expected a mailbox pattern") }
        return Array(bytes[start..<pos])
    }

    // nstring = string / nil
    mutating func nstring() throws -> [UInt8]? {
        if peekWord() == "NIL" {
            advance(3)
            return nil
        }
        return try string()
    }

    /// Mailbox text in modified UTF-7 decoded to Unicode; 8-bit UTF-8 is accepted as is.
    func decodedMailboxText(_ raw: [UInt8]) throws -> String {
        let text = String(decoding: raw, as: UTF8.self)
        if raw.contains(where: { $0 >= 0x80 }) { return text }
        do { return try ModifiedUTF7.decode(text) } catch { throw syntax("\(error)") }
    }

    /// A LIST/LSUB reference or pattern: decoded like a name, but text that is not valid modified
    /// UTF-7 is matched as it stands (it then names no folder) rather than refused.
    func listPatternText(_ raw: [UInt8]) -> String {
        (try? decodedMailboxText(raw)) ?? String(decoding: raw, as: UTF8.self)
    }

    // mailbox = "INBOX" / astring  ; INBOX is case-insensitive
    /// A name that cannot be a folder is noted in `invalidMailbox` (answered NO after parsing) and
    /// stands in as INBOX meanwhile; the parser never returns a command built from it.
    mutating func mailbox(ignoringTrailingSeparator: Bool = false, creating: Bool = false) throws -> MailboxName {
        let raw = try astring()
        do {
            var text = try decodedMailboxText(raw)
            // CREATE "foo." only declares that sub-folders will follow; servers that need no such
            // declaration MUST ignore it (RFC 3501 §6.3.3).
            if ignoringTrailingSeparator, text.count > 1, text.hasSuffix("."), !text.hasSuffix("..") {
                text.removeLast()
            }
            return try MailboxName(text)
        } catch {
            let shown = String(
                decoding: raw.prefix(200).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }, as: UTF8.self)
            let why = (error as? IMAPParseError)?.message ?? "\(error)"
            if invalidMailbox == nil {
                invalidMailbox = IMAPParseError(
                    .invalidMailboxName(creating: creating, deselects: false), tag: tagText,
                    creating
                        ? "Cannot use \(Self.quotedForText(shown)) as a folder name: \(why); choose another name"
                        : "Folder \(Self.quotedForText(shown)) does not exist (\(why)); check the name with LIST")
            }
            return .inbox
        }
    }

    /// Response text is 7-bit and may not hold CR/LF; quotes make the name's edges visible.
    static func quotedForText(_ s: String) -> String {
        "\"" + String(s.unicodeScalars.map { $0.value < 0x80 ? Character($0) : "?" }) + "\""
    }

    // base64 = *(4base64-char) [base64-terminal] — or "=" for an empty initial response (RFC 4959)
    mutating func base64OrEquals() throws -> String {
        let start = pos
        while let c = peek(), c != 13, c != 0x20 { advance() }
        guard pos > start else { throw syntax("expected base64 data") }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    // flag-list = "(" [flag *(SP flag)] ")"
    mutating func flagList() throws -> [Flag] {
        try expect("(")
        var flags: [Flag] = []
        if peek() != UInt8(ascii: ")") {
            repeat { flags.append(try flag()) } while try optionalSpace()
        }
        try expect(")")
        return flags
    }

    // flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension
    // flag-extension = "\" atom ; flag-keyword = atom
    mutating func flag() throws -> Flag {
        var text = ""
        if peek() == UInt8(ascii: "\\") {
            advance()
            text = "\\"
        }
        text += try atom()
        let flag = Flag(text)
        if text.hasPrefix("\\") && !flag.isSystem { throw syntax("unknown system flag \(text)") }
        if flag == .recent { throw syntax("\\Recent cannot be stored") }
        return flag
    }

    // sequence-set = (seq-number / seq-range) *("," sequence-set)
    // seq-range = seq-number ":" seq-number ; seq-number = nz-number / "*"
    /// `sequence-set / "$"` (RFC 5182 §4 extends every sequence set of a command with `$`).
    mutating func sequenceSet() throws -> SequenceSet {
        if peek() == UInt8(ascii: "$") {
            advance()
            return .savedResult
        }
        var ranges: [SequenceSet.Range] = []
        repeat {
            let a = try seqNumber()
            var b = a
            if peek() == UInt8(ascii: ":") {
                advance()
                b = try seqNumber()
            }
            ranges.append(SequenceSet.Range(a, b))
            guard peek() == UInt8(ascii: ",") else { break }
            advance()
        } while true
        return SequenceSet(ranges)
    }

    mutating func seqNumber() throws -> SequenceNumber {
        if peek() == UInt8(ascii: "*") {
            advance()
            return .last
        }
        return .number(try nzNumber())
    }

    // date = date-text / DQUOTE date-text DQUOTE ; date-text = date-day "-" date-month "-" date-year
    mutating func date() throws -> IMAPDate {
        let q = peek() == UInt8(ascii: "\"")
        if q { advance() }
        let day = Int(try number())
        try expect("-")
        let month = try monthName()
        try expect("-")
        let year = Int(try number())
        if q { try expect("\"") }
        guard (1...31).contains(day), (1...9999).contains(year) else { throw syntax("invalid date") }
        return IMAPDate(year: year, month: month, day: day)
    }

    mutating func monthName() throws -> Int {
        guard pos + 3 <= bytes.count else { throw syntax("expected a month name") }
        let m = String(decoding: bytes[pos..<(pos + 3)], as: UTF8.self).lowercased()
        guard let i = IMAPDate.monthNames.firstIndex(where: { $0.lowercased() == m }) else {
            throw syntax("expected a month name such as Jan")
        }
        advance(3)
        return i + 1
    }

    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    // time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ; zone = ("+" / "-") 4DIGIT
    mutating func dateTime() throws -> IMAPDateTime {
        try expect("\"")
        if peek() == 0x20 { advance() }
        let day = Int(try number())
        try expect("-")
        let month = try monthName()
        try expect("-")
        let year = Int(try number())
        try space()
        let h = Int(try number()); try expect(":")
        let m = Int(try number()); try expect(":")
        let s = Int(try number())
        try space()
        guard let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            throw syntax("expected a time zone")
        }
        advance()
        let zone = Int(try number())
        try expect("\"")
        guard (1...31).contains(day), (1...9999).contains(year), h < 24, m < 60, s < 61, zone % 100 < 60, zone <= 2400
        else {
            throw syntax("invalid date-time")
        }
        let zoneMinutes = (zone / 100 * 60 + zone % 100) * (sign == UInt8(ascii: "-") ? -1 : 1)
        let days = IMAPDate(year: year, month: month, day: day).daysSinceEpoch
        let epoch = Int64(days) * 86400 + Int64(h * 3600 + m * 60 + s) - Int64(zoneMinutes * 60)
        return IMAPDateTime(epochSeconds: epoch, zoneMinutes: zoneMinutes)
    }

    // id-params-list = "(" *(string SP nstring) ")" / nil  — RFC 2971 §4
    mutating func idParameters() throws -> [String: String]? {
        if peekWord() == "NIL" {
            advance(3)
            return nil
        }
        try expect("(")
        var out: [String: String] = [:]
        while peek() != UInt8(ascii: ")") {
            if !out.isEmpty { try space() }
            let key = String(decoding: try string(), as: UTF8.self)
            try space()
            let value = try nstring().map { String(decoding: $0, as: UTF8.self) }
            // RFC 2971 §3.3: a client sends at most 30 pairs; the server may ignore any beyond.
            if out.count < 30 { out[key] = value ?? "" }
        }
        try expect(")")
        return out
    }

    // fetch-att = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
    //             "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["<" number "." nz-number ">"] /
    //             "BODY.PEEK" section ["<" number "." nz-number ">"]
    mutating func fetchAttribute() throws -> FetchAttribute {
        let word = peekWord()
        advance(word.utf8.count)
        switch word {
        case "ENVELOPE": return .envelope
        case "FLAGS": return .flags
        case "INTERNALDATE": return .internalDate
        case "RFC822": return .rfc822
        case "RFC822.HEADER": return .rfc822Header
        case "RFC822.SIZE": return .rfc822Size
        case "RFC822.TEXT": return .rfc822Text
        case "BODYSTRUCTURE": return .bodyStructure
        case "UID": return .uid
        case "BODY", "BODY.PEEK":
            guard peek() == UInt8(ascii: "[") else {
                if word == "BODY" { return .bodyBasic }
                throw syntax("BODY.PEEK needs a section such as BODY.PEEK[]")
            }
            let sec = try section()
            return .body(sec, peek: word == "BODY.PEEK", partial: try partial())
        case "BINARY", "BINARY.PEEK", "BINARY.SIZE":
            // section-binary = "[" [section-part] "]"  — RFC 3516 §6
            try expect("[")
            var part: [Int] = []
            while let c = peek(), c >= 0x31, c <= 0x39 {
                part.append(Int(try nzNumber()))
                guard peek() == UInt8(ascii: ".") else { break }
                advance()
            }
            try expect("]")
            if word == "BINARY.SIZE" { return .binarySize(part: part) }
            return .binary(part: part, peek: word == "BINARY.PEEK", partial: try partial())
        default:
            throw syntax(word.isEmpty ? "expected a FETCH item" : "unknown FETCH item \(word)")
        }
    }

    /// An optional `"<" number "." nz-number ">"` after a section (RFC 3501 §9 `fetch-att`).
    mutating func partial() throws -> IMAPPartial? {
        guard peek() == UInt8(ascii: "<") else { return nil }
        advance()
        let o = try number()
        try expect(".")
        let n = try nzNumber()
        try expect(">")
        return IMAPPartial(origin: o, count: n)
    }

    // section = "[" [section-spec] "]"
    // section-spec = section-msgtext / (section-part ["." section-text])
    // section-part = nz-number *("." nz-number) ; section-text = section-msgtext / "MIME"
    // section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
    mutating func section() throws -> IMAPSection {
        try expect("[")
        var part: [Int] = []
        var text: IMAPSection.Text?
        while let c = peek(), c >= 0x31, c <= 0x39 {
            part.append(Int(try nzNumber()))
            guard peek() == UInt8(ascii: ".") else { break }
            advance()
            if let d = peek(), d >= 0x30, d <= 0x39 { continue }
            text = try sectionText(allowMIME: true)
            break
        }
        if part.isEmpty && peek() != UInt8(ascii: "]") { text = try sectionText(allowMIME: false) }
        try expect("]")
        return IMAPSection(part: part, text: text)
    }

    mutating func sectionText(allowMIME: Bool) throws -> IMAPSection.Text {
        var out: [UInt8] = []
        while let c = peek(), IMAPCharacters.isAtomChar(c), c != UInt8(ascii: "["), c != UInt8(ascii: "]") {
            out.append(c)
            advance()
        }
        let word = String(decoding: out, as: UTF8.self).uppercased()
        switch word {
        case "HEADER": return .header
        case "TEXT": return .text
        case "MIME" where allowMIME: return .mime
        case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
            try space()
            // header-list = "(" header-fld-name *(SP header-fld-name) ")"
            try expect("(")
            var names: [String] = []
            repeat { names.append(try astringText()) } while try optionalSpace()
            try expect(")")
            return word == "HEADER.FIELDS" ? .headerFields(names) : .headerFieldsNot(names)
        default: throw syntax("unknown section \(word)")
        }
    }

    // search-key = "ALL" / "ANSWERED" / "BCC" SP astring / ... / sequence-set / "(" search-key *(SP search-key) ")"
    mutating func searchKey(depth: Int) throws -> SearchKey {
        guard depth < limits.nestingDepth else {
            throw IMAPParseError(.limit, tag: tagText, "search keys nested too deeply")
        }
        searchKeys += 1
        guard searchKeys <= limits.searchKeys else {
            throw IMAPParseError(
                .limit, tag: tagText,
                "SEARCH has more than \(limits.searchKeys) keys; split it into several searches")
        }
        if peek() == UInt8(ascii: "(") {
            advance()
            var keys: [SearchKey] = []
            repeat { keys.append(try searchKey(depth: depth + 1)) } while try optionalSpace()
            try expect(")")
            return keys.count == 1 ? keys[0] : .and(keys)
        }
        if let c = peek(), (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "*") || c == UInt8(ascii: "$") {
            return .sequence(try sequenceSet())
        }
        let word = try atom().uppercased()
        func text() throws -> String {
            try space()
            return try astringText()
        }
        func date() throws -> IMAPDate {
            try space()
            return try self.date()
        }
        switch word {
        case "ALL": return .all
        case "ANSWERED": return .answered
        case "DELETED": return .deleted
        case "DRAFT": return .draft
        case "FLAGGED": return .flagged
        case "NEW": return .new
        case "OLD": return .old
        case "RECENT": return .recent
        case "SEEN": return .seen
        case "UNANSWERED": return .unanswered
        case "UNDELETED": return .undeleted
        case "UNDRAFT": return .undraft
        case "UNFLAGGED": return .unflagged
        case "UNSEEN": return .unseen
        case "KEYWORD":
            try space()
            return .keyword(try atom())
        case "UNKEYWORD":
            try space()
            return .unkeyword(try atom())
        case "FROM": return .from(try text())
        case "TO": return .to(try text())
        case "CC": return .cc(try text())
        case "BCC": return .bcc(try text())
        case "SUBJECT": return .subject(try text())
        case "BODY": return .body(try text())
        case "TEXT": return .text(try text())
        case "HEADER":
            let name = try text()
            return .header(name, try text())
        case "BEFORE": return .before(try date())
        case "ON": return .on(try date())
        case "SINCE": return .since(try date())
        case "SENTBEFORE": return .sentBefore(try date())
        case "SENTON": return .sentOn(try date())
        case "SENTSINCE": return .sentSince(try date())
        case "LARGER":
            try space()
            return .larger(try number())
        case "SMALLER":
            try space()
            return .smaller(try number())
        case "UID":
            try space()
            return .uid(try sequenceSet())
        case "NOT":
            try space()
            return .not(try searchKey(depth: depth + 1))
        case "OR":
            try space()
            let a = try searchKey(depth: depth + 1)
            try space()
            return .or(a, try searchKey(depth: depth + 1))
        default: throw syntax("unknown search key \(word)")
        }
    }
}
