import Foundation
import GovMailConfig
import GovMailTestSupport
import IMAPProtocol
import MailCore
import XCTest
@testable import GovMailServer

final class IMAPSubscriptionsFileTests: XCTestCase {
    func testWritesDovecotV2AndReadsBothFormats() throws {
        let dir = TemporaryDirectory()
        let file = SubscriptionsFile(accountRoot: dir.path)
        XCTAssertEqual(file.read(), [])
        try file.subscribe(MailboxName("Công văn đến.2026"))
        try file.subscribe(MailboxName("Sent"))
        try file.subscribe(MailboxName("Sent"))
        // Exactly what Dovecot writes: levels in modified UTF-7, TAB between them; 0600 like every mailbox file.
        XCTAssertEqual(
            try String(contentsOfFile: file.path, encoding: .utf8), "V\t2\n\nC&APQ-ng v&AQM-n &AREevw-n\t2026\nSent\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(file.read().map(\.name), ["Công văn đến.2026", "Sent"])
        XCTAssertEqual(
            SubscriptionsFile.parse("INBOX\nArchive.2025\n\n../evil\n").map(\.name), ["INBOX", "Archive.2025"],
            "old one-name-per-line format; invalid names skipped")
        // A file GovMail wrote before (UTF-8 levels) still reads; `&` alone is taken as written.
        XCTAssertEqual(
            SubscriptionsFile.parse("V\t2\n\nCông văn đến\nA&B\nC&APQ-ng v&AQM-n &AREevw-n\n").map(\.name),
            ["Công văn đến", "A&B"])
        try file.unsubscribe(MailboxName("Công văn đến.2026"))
        XCTAssertEqual(file.read().map(\.name), ["Sent"])
    }
}

final class IMAPMetadataCacheTests: XCTestCase {
    func testStaysWithinCapacityAndKeepsTheNewestEntries() {
        var cache = MessageMetadataCache(capacity: 4)
        let meta = IMAPMessageMetadata(storedBytes: Array("Subject: x\r\n\r\nbody\r\n".utf8))
        for i in 0..<10 { cache.insert(meta, for: "m\(i)") }
        XCTAssertLessThanOrEqual(cache.count, 4)
        XCTAssertNotNil(cache["m9"], "the newest entry survives eviction")
        XCTAssertNil(cache["m0"], "the oldest entries are dropped")
        cache.insert(meta, for: "m9")
        XCTAssertNotNil(cache["m9"])
    }
}

final class IMAPDriverSettingsTests: XCTestCase {
    func testSettingsComeFromTheConfiguration() {
        var config = Config()
        config.limits.maxMessageSize = 1_000_000
        config.limits.imapIdleTimeout = 3600
        config.timezone = "Asia/Ho_Chi_Minh"
        let s = IMAPDriverSettings(config: config)
        XCTAssertEqual(s.limits.appendLimit, 1_000_000, "APPENDLIMIT is the maximum message size")
        XCTAssertEqual(s.limits.autologoutSeconds, 3600)
        XCTAssertEqual(s.zoneOffsetSeconds, 7 * 3600)
    }
}

final class IMAPCompactSearchMessageTests: XCTestCase {
    private func message(attachmentBytes: Int) -> [UInt8] {
        let attachment = String(repeating: "QUJD", count: attachmentBytes / 4)
        return Array(
            ("From: =?utf-8?q?V=C4=83n_th=C6=B0?= <vt@tinh.gov.vn>\r\nSubject: =?utf-8?b?Q8O0bmcgdsSDbg==?=\r\n"
                + "Date: Fri, 27 Nov 2026 08:00:00 +0700\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Kính gửi các đơn vị\r\n--B\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment; filename=a.pdf\r\n\r\n\(attachment)\r\n--B--\r\n").utf8)
    }

    func testLargeMessagesKeepTheAdaptersAnswersWithoutTheirBytes() {
        let content = IMAPMessageContent(storedBytes: message(attachmentBytes: 64 * 1024))
        let adapter = MessageSearchAdapter(uid: UID(7), internalDate: 1_790_000_000, content: content)
        let compact = CompactSearchMessage.make(uid: UID(7), internalDate: 1_790_000_000, content: content)
        XCTAssertTrue(compact is CompactSearchMessage, "a message over the threshold is compacted")
        XCTAssertEqual(compact.bodyText, adapter.bodyText)
        XCTAssertTrue(compact.bodyText.contains("Kính gửi"))
        XCTAssertEqual(compact.headerValues("Subject"), ["Công văn"])
        XCTAssertEqual(compact.headerValues("from"), adapter.headerValues("From"))
        XCTAssertEqual(compact.headerText, adapter.headerText)
        XCTAssertEqual(compact.sentDate, adapter.sentDate)
        XCTAssertEqual(compact.size, adapter.size)
        XCTAssertEqual(compact.uid, UID(7))
    }

    func testSmallMessagesStayLazyAdapters() {
        let content = IMAPMessageContent(storedBytes: message(attachmentBytes: 400))
        XCTAssertTrue(
            CompactSearchMessage.make(uid: UID(1), internalDate: 0, content: content) is MessageSearchAdapter)
    }
}

final class IMAPCommandDeadlineTests: XCTestCase {
    func testCommandTimeoutComesFromTheConfiguration() {
        var config = Config()
        config.limits.commandTimeout = 120
        XCTAssertEqual(IMAPDriverSettings(config: config).commandTimeoutSeconds, 120)
    }

    func testALineMustArriveWholeWithinTheTimeoutOfItsFirstByte() {
        let clock = ManualClock()
        let t0 = clock.now()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: t0)
        XCTAssertNil(deadline(s), "no deadline between commands")
        _ = s.receive(Array("a1 NO".utf8), now: clock.now())
        XCTAssertEqual(deadline(s), t0 + 600)
        clock.advance(500)
        _ = s.receive(Array("O".utf8), now: clock.now())
        XCTAssertEqual(
            deadline(s), t0 + 600,
            "trickling bytes does not move the bound of a line")
        _ = s.receive(Array("P\r\n".utf8), now: clock.now())
        XCTAssertNil(deadline(s))
    }

    func testALiteralUploadMayTakeLongWhileItAveragesTheMinimumRate() {
        let clock = ManualClock()
        let t0 = clock.now()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: clock.now())
        _ = s.receive(Array("a1 LOGIN alice secret\r\n".utf8), now: clock.now())
        _ = s.handle(.authenticated(.success(account: "alice")), now: clock.now())
        _ = s.receive(Array("a2 APPEND INBOX {100000}\r\n".utf8), now: clock.now())
        var received = 0
        for _ in 0..<5 {
            clock.advance(500)
            _ = s.receive(Array(repeating: UInt8(ascii: "x"), count: 10_000), now: clock.now())
            received += 10_000
            let end = IMAPDriver.commandDeadline(
                for: s.partialCommand, bytesReceived: received, timeout: 600, minimumRate: 10)
            XCTAssertEqual(end, t0 + 600 + Double(received) / 10, "each byte buys 1/rate seconds")
            XCTAssertGreaterThan(end ?? 0, clock.now(), "an upload at 20 bytes/s outruns a 10 bytes/s minimum")
        }
    }

    func testALiteralTrickledSlowlyIsCutSoonAfterTheCommandTimeout() {
        let clock = ManualClock()
        let t0 = clock.now()
        var s = IMAPSession(configuration: IMAPSessionConfiguration(tlsActive: true), now: clock.now())
        _ = s.receive(Array("a1 LOGIN {5}\r\n".utf8), now: clock.now())
        var received = 0
        for _ in 0..<4 {
            clock.advance(2)
            _ = s.receive([UInt8(ascii: "a")], now: clock.now())
            received += 1
        }
        let end = IMAPDriver.commandDeadline(
            for: s.partialCommand, bytesReceived: received, timeout: 600, minimumRate: 4096)
        XCTAssertEqual(end, t0 + 600 + 4.0 / 4096, "one byte every 2 s buys almost nothing")
    }

    private func deadline(_ s: IMAPSession) -> Double? {
        IMAPDriver.commandDeadline(for: s.partialCommand, bytesReceived: 0, timeout: 600, minimumRate: 4096)
    }
}
