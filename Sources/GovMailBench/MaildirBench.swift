// `govmail-bench maildir [DIR]`: Maildir figures (no pass/fail). Deliveries per second to one
// Maildir with fsync (1 writer, 8 concurrent writers), and the time to open and list a
// 10,000-message folder. DIR should be on the disk the server will use (not tmpfs, where fsync is free).
import Foundation
import MailCore
import MaildirStore

enum MaildirBench {
    static func run(_ args: [String]) throws {
        let base = args.first ?? FileManager.default.currentDirectoryPath + "/.build/bench-maildir"
        let work = base + "/run-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        print("Maildir benchmark in \(work)")
        let body = Array(
            ("From: bench@example.gov.vn\r\nSubject: Thông báo\r\n\r\n"
                + String(repeating: "Nội dung công văn mẫu dùng để đo tốc độ ghi.\r\n", count: 60)).utf8)
        print("message size: \(body.count) bytes")

        for writers in [1, 8] {
            let folder = work + "/deliver-\(writers)"
            try MaildirLayout.createMaildir(at: folder, isSubfolder: false)
            let perWriter = writers == 1 ? 400 : 100
            let delivery = MaildirDelivery()
            let start = Date()
            DispatchQueue.concurrentPerform(iterations: writers) { _ in
                for _ in 0..<perWriter { _ = try! delivery.deliver(body, to: [.init(accountRoot: folder)]) }
            }
            let seconds = Date().timeIntervalSince(start)
            let total = writers * perWriter
            print(
                String(
                    format: "deliveries with fsync, %d writer%@: %d in %.2f s = %.0f/s", writers,
                    writers == 1 ? "" : "s", total, seconds, Double(total) / seconds))
        }

        // Fan-out: one message to 200 recipients (hard links).
        let roots = try (0..<200).map { i -> String in
            let r = work + "/fanout/u\(i)"; try MaildirLayout.createMaildir(at: r, isSubfolder: false); return r
        }
        var start = Date()
        try MaildirDelivery().deliver(body, to: roots.map { .init(accountRoot: $0) })
        print(
            String(
                format: "one message to 200 recipients (hard links): %.1f ms", Date().timeIntervalSince(start) * 1000))

        // A 10,000-message folder, filled without fsync (setup, not measured).
        let big = work + "/big"
        try MaildirLayout.createMaildir(at: big, isSubfolder: false)
        let names = UniqueNameGenerator()
        for i in 0..<10_000 {
            let flags = i % 3 == 0 ? ":2,S" : i % 7 == 0 ? ":2,FS" : ""
            let dir = flags.isEmpty ? "/new/" : "/cur/"
            _ = FileManager.default.createFile(
                atPath: big + dir + names.next(size: body.count) + flags, contents: Data(body))
        }
        start = Date()
        let view = try MailboxView(folder: MaildirFolder(path: big, accountRoot: big))
        print(
            String(
                format: "open 10,000-message folder, first time (assign 10,000 UIDs, move new/ to cur/): %.0f ms",
                Date().timeIntervalSince(start) * 1000))
        start = Date()
        let again = try MailboxView(folder: MaildirFolder(path: big, accountRoot: big))
        print(
            String(
                format: "open 10,000-message folder with its uidlist (new session): %.0f ms (%d messages)",
                Date().timeIntervalSince(start) * 1000, again.messages.count))
        start = Date()
        let changes = try view.resynchronize()
        print(
            String(
                format:
                    "re-sync of an open 10,000-message folder, nothing changed, just written (full scan): %.0f ms (%@)",
                Date().timeIntervalSince(start) * 1000, changes.isEmpty ? "no changes" : "changes"))
        Thread.sleep(forTimeInterval: 2.5)  // let the directories' times settle so the re-sync cache applies
        _ = try view.resynchronize()
        start = Date()
        _ = try view.resynchronize()
        print(
            String(
                format: "re-sync of an open 10,000-message folder, nothing changed, settled (cached): %.2f ms",
                Date().timeIntervalSince(start) * 1000))
        start = Date()
        let list = MaildirAccount(root: big).listFolders()
        print(
            String(
                format: "LIST with counts on that account: %.0f ms (INBOX %d messages)",
                Date().timeIntervalSince(start) * 1000, list.first?.messages ?? 0))
        start = Date()
        let usage = try MaildirAccount(root: big).usage()
        print(
            String(
                format: "quota usage, first read (full count): %.1f ms (%d messages, %d bytes)",
                Date().timeIntervalSince(start) * 1000, usage.messages, usage.bytes))
        start = Date()
        _ = try MaildirAccount(root: big).usage()
        print(String(format: "quota usage, cached read: %.3f ms", Date().timeIntervalSince(start) * 1000))
    }
}
