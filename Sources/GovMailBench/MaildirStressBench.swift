// `govmail-bench maildir-stress FOLDER N`: the second process of MaildirStoreTests' concurrency test.
// Delivers N messages to FOLDER; every 4th delivery it synchronizes, flags its newest message and
// expunges its own messages whose index is a multiple of 3. Prints what it did, one fact a line:
// `delivered <basename>`, `expunged <uid> <basename>`, `seen <uid> <basename>`.
import Foundation
import MailCore
import MaildirStore

enum MaildirStressBench {
    static func run(_ args: [String]) throws {
        guard args.count == 2, let count = Int(args[1]), count > 0 else {
            throw BenchUsage("usage: govmail-bench maildir-stress FOLDER N (FOLDER is a Maildir with cur/ new/ tmp/)")
        }
        let path = args[0]
        let delivery = MaildirDelivery()
        let folder = MaildirFolder(path: path, accountRoot: path)
        var delivered: [String] = []
        var expungedMine = Set<String>()
        var seen: [String: UID] = [:]
        var out = ""
        for i in 0..<count {
            let bytes = Array("From: stress@example.gov.vn\r\nSubject: process \(i)\r\n\r\nprocess \(i)\r\n".utf8)
            let file = try delivery.deliver(bytes, to: [.init(accountRoot: path)])[0]
            let base = MaildirFileName(String(file.split(separator: "/").last!)).basename
            delivered.append(base)
            out += "delivered \(base)\n"
            guard i % 4 == 3 else { continue }
            let snap = try folder.synchronize()
            var uidOf: [String: UID] = [:]
            for m in snap.messages { uidOf[m.basename] = m.uid; seen[m.basename] = m.uid }
            let doomed = delivered.enumerated()
                .filter { $0.offset % 3 == 0 && !expungedMine.contains($0.element) }
                .compactMap { uidOf[$0.element] }
            if let newest = delivered.last.flatMap({ uidOf[$0] }) { try folder.changeFlags([newest], .add([.seen])) }
            for uid in try folder.expunge(doomed) {
                let b = snap.messages.first { $0.uid == uid }!.basename
                expungedMine.insert(b)
                out += "expunged \(uid) \(b)\n"
            }
        }
        for (base, uid) in seen { out += "seen \(uid) \(base)\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

struct BenchUsage: Error, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
