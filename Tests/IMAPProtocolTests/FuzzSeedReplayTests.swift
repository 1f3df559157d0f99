import Foundation
import IMAPProtocol
import XCTest

/// Replays every committed seed (and crash input) of the IMAP fuzz target: a crash fails `swift test`.
final class IMAPFuzzSeedReplayTests: XCTestCase {
    func testEverySeedReplaysWithoutCrashing() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "FuzzSeeds/imap-command")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertFalse(files.isEmpty)
        for file in files { IMAPFuzzTargets.command(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }

    func testEdgeInputs() {
        for input: [UInt8] in [
            [], [0], Array("a {99999999999999999999}\r\n".utf8), Array("* {5+}\r\n".utf8),
            Array(repeating: UInt8(ascii: "("), count: 5000), [UInt8](repeating: 0xFF, count: 300),
        ] {
            IMAPFuzzTargets.command(input)
        }
    }
}
