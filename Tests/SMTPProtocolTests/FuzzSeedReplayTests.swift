import Foundation
import SMTPProtocol
import XCTest

/// Replays every committed fuzz seed (and crash input) through its target: a crash fails `swift test`.
final class FuzzSeedReplayTests: XCTestCase {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzSeeds")
    static let targets: [String: @Sendable ([UInt8]) -> Void] = [
        "smtp-command": SMTPFuzzTargets.command,
        "smtp-data": SMTPFuzzTargets.data,
        "smtp-session": SMTPFuzzTargets.session,
    ]

    func testEverySeedReplaysWithoutCrashing() throws {
        var replayed = 0
        for (name, target) in Self.targets {
            let folder = Self.seeds.appendingPathComponent(name)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            XCTAssertFalse(files.isEmpty, "no seeds for \(name)")
            for file in files {
                target(Array(try Data(contentsOf: folder.appendingPathComponent(file))))
                replayed += 1
            }
        }
        XCTAssertGreaterThanOrEqual(replayed, 3)
    }

    func testTargetsSurviveEdgeInputs() {
        for input: [UInt8] in [[], [0], [13], [10], Array("\r\n.\r\n".utf8), [UInt8](repeating: 0xFF, count: 300)] {
            for target in Self.targets.values { target(input) }
        }
    }
}
