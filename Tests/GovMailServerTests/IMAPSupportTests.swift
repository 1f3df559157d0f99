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
        XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), "V\t2\n\nCông văn đến\t2026\nSent\n")
        XCTAssertEqual(file.read().map(\.name), ["Công văn đến.2026", "Sent"])
        XCTAssertEqual(
            SubscriptionsFile.parse("INBOX\nArchive.2025\n\n../evil\n").map(\.name), ["INBOX", "Archive.2025"],
            "old one-name-per-line format; invalid names skipped")
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
