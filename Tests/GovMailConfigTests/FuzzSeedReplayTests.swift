import Foundation
import GovMailConfig
import XCTest

/// Replays every committed seed (and crash input) of the `config-yaml` fuzz target.
final class ConfigFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "FuzzSeeds/config-yaml")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertGreaterThan(files.count, 3)
        for file in files { ConfigFuzzTargets.config(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }
}
