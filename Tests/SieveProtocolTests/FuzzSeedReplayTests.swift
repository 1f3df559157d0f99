import Foundation
import SieveProtocol
import XCTest

/// Replays every committed seed (and crash input) of the Sieve fuzz target: a crash fails `swift test`.
final class SieveFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let base = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzSeeds")
        let targets: [String: ([UInt8]) -> Void] = [
            "sieve-script": SieveFuzzTargets.script, "managesieve-session": SieveFuzzTargets.manageSieveSession,
        ]
        for (name, target) in targets {
            let folder = base.appendingPathComponent(name)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            XCTAssertFalse(files.isEmpty, name)
            for file in files { target(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
        }
    }
}
