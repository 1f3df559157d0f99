import Foundation
import XCTest

/// Runs every dialog in Tests/transcripts/cli against the built binary, each in a fresh folder.
final class TranscriptTests: CLITestCase {
    static var transcriptsDir: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("transcripts/cli").path
    }

    func testEveryTranscript() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.transcriptsDir).filter {
            $0.hasSuffix(".txt")
        }.sorted()
        XCTAssertFalse(names.isEmpty, "no transcripts found in \(Self.transcriptsDir)")
        for name in names {
            let fresh = try Self.makeFolder()
            let text = try String(contentsOfFile: "\(Self.transcriptsDir)/\(name)", encoding: .utf8)
            try CLITranscript(text).run(name: name, in: fresh.path, config: fresh.file("govmail.yaml"))
        }
    }

    func testTranscriptReaderSplitsQuotedArguments() {
        XCTAssertEqual(
            CLITranscript.split("unit add X --name \"Sở Nội vụ\" --level province"),
            ["unit", "add", "X", "--name", "Sở Nội vụ", "--level", "province"])
        XCTAssertEqual(CLITranscript.split("a \"\" b"), ["a", "", "b"])
    }
}
