import Foundation
import XCTest
import Yams

@testable import GovMailConfig

/// conf/govmail.example.yaml must document every key the loader accepts, so the example never
/// falls behind the code: its key paths must equal those of the rendered effective configuration.
final class ExampleConfigCoverageTests: XCTestCase {
    func testExampleListsEveryKeyTheRendererPrints() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let example = try String(contentsOf: root.appendingPathComponent("conf/govmail.example.yaml"), encoding: .utf8)
        let rendered = ConfigRenderer.yaml(try ConfigLoader.parse(example, file: "example"))
        XCTAssertEqual(try keyPaths(example), try keyPaths(rendered))
        XCTAssertGreaterThan(try keyPaths(example).count, 40)
    }

    /// Every mapping key path in a YAML document; list items are written `[]`.
    private func keyPaths(_ yaml: String) throws -> Set<String> {
        var out: Set<String> = []
        func walk(_ node: Node, _ path: String) {
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    let p = path.isEmpty ? k.string ?? "?" : "\(path).\(k.string ?? "?")"
                    out.insert(p)
                    walk(v, p)
                }
            case .sequence(let s):
                for item in s { walk(item, path + "[]") }
            default:
                break
            }
        }
        if let node = try Yams.compose(yaml: yaml) { walk(node, "") }
        return out
    }
}
