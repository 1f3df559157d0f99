/// The generic syntax tree of RFC 5228 §8.2, before any command is known: what the parser
/// produces and the validator turns into a typed `SieveScript`.
struct SyntaxArgument: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case tag(String)
        case number(Int)
        case strings([String])
    }
    let value: Value
    let position: SourcePosition
}

struct SyntaxTest: Sendable, Equatable {
    let name: String
    let arguments: [SyntaxArgument]
    let tests: [SyntaxTest]
    let position: SourcePosition
}

struct SyntaxCommand: Sendable, Equatable {
    let name: String
    let arguments: [SyntaxArgument]
    let tests: [SyntaxTest]
    /// nil for a command ended by `;`.
    let block: [SyntaxCommand]?
    let position: SourcePosition
}

/// Recursive-descent parser over the token list.
struct SieveParser {
    private let tokens: [SieveToken]
    private var index = 0
    private let maxNesting: Int

    init(tokens: [SieveToken], maxNesting: Int) {
        self.tokens = tokens
        self.maxNesting = maxNesting
    }

    /// start = commands                                                           — RFC 5228 §8.2
    static func parse(_ source: String, limits: SieveLimits) throws(SieveCompileError) -> [SyntaxCommand] {
        guard source.utf8.count <= limits.maxScriptSize else {
            throw SieveCompileError(
                SourcePosition(line: 1, column: 1),
                "script is \(source.utf8.count) bytes; the limit is \(limits.maxScriptSize) bytes")
        }
        var parser = SieveParser(tokens: try SieveLexer.tokenize(source), maxNesting: limits.maxNesting)
        let commands = try parser.commands(depth: 0)
        guard case .end = parser.current.kind else {
            throw SieveCompileError(
                parser.current.position, "unexpected \(parser.describe(parser.current)); expected a command")
        }
        return commands
    }

    private var current: SieveToken { tokens[index] }

    private func describe(_ t: SieveToken) -> String {
        switch t.kind {
        case .identifier(let s): "\"\(s)\""
        case .tag(let s): ":\(s)"
        case .number(let n): "number \(n)"
        case .string: "a string"
        case .leftBracket: "\"[\""
        case .rightBracket: "\"]\""
        case .leftParen: "\"(\""
        case .rightParen: "\")\""
        case .comma: "\",\""
        case .semicolon: "\";\""
        case .leftBrace: "\"{\""
        case .rightBrace: "\"}\""
        case .end: "end of script"
        }
    }

    // commands = *command
    private mutating func commands(depth: Int) throws(SieveCompileError) -> [SyntaxCommand] {
        var out: [SyntaxCommand] = []
        while case .identifier = current.kind { out.append(try command(depth: depth)) }
        return out
    }

    // command = identifier arguments (";" / block)
    private mutating func command(depth: Int) throws(SieveCompileError) -> SyntaxCommand {
        let (name, position, arguments, tests) = try head("command", "blocks", depth: depth)
        switch current.kind {
        case .semicolon:
            index += 1
            return SyntaxCommand(name: name, arguments: arguments, tests: tests, block: nil, position: position)
        case .leftBrace:
            index += 1
            let block = try commands(depth: depth + 1)
            guard case .rightBrace = current.kind else {
                throw SieveCompileError(
                    current.position, "expected \"}\" to close the block, found \(describe(current))")
            }
            index += 1
            return SyntaxCommand(name: name, arguments: arguments, tests: tests, block: block, position: position)
        default:
            throw SieveCompileError(
                current.position, "expected \";\" after the \(name) command, found \(describe(current))")
        }
    }

    // arguments = *argument [ test / test-list ]
    private mutating func argumentsAndTests(depth: Int) throws(SieveCompileError) -> ([SyntaxArgument], [SyntaxTest]) {
        var arguments: [SyntaxArgument] = []
        while let a = try argument() { arguments.append(a) }
        switch current.kind {
        case .identifier:
            return (arguments, [try test(depth: depth + 1)])
        case .leftParen:
            index += 1
            var tests = [try test(depth: depth + 1)]
            while case .comma = current.kind {
                index += 1
                tests.append(try test(depth: depth + 1))
            }
            guard case .rightParen = current.kind else {
                throw SieveCompileError(
                    current.position, "expected \")\" or \",\" in the test list, found \(describe(current))")
            }
            index += 1
            return (arguments, tests)
        default:
            return (arguments, [])
        }
    }

    // argument = string-list / number / tag
    private mutating func argument() throws(SieveCompileError) -> SyntaxArgument? {
        let position = current.position
        switch current.kind {
        case .tag(let t):
            index += 1
            return SyntaxArgument(value: .tag(t), position: position)
        case .number(let n):
            index += 1
            return SyntaxArgument(value: .number(n), position: position)
        case .string(let s):
            index += 1
            return SyntaxArgument(value: .strings([s]), position: position)
        case .leftBracket:
            index += 1
            var list: [String] = []
            while true {
                guard case .string(let s) = current.kind else {
                    throw SieveCompileError(
                        current.position, "expected a string in the list, found \(describe(current))")
                }
                list.append(s)
                index += 1
                if case .comma = current.kind { index += 1; continue }
                guard case .rightBracket = current.kind else {
                    throw SieveCompileError(
                        current.position, "expected \",\" or \"]\" in the string list, found \(describe(current))")
                }
                index += 1
                return SyntaxArgument(value: .strings(list), position: position)
            }
        default:
            return nil
        }
    }

    // test = identifier arguments
    private mutating func test(depth: Int) throws(SieveCompileError) -> SyntaxTest {
        let (name, position, arguments, tests) = try head("test", "tests", depth: depth)
        return SyntaxTest(name: name, arguments: arguments, tests: tests, position: position)
    }

    /// What commands and tests begin with: identifier arguments (within the nesting limit).
    private mutating func head(_ what: String, _ plural: String, depth: Int) throws(SieveCompileError)
        -> (String, SourcePosition, [SyntaxArgument], [SyntaxTest])
    {
        guard depth <= maxNesting else { throw SieveCompileError(current.position, "\(plural) nested too deeply") }
        guard case .identifier(let name) = current.kind else {
            throw SieveCompileError(current.position, "expected a \(what), found \(describe(current))")
        }
        let position = current.position
        index += 1
        let (arguments, tests) = try argumentsAndTests(depth: depth)
        return (name, position, arguments, tests)
    }
}
