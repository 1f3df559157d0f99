import Foundation
import GovMailTestSupport
import XCTest

/// Runs a CLI transcript (Tests/transcripts/cli/*.txt) against the built `govmail` binary.
///
/// Format, one directive per line:
///   `# text`          a comment
///   `@write NAME`     starts a file in the test folder; following `| text` lines are its lines
///   `$ govmail ARGS`  runs a command (ARGS split on spaces, "double quotes" group); every command
///                     also gets `--state-dir` and `--config` for the test folder
///   `< text`          a line of standard input for the next command
///   `> text`          an expected line of standard output
///   `! text`          an expected line of standard error
///   `= N`             the expected exit status (required after each command)
/// Output must match the expected lines exactly and completely; an expected line ending in `…`
/// matches any line that starts with the text before it. `{dir}` stands for the test folder.
struct CLITranscript {
    struct Step {
        var line: Int
        var args: [String]
        var stdin: [String] = []
        var stdout: [String] = []
        var stderr: [String] = []
        var status: Int32?
    }

    enum Item { case write(name: String, lines: [String]), run(Step) }

    let items: [Item]

    init(_ text: String) throws {
        var items: [Item] = []
        var current: Step?
        var file: (String, [String])?
        func flush() {
            if let s = current { items.append(.run(s)); current = nil }
            if let f = file { items.append(.write(name: f.0, lines: f.1)); file = nil }
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let tag = line.prefix(2)
            let rest = String(line.dropFirst(2))
            switch tag {
            case "@w":
                flush()
                file = (String(line.dropFirst("@write ".count)), [])
            case "| " where file != nil: file!.1.append(rest)
            case "$ ":
                flush()
                var args = Self.split(rest)
                guard args.first == "govmail" else {
                    throw NSError(domain: "transcript line \(n + 1): commands start with govmail", code: 1)
                }
                args.removeFirst()
                current = Step(line: n + 1, args: args)
            case "< ": current?.stdin.append(rest)
            case "> ": current?.stdout.append(rest)
            case "! ": current?.stderr.append(rest)
            case "= ": current?.status = Int32(rest)
            default:
                if line == ">" { current?.stdout.append(""); continue }
                throw NSError(domain: "transcript line \(n + 1): cannot read \"\(line)\"", code: 1)
            }
        }
        flush()
        self.items = items
    }

    static func split(_ s: String) -> [String] {
        var out: [String] = [], cur = "", quoted = false, has = false
        for c in s {
            if c == "\"" {
                quoted.toggle(); has = true
            } else if c == " " && !quoted {
                if has || !cur.isEmpty { out.append(cur) }
                cur = ""; has = false
            } else {
                cur.append(c)
            }
        }
        if has || !cur.isEmpty { out.append(cur) }
        return out
    }

    static func matches(
        _ expected: [String], _ actual: String, file: StaticString, line: UInt, what: String, name: String, at: Int
    ) {
        var lines = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let ok =
            expected.count == lines.count
            && zip(expected, lines).allSatisfy { e, a in
                e.hasSuffix("…") ? a.hasPrefix(String(e.dropLast())) : e == a
            }
        if !ok {
            XCTFail(
                "\(name) line \(at): \(what) differs.\nexpected:\n\(expected.joined(separator: "\n"))\nactual:\n\(lines.joined(separator: "\n"))",
                file: file, line: line)
        }
    }

    /// Runs every step in `dir` with the given config file.
    func run(name: String, in dir: String, config: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let sub = { (s: String) in s.replacingOccurrences(of: "{dir}", with: dir) }
        for item in items {
            switch item {
            case .write(let name, let lines):
                try (lines.map(sub).joined(separator: "\n") + "\n").write(
                    toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
            case .run(let step):
                let args = step.args.map(sub) + ["--state-dir", "\(dir)/state", "--config", config]
                let r = try Binary.run(
                    "govmail", args, stdin: step.stdin.isEmpty ? "" : step.stdin.joined(separator: "\n") + "\n")
                Self.matches(
                    step.stdout.map(sub), r.stdout, file: file, line: line,
                    what: "stdout of `\(step.args.joined(separator: " "))`", name: name, at: step.line)
                Self.matches(
                    step.stderr.map(sub), r.stderr, file: file, line: line,
                    what: "stderr of `\(step.args.joined(separator: " "))`", name: name, at: step.line)
                XCTAssertEqual(
                    r.status, step.status ?? -1, "\(name) line \(step.line): exit status", file: file, line: line)
            }
        }
    }
}
