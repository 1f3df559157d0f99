/// Turns the generic syntax tree into typed commands and tests, checking names, tags, argument
/// counts and that each extension used was required (RFC 5228 §3.2, §8.3).
struct SieveValidator {
    private(set) var required: Set<String> = []
    private var sawOtherCommand = false

    mutating func commands(_ syntax: [SyntaxCommand], atTopLevel: Bool) throws(SieveCompileError) -> [SieveCommand] {
        var out: [SieveCommand] = []
        var index = 0
        while index < syntax.count {
            let c = syntax[index]
            index += 1
            switch c.name {
            case "require":
                guard atTopLevel, !sawOtherCommand else {
                    throw SieveCompileError(c.position, "require must come before every other command")
                }
                var r = try ArgumentReader(c, spec: [:])
                for name in try r.positionalStrings(c, "extension names") {
                    guard SieveExtensions.supported.contains(name) || Self.implicitComparators.contains(name) else {
                        throw SieveCompileError(c.position, "extension \"\(name)\" is not supported by this server")
                    }
                    required.insert(name)
                }
                try r.finish(c)
                try noBlockNoTest(c)
                continue
            case "if":
                sawOtherCommand = true
                var branches = [try branch(c)]
                var otherwise: [SieveCommand]?
                while index < syntax.count, syntax[index].name == "elsif" || syntax[index].name == "else" {
                    let next = syntax[index]
                    index += 1
                    if next.name == "elsif" {
                        branches.append(try branch(next))
                    } else {
                        guard next.arguments.isEmpty, next.tests.isEmpty, let block = next.block else {
                            throw SieveCompileError(next.position, "else takes no test and needs a block { … }")
                        }
                        otherwise = try commands(block, atTopLevel: false)
                        break
                    }
                }
                out.append(.conditional(branches, otherwise: otherwise))
                continue
            case "elsif", "else":
                throw SieveCompileError(c.position, "\(c.name) must follow an if or elsif block")
            default:
                sawOtherCommand = true
                try noBlockNoTest(c)
                out.append(try action(c))
            }
        }
        return out
    }

    static let implicitComparators: Set<String> = ["comparator-i;octet", "comparator-i;ascii-casemap"]

    private mutating func branch(_ c: SyntaxCommand) throws(SieveCompileError) -> SieveBranch {
        guard c.arguments.isEmpty, c.tests.count == 1, let block = c.block else {
            throw SieveCompileError(c.position, "\(c.name) needs exactly one test and a block { … }")
        }
        return SieveBranch(test: try test(c.tests[0]), block: try commands(block, atTopLevel: false))
    }

    private func noBlockNoTest(_ c: SyntaxCommand) throws(SieveCompileError) {
        if c.block != nil { throw SieveCompileError(c.position, "\(c.name) takes no block; end it with \";\"") }
        if !c.tests.isEmpty { throw SieveCompileError(c.position, "\(c.name) takes no test") }
    }

    private func need(_ ext: String, _ position: SourcePosition, _ what: String) throws(SieveCompileError) {
        guard required.contains(ext) else {
            throw SieveCompileError(position, "\(what) needs require \"\(ext)\" at the top of the script")
        }
    }

    private mutating func action(_ c: SyntaxCommand) throws(SieveCompileError) -> SieveCommand {
        let p = c.position
        switch c.name {
        case "keep":
            var r = try ArgumentReader(c, spec: ["flags": .strings])
            let flags = r.strings("flags")
            if flags != nil { try need("imap4flags", p, "keep :flags") }
            try r.finish(c)
            return .keep(flags: flags)
        case "discard":
            let r = try ArgumentReader(c, spec: [:])
            try r.finish(c)
            return .discard
        case "stop":
            let r = try ArgumentReader(c, spec: [:])
            try r.finish(c)
            return .stop
        case "redirect":
            var r = try ArgumentReader(c, spec: ["copy": .flag])
            let copy = r.flag("copy")
            if copy { try need("copy", p, "redirect :copy") }
            let address = try r.positionalString(c, "an address")
            try r.finish(c)
            return .redirect(address, copy: copy)
        case "fileinto":
            try need("fileinto", p, "fileinto")
            var r = try ArgumentReader(c, spec: ["copy": .flag, "create": .flag, "flags": .strings])
            let copy = r.flag("copy"), create = r.flag("create"), flags = r.strings("flags")
            if copy { try need("copy", p, "fileinto :copy") }
            if flags != nil { try need("imap4flags", p, "fileinto :flags") }
            // :create is RFC 5490's mailbox extension; Pigeonhole accepts it with "fileinto" too.
            let mailbox = try r.positionalString(c, "a folder name")
            try r.finish(c)
            return .fileinto(mailbox, create: create, copy: copy, flags: flags)
        case "vacation":
            try need("vacation", p, "vacation")
            var r = try ArgumentReader(
                c,
                spec: [
                    "days": .number, "seconds": .number, "subject": .string, "from": .string, "addresses": .strings,
                    "mime": .flag, "handle": .string,
                ])
            var v = VacationParameters(reason: "")
            if let d = r.number("days") { v.period = d * 86_400 }
            if let s = r.number("seconds") {
                try need("vacation-seconds", p, "vacation :seconds")
                guard v.period == nil else { throw SieveCompileError(p, "vacation takes :days or :seconds, not both") }
                v.period = s
            }
            v.subject = r.string("subject")
            v.from = r.string("from")
            v.addresses = r.strings("addresses") ?? []
            v.mime = r.flag("mime")
            v.handle = r.string("handle")
            v.reason = try r.positionalString(c, "the reply text")
            try r.finish(c)
            return .vacation(v)
        case "setflag", "addflag", "removeflag":
            try need("imap4flags", p, c.name)
            var r = try ArgumentReader(c, spec: [:])
            let lists = r.remainingStringLists()
            guard lists.count == 1 || lists.count == 2 else {
                throw SieveCompileError(p, "\(c.name) takes an optional variable name and a list of flags")
            }
            if lists.count == 2 { try need("variables", p, "\(c.name) with a variable name") }
            guard lists.count == 1 || lists[0].count == 1 else {
                throw SieveCompileError(p, "\(c.name): the variable name must be one string")
            }
            try r.finish(c)
            return .flags(FlagOperation(rawValue: c.name)!, variable: lists.count == 2 ? lists[0][0] : nil, lists.last!)
        case "set":
            try need("variables", p, "set")
            let modifierNames = ["lower", "upper", "lowerfirst", "upperfirst", "quotewildcard", "length"]
            var r = try ArgumentReader(c, spec: Dictionary(uniqueKeysWithValues: modifierNames.map { ($0, .flag) }))
            let modifiers = modifierNames.filter { r.flag($0) }
            let name = try r.positionalString(c, "a variable name")
            guard Self.isValidVariableName(name) else {
                throw SieveCompileError(
                    p, "\"\(name)\" is not a valid variable name (letters, digits, _; not starting with a digit)")
            }
            let value = try r.positionalString(c, "a value")
            try r.finish(c)
            return .set(name: name.lowercased(), value: value, modifiers: modifiers)
        default:
            throw SieveCompileError(p, "unknown command \"\(c.name)\"; check the spelling or the require line")
        }
    }

    static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, SieveLexer.isIdentifierStart(first) else { return false }
        return name.unicodeScalars.allSatisfy { SieveLexer.isIdentifierStart($0) || ("0"..."9").contains($0) }
    }

    private static let matchSpec: [String: ArgumentReader.Arity] = [
        "is": .flag, "contains": .flag, "matches": .flag, "value": .string, "count": .string, "comparator": .string,
    ]
    private static let addressPartSpec: [String: ArgumentReader.Arity] = [
        "all": .flag, "localpart": .flag, "domain": .flag,
    ]

    private mutating func test(_ t: SyntaxTest) throws(SieveCompileError) -> SieveTest {
        let p = t.position
        let c = SyntaxCommand(name: t.name, arguments: t.arguments, tests: [], block: nil, position: p)
        func noSubtests() throws(SieveCompileError) {
            if !t.tests.isEmpty { throw SieveCompileError(p, "\(t.name) takes no nested test") }
        }
        switch t.name {
        case "true", "false":
            try noSubtests()
            let r = try ArgumentReader(c, spec: [:])
            try r.finish(c)
            return .constant(t.name == "true")
        case "not":
            guard t.arguments.isEmpty, t.tests.count == 1 else {
                throw SieveCompileError(p, "not takes exactly one test")
            }
            return .not(try test(t.tests[0]))
        case "allof", "anyof":
            guard t.arguments.isEmpty, !t.tests.isEmpty else {
                throw SieveCompileError(p, "\(t.name) takes a list of tests in parentheses")
            }
            var subtests: [SieveTest] = []
            for s in t.tests { subtests.append(try test(s)) }
            return t.name == "allof" ? .allOf(subtests) : .anyOf(subtests)
        case "exists":
            try noSubtests()
            var r = try ArgumentReader(c, spec: [:])
            let names = try r.positionalStrings(c, "header names")
            try r.finish(c)
            return .exists(names)
        case "size":
            try noSubtests()
            var r = try ArgumentReader(c, spec: ["over": .flag, "under": .flag])
            let over = r.flag("over"), under = r.flag("under")
            guard over != under else { throw SieveCompileError(p, "size needs exactly one of :over or :under") }
            let limit = try r.positionalNumber(c)
            try r.finish(c)
            return .size(over: over, limit: limit)
        case "header":
            try noSubtests()
            let (m, headers, keys) = try matchOverStrings(c, "header names")
            return .header(m, headers: headers, keys: keys)
        case "address", "envelope":
            try noSubtests()
            if t.name == "envelope" { try need("envelope", p, "the envelope test") }
            var r = try ArgumentReader(c, spec: Self.matchSpec.merging(Self.addressPartSpec) { a, _ in a })
            let m = try matchOptions(&r, p)
            let parts = Self.addressPartSpec.keys.filter { r.flag($0) }
            guard parts.count <= 1 else { throw SieveCompileError(p, "use only one of :all, :localpart, :domain") }
            let part = parts.first.flatMap(AddressPart.init(rawValue:)) ?? .all
            let headers = try r.positionalStrings(
                c, t.name == "envelope" ? "envelope parts (\"from\", \"to\")" : "header names")
            let keys = try r.positionalStrings(c, "keys")
            try r.finish(c)
            if t.name == "envelope" {
                for h in headers where !["from", "to"].contains(h.lowercased()) {
                    throw SieveCompileError(p, "envelope part \"\(h)\" is not supported; use \"from\" or \"to\"")
                }
                return .envelope(part, m, parts: headers.map { $0.lowercased() }, keys: keys)
            }
            return .address(part, m, headers: headers, keys: keys)
        case "body":
            try noSubtests()
            try need("body", p, "the body test")
            var spec = Self.matchSpec
            spec["raw"] = .flag; spec["text"] = .flag; spec["content"] = .strings
            var r = try ArgumentReader(c, spec: spec)
            let m = try matchOptions(&r, p)
            let raw = r.flag("raw"), text = r.flag("text"), content = r.strings("content")
            guard [raw, text, content != nil].filter({ $0 }).count <= 1 else {
                throw SieveCompileError(p, "use only one of :raw, :text, :content")
            }
            let transform: BodyTransform = raw ? .raw : content.map { .content($0.map { $0.lowercased() }) } ?? .text
            let keys = try r.positionalStrings(c, "keys")
            try r.finish(c)
            return .body(transform, m, keys: keys)
        case "currentdate", "date":
            try noSubtests()
            try need("date", p, "the \(t.name) test")
            var spec = Self.matchSpec
            spec["zone"] = .string
            if t.name == "date" { spec["originalzone"] = .flag }
            var r = try ArgumentReader(c, spec: spec)
            let m = try matchOptions(&r, p)
            var zone = DateZone.local
            if let z = r.string("zone") {
                guard let minutes = SieveDate.parseZone(z) else {
                    throw SieveCompileError(p, "zone \"\(z)\" is not of the form +hhmm or -hhmm")
                }
                zone = .fixed(minutes)
            }
            if r.flag("originalzone") {
                guard zone == .local else { throw SieveCompileError(p, "use :zone or :originalzone, not both") }
                zone = .original
            }
            let header = t.name == "date" ? try r.positionalString(c, "a header name") : ""
            let part = try r.positionalString(c, "a date part (\"date\", \"year\", \"iso8601\", …)").lowercased()
            guard SieveDate.parts.contains(part) else {
                throw SieveCompileError(
                    p, "unknown date part \"\(part)\"; use one of \(SieveDate.parts.joined(separator: ", "))")
            }
            let keys = try r.positionalStrings(c, "keys")
            try r.finish(c)
            return t.name == "date"
                ? .date(zone, m, header: header, part: part, keys: keys) : .currentDate(zone, m, part: part, keys: keys)
        case "string":
            try noSubtests()
            try need("variables", p, "the string test")
            let (m, sources, keys) = try matchOverStrings(c, "source strings")
            return .string(m, sources: sources, keys: keys)
        case "hasflag":
            try noSubtests()
            try need("imap4flags", p, "the hasflag test")
            var r = try ArgumentReader(c, spec: Self.matchSpec)
            let m = try matchOptions(&r, p)
            let lists = r.remainingStringLists()
            guard lists.count == 1 || lists.count == 2 else {
                throw SieveCompileError(p, "hasflag takes an optional list of variables and a list of flags")
            }
            try r.finish(c)
            return .hasFlag(m, variables: lists.count == 2 ? lists[0] : nil, flags: lists.last!)
        default:
            throw SieveCompileError(p, "unknown test \"\(t.name)\"; check the spelling or the require line")
        }
    }

    /// `TEST [COMPARATOR] [MATCH-TYPE] <what: string-list> <keys: string-list>` (header, string).
    private func matchOverStrings(_ c: SyntaxCommand, _ what: String) throws(SieveCompileError)
        -> (MatchOptions, [String], [String])
    {
        var r = try ArgumentReader(c, spec: Self.matchSpec)
        let m = try matchOptions(&r, c.position)
        let values = try r.positionalStrings(c, what)
        let keys = try r.positionalStrings(c, "keys")
        try r.finish(c)
        return (m, values, keys)
    }

    private func matchOptions(_ r: inout ArgumentReader, _ p: SourcePosition) throws(SieveCompileError) -> MatchOptions
    {
        var options = MatchOptions()
        var kinds: [MatchType] = []
        if r.flag("is") { kinds.append(.is) }
        if r.flag("contains") { kinds.append(.contains) }
        if r.flag("matches") { kinds.append(.matches) }
        for tag in ["value", "count"] {
            guard let op = r.string(tag) else { continue }
            try need("relational", p, ":\(tag)")
            guard let rel = RelationalOperator(rawValue: op.lowercased()) else {
                throw SieveCompileError(p, "\"\(op)\" is not a relational operator; use gt, ge, lt, le, eq or ne")
            }
            kinds.append(tag == "value" ? .value(rel) : .count(rel))
        }
        guard kinds.count <= 1 else {
            throw SieveCompileError(p, "use only one match type (:is, :contains, :matches, …)")
        }
        options.match = kinds.first ?? .is
        if let name = r.string("comparator") {
            guard let comparator = SieveComparator(rawValue: name.lowercased()) else {
                throw SieveCompileError(p, "comparator \"\(name)\" is not supported; use i;ascii-casemap or i;octet")
            }
            if comparator == .asciiNumeric { try need("comparator-i;ascii-numeric", p, "comparator i;ascii-numeric") }
            options.comparator = comparator
        }
        return options
    }
}

/// Reads the tagged arguments (which come first, RFC 5228 §2.6.2) and then the positional ones.
struct ArgumentReader {
    enum Arity { case flag, string, strings, number }

    private var tags: [String: SyntaxArgument.Value?] = [:]
    private var positional: [SyntaxArgument] = []
    private var next = 0

    init(_ c: SyntaxCommand, spec: [String: Arity]) throws(SieveCompileError) {
        var i = 0
        while i < c.arguments.count {
            let a = c.arguments[i]
            i += 1
            guard case .tag(let t) = a.value else {
                positional.append(a)
                continue
            }
            guard positional.isEmpty else {
                throw SieveCompileError(a.position, "tag :\(t) must come before the other arguments of \(c.name)")
            }
            guard let arity = spec[t] else {
                throw SieveCompileError(a.position, "\(c.name) has no tag :\(t)")
            }
            guard tags[t] == nil else { throw SieveCompileError(a.position, "tag :\(t) given twice") }
            if arity == .flag {
                tags[t] = .some(nil)
                continue
            }
            guard i < c.arguments.count else { throw SieveCompileError(a.position, ":\(t) needs a value after it") }
            let v = c.arguments[i]
            i += 1
            switch (arity, v.value) {
            case (.number, .number), (.strings, .strings): break
            case (.string, .strings(let list)) where list.count == 1: break
            default: throw SieveCompileError(v.position, ":\(t) needs \(Self.describe(arity)) after it")
            }
            tags[t] = .some(v.value)
        }
    }

    private static func describe(_ a: Arity) -> String {
        switch a {
        case .flag: "nothing"
        case .string: "one string"
        case .strings: "a string list"
        case .number: "a number"
        }
    }

    mutating func flag(_ t: String) -> Bool { tags.removeValue(forKey: t) != nil }
    mutating func string(_ t: String) -> String? {
        guard case .strings(let l)?? = tags.removeValue(forKey: t) else { return nil }
        return l.first
    }
    mutating func strings(_ t: String) -> [String]? {
        guard case .strings(let l)?? = tags.removeValue(forKey: t) else { return nil }
        return l
    }
    mutating func number(_ t: String) -> Int? {
        guard case .number(let n)?? = tags.removeValue(forKey: t) else { return nil }
        return n
    }

    mutating func positionalStrings(_ c: SyntaxCommand, _ what: String) throws(SieveCompileError) -> [String] {
        guard next < positional.count, case .strings(let l) = positional[next].value else {
            throw SieveCompileError(
                next < positional.count ? positional[next].position : c.position, "\(c.name) needs \(what)")
        }
        next += 1
        return l
    }

    mutating func positionalString(_ c: SyntaxCommand, _ what: String) throws(SieveCompileError) -> String {
        let position = next < positional.count ? positional[next].position : c.position
        let l = try positionalStrings(c, what)
        guard l.count == 1 else {
            throw SieveCompileError(position, "\(c.name) needs \(what) as one string, not a list")
        }
        return l[0]
    }

    mutating func positionalNumber(_ c: SyntaxCommand) throws(SieveCompileError) -> Int {
        guard next < positional.count, case .number(let n) = positional[next].value else {
            throw SieveCompileError(c.position, "\(c.name) needs a number")
        }
        next += 1
        return n
    }

    /// The string lists left (for commands whose first argument is optional).
    mutating func remainingStringLists() -> [[String]] {
        var out: [[String]] = []
        while next < positional.count, case .strings(let l) = positional[next].value {
            out.append(l)
            next += 1
        }
        return out
    }

    /// Throws when an argument was not used (a tag the command knows but this form does not, or an extra value).
    func finish(_ c: SyntaxCommand) throws(SieveCompileError) {
        if let t = tags.keys.sorted().first { throw SieveCompileError(c.position, "tag :\(t) is not allowed here") }
        if next < positional.count {
            throw SieveCompileError(positional[next].position, "too many arguments for \(c.name)")
        }
    }
}
