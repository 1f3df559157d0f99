import Foundation
import Provisioning
import XCTest

/// Replays every committed seed (and crash input) of the `roster-csv` fuzz target.
final class RosterFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "FuzzSeeds/roster-csv")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertGreaterThan(files.count, 3)
        for file in files { RosterFuzzTargets.roster(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }
}
