import Foundation
import MessageFormat
import XCTest

/// Replays every committed seed (and crash input) of the MIME fuzz targets: a crash fails `swift test`.
final class MessageFormatFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzSeeds")
        let targets: [String: ([UInt8]) -> Void] = [
            "mime-parse": MessageFormatFuzz.parse, "mime-header-value": MessageFormatFuzz.parseHeaderValue,
        ]
        for (name, target) in targets {
            let folder = base.appendingPathComponent(name)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            XCTAssertFalse(files.isEmpty, name)
            for file in files { target(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
        }
    }
}
