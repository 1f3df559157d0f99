import Foundation
import SieveProtocol
import XCTest

/// Replays every committed seed (and crash input) of the Sieve fuzz target: a crash fails `swift test`.
final class SieveFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("FuzzSeeds/sieve-script")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertFalse(files.isEmpty)
        for file in files { SieveFuzzTargets.script(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }
}
