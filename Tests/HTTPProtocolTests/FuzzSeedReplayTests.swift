import Foundation
import HTTPProtocol
import XCTest

/// Replays every committed fuzz seed (and crash input) through its target: a crash fails `swift test`.
final class FuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "FuzzSeeds/http-request")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertGreaterThanOrEqual(files.count, 3, "seeds for http-request")
        for file in files { HTTPFuzzTargets.request(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }

    func testTargetSurvivesEdgeInputs() {
        for input: [UInt8] in [[], [0], [13], [10], Array("\r\n\r\n".utf8), [UInt8](repeating: 0xFF, count: 300)] {
            HTTPFuzzTargets.request(input)
        }
    }
}
