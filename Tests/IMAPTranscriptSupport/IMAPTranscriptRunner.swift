import Foundation
import IMAPProtocol
import MailCore

/// Runs the plain-text IMAP dialogs of `Tests/transcripts/imap` against any backend.
///
/// Directives (one per line; `#` starts a comment):
///   config: tls=on|off starttls=on|off appendlimit=N literal=N line=N   (before the first c:/s:)
///   only: fake|maildir                      the dialog checks behaviour of that backend alone
///   user: NAME PASSWORD                     folder: NAME [special=sent] [unsubscribed]
///   message: FOLDER [FLAGS...] :: RAW       a message already there, seen by an earlier session (not \Recent); \r\n escapes
///   deliver: FOLDER :: RAW                  another party delivers; changes are pushed to the session
///   other-append: FOLDER [FLAGS...] :: RAW  another session appends; pushed
///   other-flags: FOLDER UID [FLAGS...]      another session sets flags; pushed
///   other-expunge: FOLDER UID               another session expunges; pushed
///   c: TEXT     the client sends TEXT CRLF      c< TEXT   sends TEXT without CRLF   (\r \n \0 escapes)
///   s: TEXT     the next server line is TEXT     s~ TEXT   the next server line starts with TEXT
///               `{NAME}` (a letter first) in TEXT matches a number (a UIDVALIDITY, which differs
///               per store): the first match binds it, later ones must equal it
///   advance: SECONDS   the clock moves on and the session may autologout
///   closed              the session closed the connection
/// Any server output not matched by s: lines before the next c: or at the end fails the dialog.
public enum IMAPTranscriptRunner {
    /// The directory holding the IMAP transcripts.
    public static var directory: String {
        ((#filePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent + "/transcripts/imap"
    }

    /// Every transcript file name, sorted.
    public static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".txt") }.sorted()
    }

    /// Runs every transcript that applies to `backendName`, each on a fresh backend; returns the failures.
    public static func runAll(backendName: String, makeBackend: () throws -> any IMAPTranscriptBackend) throws
        -> [String]
    {
        let names = try files()
        guard names.count > 20 else { return ["transcripts missing in \(directory)"] }
        var failures: [String] = []
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            guard applies(text, to: backendName) else { continue }
            failures += run(text, name: name, backend: try makeBackend())
        }
        return failures
    }

    /// Whether the transcript applies to the backend named `backend` (`only:` lines).
    public static func applies(_ text: String, to backend: String) -> Bool {
        for line in text.split(separator: "\n") where line.hasPrefix("only:") {
            return line.dropFirst(5).split(separator: " ").contains { $0 == backend }
        }
        return true
    }

    /// Runs one transcript; returns the failures ("file:line: what"), empty when it passed.
    public static func run(_ transcript: String, name: String, backend: any IMAPTranscriptBackend) -> [String] {
        var failures: [String] = []
        var config = IMAPSessionConfiguration(tlsActive: true)
        var harness: IMAPSessionHarness?
        var pending: [String] = []
        var bound: [String: String] = [:]
        func h() -> IMAPSessionHarness {
            if let harness { return harness }
            let made = IMAPSessionHarness(configuration: config, backend: backend)
            harness = made
            return made
        }
        func flags(_ words: [Substring]) -> Set<Flag> { Set(words.map { Flag(String($0)) }) }
        for (number, rawLine) in transcript.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(rawLine)
            let at = "\(name):\(number + 1)"
            if line.hasPrefix("#") || line.allSatisfy({ $0 == " " }) { continue }
            let directive = String(line.prefix(2))
            let rest = line.count > 3 ? String(line.dropFirst(3)) : ""
            switch directive {
            case "c:", "c<":
                pending += h().take()
                if !pending.isEmpty {
                    failures.append("\(at): unexpected server output before the client line: \(pending)")
                }
                pending = []
                h().send(Array((unescape(rest) + (directive == "c:" ? "\r\n" : "")).utf8))
            case "s:", "s~":
                pending += h().take()
                guard !pending.isEmpty else {
                    failures.append("\(at): expected \"\(rest)\" but the server said nothing")
                    continue
                }
                let got = pending.removeFirst()
                if !matches(got, rest, prefixOnly: directive == "s~", bound: &bound) {
                    failures.append("\(at): got \"\(got)\", expected \"\(rest)\"\(directive == "s~" ? "…" : "")")
                }
            default:
                let parts = line.split(separator: ":", maxSplits: 1)
                let key = String(parts[0])
                let args = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
                let words = args.split(separator: " ")
                switch key {
                case "only": break
                case "config":
                    for w in words {
                        let kv = w.split(separator: "=").map(String.init)
                        switch kv[0] {
                        case "tls": config.tlsActive = kv[1] == "on"
                        case "starttls": config.startTLSAvailable = kv[1] == "on"
                        case "appendlimit": config.limits.appendLimit = Int(kv[1])!
                        case "literal": config.limits.literalSize = Int(kv[1])!
                        case "line": config.limits.lineLength = Int(kv[1])!
                        default: failures.append("\(at): unknown config \(kv[0])")
                        }
                    }
                case "user": backend.addUser(String(words[0]), password: String(words[1]))
                case "folder":
                    var use: SpecialUse?
                    var subscribed = true
                    for w in words.dropFirst() {
                        if w.hasPrefix("special=") { use = SpecialUse(rawValue: "\\" + w.dropFirst(8).capitalized) }
                        if w == "unsubscribed" { subscribed = false }
                    }
                    backend.addFolder(String(words[0]), specialUse: use, subscribed: subscribed)
                case "message", "deliver", "other-append":
                    let halves = args.components(separatedBy: " :: ")
                    let head = halves[0].split(separator: " ")
                    if key == "deliver" {
                        backend.deliver(unescape(halves[1]), to: String(head[0]))
                        h().pushChanges()
                    } else if key == "other-append" {
                        backend.otherAppend(
                            unescape(halves[1]), to: String(head[0]), flags: flags(Array(head.dropFirst())))
                        h().pushChanges()
                    } else {
                        backend.addMessage(
                            unescape(halves[1]), to: String(head[0]), flags: flags(Array(head.dropFirst())))
                    }
                case "other-flags":
                    backend.otherFlags(
                        folder: String(words[0]), uid: UID(UInt32(words[1])!), flags: flags(Array(words.dropFirst(2))))
                    h().pushChanges()
                case "other-expunge":
                    backend.otherExpunge(folder: String(words[0]), uid: UID(UInt32(words[1])!))
                    h().pushChanges()
                case "advance": h().advance(Double(args)!)
                case "closed": if !h().closed { failures.append("\(at): the session did not close") }
                default: failures.append("\(at): unknown directive \(line)")
                }
            }
        }
        pending += harness?.take() ?? []
        if !pending.isEmpty { failures.append("\(name): unexpected server output at the end: \(pending)") }
        return failures
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            if c == "\\", let n = it.next() {
                switch n {
                case "r": out += "\r"
                case "n": out += "\n"
                case "0": out += "\u{0}"
                default: out += "\\" + String(n)
                }
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Compares a server line with an expected one, binding `{NAME}` placeholders to numbers.
    static func matches(_ got: String, _ expected: String, prefixOnly: Bool, bound: inout [String: String]) -> Bool {
        let g = Array(got), e = Array(expected)
        var i = 0, j = 0
        var newlyBound: [String: String] = [:]
        while j < e.count {
            if e[j] == "{", j + 1 < e.count, e[j + 1].isLetter, let close = e[j...].firstIndex(of: "}") {
                let k = close + 1
                let name = String(e[(j + 1)..<close])
                var digits = ""
                while i < g.count, g[i].isASCII, g[i].isNumber {
                    digits.append(g[i])
                    i += 1
                }
                guard !digits.isEmpty else { return false }
                if let value = bound[name] ?? newlyBound[name] {
                    guard value == digits else { return false }
                } else {
                    newlyBound[name] = digits
                }
                j = k
                continue
            }
            guard i < g.count, g[i] == e[j] else { return false }
            i += 1
            j += 1
        }
        guard prefixOnly || i == g.count else { return false }
        bound.merge(newlyBound) { a, _ in a }
        return true
    }
}
