/// One ManageSieve command line with its arguments (RFC 5804 §4), literals already read.
public struct ManageSieveCommand: Sendable, Equatable {
    /// Upper-cased command name ("PUTSCRIPT").
    public let name: String
    public let arguments: [ManageSieveArgument]
}

public enum ManageSieveArgument: Sendable, Equatable {
    case string([UInt8])
    case number(Int)

    var text: String? {
        if case .string(let b) = self { return String(decoding: b, as: UTF8.self) }
        return nil
    }
}

/// Why input could not be a command.
public enum ManageSieveParseError: Error, Sendable, Equatable {
    /// Bad syntax: answer NO and go on with the next line. `skipFrom` is nil when the line was
    /// consumed, else the offset from which the rest of the bad line (through its LF) must be dropped.
    case syntax(String, skipFrom: Int?)
    /// A line or literal over the limits: answer BYE and close (abuse, or a stream out of sync).
    case tooLarge(String)
}

/// Frames and parses commands from buffered bytes. Three outcomes (STYLE.md): nil = need more
/// bytes (nothing consumed), a command (consumed), or an error (the bad line consumed).
///
/// command   = atom *(SP argument) CRLF;  argument = string / number
/// string    = quoted / literal;  literal-c2s = "{" number [ "+" ] "}" CRLF *OCTET      — RFC 5804 §4
/// quoted    = DQUOTE *(SAFE-UTF8-CHAR / "\" QUOTED-SPECIALS) DQUOTE
struct ManageSieveParser {
    let maxLineLength: Int
    let maxLiteralSize: Int

    /// Parses one command from the front of `buffer`, removing what it consumed.
    func command(_ buffer: inout [UInt8]) throws(ManageSieveParseError) -> ManageSieveCommand? {
        guard let (items, consumed) = try scan(buffer, allowAtom: true) else { return nil }
        buffer.removeFirst(consumed)
        guard case .atom(let name)? = items.first else {
            throw ManageSieveParseError.syntax("expected a command name", skipFrom: nil)
        }
        var arguments: [ManageSieveArgument] = []
        for item in items.dropFirst() {
            switch item {
            case .atom(let a):
                throw ManageSieveParseError.syntax("unexpected word \"\(a)\"; quote string arguments", skipFrom: nil)
            case .string(let s): arguments.append(.string(s))
            case .number(let n): arguments.append(.number(n))
            }
        }
        return ManageSieveCommand(name: name.uppercased(), arguments: arguments)
    }

    /// A SASL continuation: one string on its own line (RFC 5804 §2.1).
    func continuation(_ buffer: inout [UInt8]) throws(ManageSieveParseError) -> [UInt8]? {
        guard let (items, consumed) = try scan(buffer, allowAtom: false) else { return nil }
        buffer.removeFirst(consumed)
        guard items.count == 1, case .string(let s) = items[0] else {
            throw ManageSieveParseError.syntax(
                "expected one string answering the authentication challenge", skipFrom: nil)
        }
        return s
    }

    private enum Item { case atom(String), string([UInt8]), number(Int) }

    /// Items of one logical line (literals included) and the bytes it spans, or nil when incomplete.
    private func scan(_ b: [UInt8], allowAtom: Bool) throws(ManageSieveParseError) -> ([Item], Int)? {
        var i = 0
        var items: [Item] = []
        var lineStart = 0
        while true {
            if i - lineStart > maxLineLength { throw ManageSieveParseError.tooLarge("command line too long") }
            guard i < b.count else {
                if b.count - lineStart > maxLineLength { throw ManageSieveParseError.tooLarge("command line too long") }
                return nil
            }
            let c = b[i]
            switch c {
            case UInt8(ascii: " "):
                i += 1
            case UInt8(ascii: "\r"):
                guard i + 1 < b.count else { return nil }
                guard b[i + 1] == UInt8(ascii: "\n") else { try skipLine(b, from: i, "bare CR in a command") }
                return (items, i + 2)
            case UInt8(ascii: "\n"):
                return (items, i + 1)  // tolerated: some clients end lines with LF only
            case UInt8(ascii: "\""):
                var out: [UInt8] = []
                var j = i + 1
                while true {
                    guard j < b.count else { return nil }
                    let d = b[j]
                    if d == UInt8(ascii: "\"") { break }
                    if d == UInt8(ascii: "\r") || d == UInt8(ascii: "\n") {
                        try skipLine(b, from: j, "a quoted string cannot hold a line break; send a literal")
                    }
                    if d == UInt8(ascii: "\\") {
                        guard j + 1 < b.count else { return nil }
                        out.append(b[j + 1])
                        j += 2
                        continue
                    }
                    out.append(d)
                    j += 1
                }
                items.append(.string(out))
                i = j + 1
            case UInt8(ascii: "{"):
                var j = i + 1
                var n = 0
                while j < b.count, (48...57).contains(b[j]) {
                    n = n * 10 + Int(b[j] - 48)
                    if n > maxLiteralSize {
                        throw ManageSieveParseError.tooLarge("literal of more than \(maxLiteralSize) bytes")
                    }
                    j += 1
                }
                if j < b.count, b[j] == UInt8(ascii: "+") { j += 1 }
                guard j < b.count else { return nil }
                guard b[j] == UInt8(ascii: "}") else { try skipLine(b, from: j, "malformed literal {N+}") }
                j += 1
                guard j < b.count else { return nil }
                if b[j] == UInt8(ascii: "\r") {
                    guard j + 1 < b.count else { return nil }
                    j += 1
                }
                guard b[j] == UInt8(ascii: "\n") else { try skipLine(b, from: j, "a literal {N+} must end its line") }
                j += 1
                guard b.count >= j + n else { return nil }
                items.append(.string(Array(b[j..<(j + n)])))
                i = j + n
                lineStart = i
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                var n = 0
                var j = i
                while j < b.count, (48...57).contains(b[j]) {
                    n = min(n * 10 + Int(b[j] - 48), Int(Int32.max))
                    j += 1
                }
                guard j < b.count else { return nil }
                items.append(.number(n))
                i = j
            default:
                var j = i
                while j < b.count, b[j] != UInt8(ascii: " "), b[j] != UInt8(ascii: "\r"), b[j] != UInt8(ascii: "\n") {
                    j += 1
                }
                guard j < b.count else { return nil }
                let word = String(decoding: b[i..<j], as: UTF8.self)
                guard allowAtom, items.isEmpty else {
                    try skipLine(b, from: j, "unexpected \"\(word)\"; quote string arguments")
                }
                items.append(.atom(word))
                i = j
            }
        }
    }

    private func skipLine(_ b: [UInt8], from: Int, _ why: String) throws(ManageSieveParseError) -> Never {
        throw ManageSieveParseError.syntax(why, skipFrom: from)
    }
}
