import XCTest

@testable import GovMailConfig

/// `smime.trust_anchors` and `smime.crls` (issue 17): lists of PEM files, off by default.
final class SMIMEConfigTests: XCTestCase {
    func testOffByDefault() throws {
        XCTAssertFalse(Config().smime.isEnabled)
        XCTAssertEqual(try ConfigLoader.parse("smime:\n  trust_anchors: []\n", file: "t.yaml").smime, Config.SMIME())
    }

    func testListsAreReadAndRenderedBack() throws {
        let c = try ConfigLoader.parse(
            "smime:\n  trust_anchors: [/etc/govmail/root.pem, smime/sub ca.pem]\n  crls:\n    - smime/sub.crl\n",
            file: "t.yaml")
        XCTAssertEqual(c.smime.trustAnchors, ["/etc/govmail/root.pem", "smime/sub ca.pem"])
        XCTAssertEqual(c.smime.crls, ["smime/sub.crl"])
        XCTAssertTrue(c.smime.isEnabled)
        XCTAssertEqual(try ConfigLoader.parse(ConfigRenderer.yaml(c), file: "r.yaml"), c)
    }

    func testMistakesNameTheKey() {
        let bad: [(String, String)] = [
            ("smime:\n  trust_anchors: root.pem\n", "smime.trust_anchors"),
            ("smime:\n  trust_anchors: [[a]]\n", "smime.trust_anchors"),
            ("smime:\n  crls: [a.crl]\n", "smime.crls"),
            ("smime:\n  trust_anchor: [a.pem]\n", "smime.trust_anchor"),
        ]
        for (yaml, key) in bad {
            XCTAssertThrowsError(try ConfigLoader.parse(yaml, file: "t.yaml"), yaml) { error in
                XCTAssertEqual((error as? ConfigError)?.keyPath, key, yaml)
            }
        }
    }
}
