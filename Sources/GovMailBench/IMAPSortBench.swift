// IMAP SORT/THREAD benchmark: 10,000 messages parsed once (the metadata the store caches), then
// SORT by DATE, by SUBJECT and by (REVERSE ARRIVAL), and THREAD=REFERENCES, timed from that
// metadata. Prints figures; never asserts.
import Foundation
import IMAPProtocol
import MailCore

enum IMAPSortBench {
    static let about = "SORT of 10,000 messages by DATE and SUBJECT and THREAD=REFERENCES from parsed metadata [count]"

    static func message(_ i: Int) -> [UInt8] {
        let topics = ["Công văn số \(i % 300)/UBND", "Lịch họp giao ban tuần \(i % 52)", "Báo cáo quý \(i % 4 + 1)"]
        let prefix = ["", "Re: ", "Fwd: ", "RE: [Sở TTTT] ", "[PATCH] "][i % 5]
        let day = 1 + (i * 7919) % 28, hour = (i * 31) % 24
        let refs = i % 5 == 1 && i > 5 ? "References: <\(i - 5)@tinh.gov.vn>\r\n" : ""
        return Array(
            ("From: Phòng \(i % 97) <p\(i % 97)@tinh.gov.vn>\r\nTo: a@tinh.gov.vn\r\n"
                + "Subject: \(prefix)\(topics[i % 3])\r\nDate: \(day) Nov 2026 \(hour):00:00 +0700\r\n"
                + "Message-ID: <\(i)@tinh.gov.vn>\r\n\(refs)\r\nNội dung \(i)\r\n").utf8)
    }

    static func run(_ args: [String]) throws {
        let count = Int(args.first ?? "") ?? 10_000
        print("IMAP SORT/THREAD benchmark (\(count) messages, metadata parsed beforehand as the store caches it)")
        let messages: [any SearchableMessage] = (0..<count).map { i in
            MessageSearchAdapter(
                uid: UID(UInt32(i + 1)), internalDate: 1_790_000_000 + Int64(i) * 60,
                content: IMAPMessageContent(storedBytes: message(i)))
        }
        var rows: [MessageSortOrder.Row] = []
        let tValues = MessageFormatBench.measure {
            rows = messages.enumerated().map { ($0.offset + 1, $0.element.uid, MessageSortValues($0.element)) }
        }
        IMAPFetchBench.report("sort values (base subject, collation keys, dates)", tValues, count: count)
        var checksum = 0
        for (name, keys) in [
            ("SORT (DATE)", [SortKey(.date)]), ("SORT (SUBJECT)", [SortKey(.subject)]),
            ("SORT (SUBJECT DATE)", [SortKey(.subject), SortKey(.date)]),
            ("SORT (REVERSE ARRIVAL)", [SortKey(.arrival, reverse: true)]),
        ] {
            let t = MessageFormatBench.measure { checksum &+= MessageSortOrder.sorted(rows, by: keys)[0].seq }
            IMAPFetchBench.report(name + ", ordering only", t, count: count)
        }
        let tThread = MessageFormatBench.measure {
            let threadRows = zip(rows, messages).map { ($0.seq, $0.uid.value, $0.values, ThreadHeaders($1)) }
            checksum &+= ThreadOrder.references(threadRows).count
        }
        IMAPFetchBench.report("THREAD=REFERENCES (headers + algorithm)", tThread, count: count)
        print("(checksum \(checksum))")
    }
}
