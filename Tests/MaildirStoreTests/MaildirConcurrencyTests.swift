import Foundation
import GovMailTestSupport
import MailCore
@testable import MaildirStore
import Synchronization
import XCTest

/// Several threads and a second process (`govmail-bench maildir-stress`) deliver, flag and expunge
/// on one folder at the same time; afterwards every delivered message has exactly one UID and the
/// UID list matches the files.
final class MaildirConcurrencyTests: XCTestCase {
    struct Record {
        var delivered: [String] = []
        var expunged: [(UID, String)] = []
        var seen: [(UID, String)] = []
        /// Messages this actor's synchronizations claimed as \Recent.
        var recent: [UID] = []
    }

    /// The same loop the stress subcommand runs: deliver; every 4th time sync, flag one of ours and
    /// expunge those of ours whose index is a multiple of 3.
    /// Runs at least `count` rounds, and keeps going while `keepGoing` says so (to overlap the process).
    static func actor(path: String, count: Int, tag: String, keepGoing: () -> Bool = { false }) throws -> Record {
        var record = Record()
        let delivery = MaildirDelivery()
        let folder = MaildirFolder(path: path, accountRoot: path)
        var expungedMine = Set<String>()
        var seen: [String: UID] = [:]
        var i = 0
        while i < count || (keepGoing() && i < 20 * count) {
            defer { i += 1 }
            let file = try delivery.deliver(message("\(tag) \(i)"), to: [.init(accountRoot: path)])[0]
            record.delivered.append(MaildirFileName(DurableWriter.fileName(of: file)).basename)
            guard i % 4 == 3 else { continue }
            let snap = try folder.synchronize()
            record.recent += snap.recent
            var uidOf: [String: UID] = [:]
            for m in snap.messages { uidOf[m.basename] = m.uid; seen[m.basename] = m.uid }
            let doomed = record.delivered.enumerated()
                .filter { $0.offset % 3 == 0 && !expungedMine.contains($0.element) }
                .compactMap { uidOf[$0.element] }
            if let flagged = record.delivered.last.flatMap({ uidOf[$0] }) {
                try folder.changeFlags([flagged], .add([.seen]))
            }
            for uid in try folder.expunge(doomed) {
                let base = snap.messages.first { $0.uid == uid }!.basename
                expungedMine.insert(base)
                record.expunged.append((uid, base))
            }
        }
        record.seen = seen.map { ($0.value, $0.key) }
        return record
    }

    func testThreadsAndASecondProcessDeliverAndExpungeWithoutLosingOrDuplicatingUIDs() throws {
        let dir = TemporaryDirectory()
        let path = try makeMaildir(dir)
        _ = try MaildirQuota.usage(root: path)  // start the quota cache so every change is counted into it
        let threads = 4, perThread = 60, perProcess = 120
        let records = Mutex<[Record]>([])
        let failures = Mutex<[String]>([])
        let processResult = Mutex<CommandResult?>(nil)
        let processRunning = Atomic<Bool>(true)

        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            do {
                let r = try Binary.run("govmail-bench", ["maildir-stress", path, "\(perProcess)"])
                processResult.withLock { $0 = r }
            } catch { failures.withLock { $0.append("could not start govmail-bench: \(error)") } }
            processRunning.store(false, ordering: .sequentiallyConsistent)
            group.leave()
        }
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            do {
                let r = try Self.actor(path: path, count: perThread, tag: "thread\(t)") {
                    processRunning.load(ordering: .sequentiallyConsistent)
                }
                records.withLock { $0.append(r) }
            } catch { failures.withLock { $0.append("thread \(t): \(error)") } }
        }
        group.wait()
        XCTAssertEqual(failures.withLock { $0 }, [])
        let process = try XCTUnwrap(processResult.withLock { $0 })
        XCTAssertEqual(process.status, 0, process.stderr)

        // The process prints `delivered <base>`, `expunged <uid> <base>`, `seen <uid> <base>` lines.
        var fromProcess = Record()
        for line in process.stdout.split(separator: "\n") {
            let f = line.split(separator: " ")
            switch f.first {
            case "delivered": fromProcess.delivered.append(String(f[1]))
            case "expunged": fromProcess.expunged.append((UID(UInt32(f[1])!), String(f[2])))
            case "seen": fromProcess.seen.append((UID(UInt32(f[1])!), String(f[2])))
            default: break
            }
        }
        XCTAssertEqual(fromProcess.delivered.count, perProcess)
        let all = records.withLock { $0 } + [fromProcess]

        let final = try MaildirFolder(path: path, accountRoot: nil).synchronize()
        // \Recent: no message was claimed twice, whoever claimed it (the flock serializes threads
        // exactly as it serializes processes). The process's own claims are not reported.
        let claims = all.flatMap(\.recent) + Array(final.recent)
        XCTAssertEqual(Set(claims).count, claims.count, "a message claimed as \\Recent by two synchronizations")
        let delivered = all.flatMap(\.delivered)
        let expunged = all.flatMap(\.expunged)
        XCTAssertGreaterThanOrEqual(delivered.count, threads * perThread + perProcess)
        XCTAssertEqual(Set(delivered).count, delivered.count, "unique file names")
        XCTAssertEqual(Set(expunged.map(\.0)).count, expunged.count, "no UID expunged twice")
        XCTAssertGreaterThan(expunged.count, 0)

        // Every delivered message is either still there with one UID, or was expunged once.
        let present = Dictionary(grouping: final.messages, by: \.basename)
        XCTAssertTrue(present.values.allSatisfy { $0.count == 1 })
        let gone = Set(expunged.map(\.1))
        for base in delivered {
            XCTAssertNotEqual(present[base] != nil, gone.contains(base), "\(base) present xor expunged")
        }
        XCTAssertEqual(final.messages.count, delivered.count - expunged.count)

        // A UID always meant one message, and a message always had one UID, whoever looked.
        var uidToBase: [UID: String] = [:], baseToUID: [String: UID] = [:]
        for (uid, base) in all.flatMap(\.seen) + expunged + final.messages.map({ ($0.uid, $0.basename) }) {
            XCTAssertEqual(uidToBase[uid, default: base], base, "UID \(uid) given to two messages")
            XCTAssertEqual(baseToUID[base, default: uid], uid, "\(base) given two UIDs")
            uidToBase[uid] = base
            baseToUID[base] = uid
        }

        // The uidlist on disk lists exactly the files, in ascending UID order.
        let list = try UIDList(parsing: Array(uidListText(path).utf8))
        XCTAssertEqual(list.entries.map(\.uid), final.messages.map(\.uid))
        let onDisk = Set((files(path, "cur") + files(path, "new")).map { MaildirFileName($0).basename })
        XCTAssertEqual(Set(list.entries.map(\.basename)), onDisk)
        XCTAssertEqual(files(path, "tmp"), [])
        XCTAssertEqual(
            try MaildirQuota.usage(root: path), MaildirQuota.recalculate(root: path),
            "the incrementally kept quota agrees with a full count")
    }
}
