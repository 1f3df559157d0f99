import Foundation
import XCTest
import MailCore
@testable import IMAPProtocol

/// Runs every `Transcripts/*.txt` dialog against a session and a fake store described in the file.
///
/// Directives (one per line; `#` starts a comment):
///   config: tls=on|off starttls=on|off appendlimit=N literal=N line=N   (before the first c:/s:)
///   user: NAME PASSWORD                     folder: NAME [special=sent] [unsubscribed]
///   message: FOLDER [FLAGS...] :: RAW       a message already there, seen by an earlier session (not \Recent); \r\n escapes
///   deliver: FOLDER :: RAW                  another party delivers; changes are pushed to the session
///   other-flags: FOLDER UID [FLAGS...]      another session sets flags; pushed
///   other-expunge: FOLDER UID               another session expunges; pushed
///   c: TEXT     the client sends TEXT CRLF      c< TEXT   sends TEXT without CRLF   (\r \n escapes)
///   s: TEXT     the next server line is TEXT     s~ TEXT   the next server line starts with TEXT
///   advance: SECONDS   the clock moves on and the session may autologout
///   closed              the session closed the connection
/// Any server output not matched by s: lines before the next c: or at the end fails the test.
final class TranscriptTests: XCTestCase {
    func testAllTranscripts() throws {
        let dir = (#filePath as NSString).deletingLastPathComponent + "/Transcripts"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertGreaterThan(files.count, 20, "transcripts missing in \(dir)")
        for file in files {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            run(transcript: text, name: file)
        }
    }

    func run(transcript: String, name: String) {
        var config = IMAPSessionConfiguration(tlsActive: true)
        let store = FakeMailStore()
        var driver: SessionDriver?
        var pending: [String] = []
        func d() -> SessionDriver {
            if let driver { return driver }
            let made = SessionDriver(configuration: config, store: store)
            driver = made
            return made
        }
        func unescape(_ s: String) -> String {
            var out = ""
            var it = s.makeIterator()
            while let c = it.next() {
                if c == "\\", let n = it.next() {
                    switch n {
                    case "r": out += "\r"
                    case "n": out += "\n"
                    default: out += "\\" + String(n)
                    }
                } else {
                    out.append(c)
                }
            }
            return out
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
                pending += d().take()
                XCTAssertEqual(pending, [], "\(at): unexpected server output before the client line")
                pending = []
                if directive == "c:" { d().send(unescape(rest)) } else { d().send(Array(unescape(rest).utf8)) }
            case "s:", "s~":
                pending += d().take()
                guard !pending.isEmpty else {
                    XCTFail("\(at): expected \"\(rest)\" but the server said nothing")
                    continue
                }
                let got = pending.removeFirst()
                if directive == "s:" {
                    XCTAssertEqual(got, rest, "\(at)")
                } else {
                    XCTAssertTrue(got.hasPrefix(rest), "\(at): \"\(got)\" does not start with \"\(rest)\"")
                }
            default:
                let parts = line.split(separator: ":", maxSplits: 1)
                let key = String(parts[0])
                let args = parts.count > 1 ? String(parts[1]).trimmingSpaces : ""
                let words = args.split(separator: " ")
                switch key {
                case "config":
                    for w in words {
                        let kv = w.split(separator: "=").map(String.init)
                        switch kv[0] {
                        case "tls": config.tlsActive = kv[1] == "on"
                        case "starttls": config.startTLSAvailable = kv[1] == "on"
                        case "appendlimit": config.limits.appendLimit = Int(kv[1])!
                        case "literal": config.limits.literalSize = Int(kv[1])!
                        case "line": config.limits.lineLength = Int(kv[1])!
                        default: XCTFail("\(at): unknown config \(kv[0])")
                        }
                    }
                case "user": store.users[String(words[0])] = String(words[1])
                case "folder":
                    let f = store.folder(String(words[0]))
                    for w in words.dropFirst() {
                        if w.hasPrefix("special=") {
                            f.specialUse = SpecialUse(rawValue: "\\" + w.dropFirst(8).capitalized)
                        }
                        if w == "unsubscribed" { f.subscribed = false }
                    }
                case "message", "deliver":
                    let halves = args.components(separatedBy: " :: ")
                    let head = halves[0].split(separator: " ")
                    store.add(
                        unescape(halves[1]), to: String(head[0]), flags: flags(Array(head.dropFirst())),
                        isNew: key == "deliver")
                    if key == "deliver" { d().pushChanges() }
                case "other-flags":
                    let f = store.folder(String(words[0]))
                    let uid = UID(UInt32(words[1])!)
                    if let i = f.messages.firstIndex(where: { $0.uid == uid }) {
                        f.messages[i].flags = flags(Array(words.dropFirst(2)))
                    }
                    d().pushChanges()
                case "other-expunge":
                    let f = store.folder(String(words[0]))
                    let uid = UID(UInt32(words[1])!)
                    f.messages.removeAll { $0.uid == uid }
                    d().pushChanges()
                case "advance": d().advance(Double(args)!)
                case "closed": XCTAssertTrue(d().closed, "\(at): the session did not close")
                default: XCTFail("\(at): unknown directive \(line)")
                }
            }
        }
        pending += driver?.take() ?? []
        XCTAssertEqual(pending, [], "\(name): unexpected server output at the end")
    }
}
