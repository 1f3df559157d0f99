/// One token of a Sieve script (RFC 5228 §8.1) with where it starts.
struct SieveToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier(String)
        /// `:is` → "is" (lowercased: tags compare case-insensitively).
        case tag(String)
        case number(Int)
        case string(String)
        case leftBracket, rightBracket, leftParen, rightParen, comma, semicolon, leftBrace, rightBrace
        case end
    }
    let kind: Kind
    let position: SourcePosition
}

/// Splits a script into tokens; comments and white space are skipped.
///
/// number = 1*DIGIT [ QUANTIFIER ]; QUANTIFIER = "K" / "M" / "G"                      — RFC 5228 §8.1
/// quoted-string = DQUOTE quoted-text DQUOTE (`\` escapes the next character)         — RFC 5228 §2.4.2
/// multi-line = "text:" *(SP / HTAB) (hash-comment / CRLF) *(multiline-literal / multiline-dotstart) "." CRLF
struct SieveLexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    /// Every token, ending with `.end`; throws at the first lexical error.
    static func tokenize(_ source: String) throws(SieveCompileError) -> [SieveToken] {
        var lexer = SieveLexer(source)
        var tokens: [SieveToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }

    private mutating func advance() {
        if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
        index += 1
    }

    private mutating func skipSpaceAndComments() throws(SieveCompileError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" || c == "\n" {
                advance()
            } else if c == "#" {
                while let d = peek(), d != "\n" { advance() }
            } else if c == "/" && peek(1) == "*" {
                let start = position
                advance(); advance()
                while true {
                    guard let d = peek() else { throw SieveCompileError(start, "comment /* is never closed with */") }
                    if d == "*" && peek(1) == "/" { advance(); advance(); break }
                    advance()
                }
            } else {
                return
            }
        }
    }

    mutating func next() throws(SieveCompileError) -> SieveToken {
        try skipSpaceAndComments()
        let start = position
        guard let c = peek() else { return SieveToken(kind: .end, position: start) }
        let single: SieveToken.Kind? =
            switch c {
            case "[": .leftBracket
            case "]": .rightBracket
            case "(": .leftParen
            case ")": .rightParen
            case ",": .comma
            case ";": .semicolon
            case "{": .leftBrace
            case "}": .rightBrace
            default: nil
            }
        if let single {
            advance()
            return SieveToken(kind: single, position: start)
        }
        if c == "\"" { return SieveToken(kind: .string(try quotedString(start)), position: start) }
        if c == ":" {
            advance()
            guard let first = peek(), Self.isIdentifierStart(first) else {
                throw SieveCompileError(start, "a tag needs a name after the colon (for example :is)")
            }
            return SieveToken(kind: .tag(identifier().lowercased()), position: start)
        }
        if ("0"..."9").contains(c) {
            return SieveToken(kind: .number(try number(start)), position: start)
        }
        if Self.isIdentifierStart(c) {
            let word = identifier()
            if word.lowercased() == "text" && peek() == ":" {
                advance()
                return SieveToken(kind: .string(try multiline(start)), position: start)
            }
            return SieveToken(kind: .identifier(word.lowercased()), position: start)
        }
        throw SieveCompileError(start, "unexpected character \"\(Character(c))\"")
    }

    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    private mutating func identifier() -> String {
        var out = ""
        while let c = peek(), Self.isIdentifierStart(c) || ("0"..."9").contains(c) {
            out.unicodeScalars.append(c)
            advance()
        }
        return out
    }

    private mutating func number(_ start: SourcePosition) throws(SieveCompileError) -> Int {
        var value = 0
        while let c = peek(), ("0"..."9").contains(c) {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(c.value - 48))
            guard !o1, !o2, s <= Int(Int32.max) * 1024 else { throw SieveCompileError(start, "number too large") }
            value = s
            advance()
        }
        if let q = peek() {
            let factor: Int? =
                switch q {
                case "K", "k": 1 << 10
                case "M", "m": 1 << 20
                case "G", "g": 1 << 30
                default: nil
                }
            if let factor {
                advance()
                let (v, o) = value.multipliedReportingOverflow(by: factor)
                guard !o else { throw SieveCompileError(start, "number too large") }
                value = v
            }
        }
        return value
    }

    private mutating func quotedString(_ start: SourcePosition) throws(SieveCompileError) -> String {
        advance()  // opening quote
        var out = ""
        while true {
            guard let c = peek() else { throw SieveCompileError(start, "string is never closed with a double quote") }
            advance()
            if c == "\"" { return out }
            if c == "\\" {
                guard let escaped = peek() else { throw SieveCompileError(start, "string is never closed") }
                advance()
                out.unicodeScalars.append(escaped)
            } else if c == "\r" && peek() == "\n" {
                continue  // CRLF inside a quoted string is kept as one line break
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }

    private mutating func multiline(_ start: SourcePosition) throws(SieveCompileError) -> String {
        while let c = peek(), c == " " || c == "\t" { advance() }
        if peek() == "#" { while let d = peek(), d != "\n" { advance() } }
        if peek() == "\r" { advance() }
        guard peek() == "\n" else {
            throw SieveCompileError(start, "text: must be followed by the end of the line")
        }
        advance()
        var lines: [String] = []
        while true {
            guard index < scalars.count else {
                throw SieveCompileError(start, "text: block is never closed with a line holding only \".\"")
            }
            var lineText = ""
            while let c = peek(), c != "\n" {
                lineText.unicodeScalars.append(c)
                advance()
            }
            if peek() == "\n" { advance() }
            if lineText.hasSuffix("\r") { lineText.removeLast() }
            if lineText == "." { break }
            if lineText.hasPrefix("..") { lineText.removeFirst() }
            lines.append(lineText)
        }
        return lines.map { $0 + "\r\n" }.joined()
    }
}
