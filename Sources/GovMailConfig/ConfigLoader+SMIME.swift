extension ConfigLoader {
    /// The `smime:` section: trust anchors and CRLs for signature verification (issue 17).
    /// Whether the files exist and hold PEM is checked when the server starts (they may be
    /// replaced between a `config check` and a start).
    static func smime(_ m: inout YAMLMapping, into s: inout Config.SMIME) throws {
        try m.stringList("trust_anchors", into: &s.trustAnchors)
        try m.stringList("crls", into: &s.crls)
        if s.trustAnchors.isEmpty && !s.crls.isEmpty {
            throw m.error(
                "crls", m.node("crls"),
                "CRLs are set without trust_anchors; list the CAs to trust in smime.trust_anchors")
        }
        try m.finish()
    }
}

extension ConfigRenderer {
    static func smimeLines(_ s: Config.SMIME, quote q: (String) -> String) -> [String] {
        func list(_ l: [String]) -> String { "[" + l.map(q).joined(separator: ", ") + "]" }
        return ["smime:", "  trust_anchors: \(list(s.trustAnchors))", "  crls: \(list(s.crls))"]
    }
}
