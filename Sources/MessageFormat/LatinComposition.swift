/// Canonical composition (the "C" of NFC) for Latin letters with combining marks, without Foundation.
/// Windows-1258 writes Vietnamese tones as separate combining marks (ê + U+0301); SEARCH and display
/// want the precomposed letter (ế). Marks outside the Latin tables are left as they are.
public enum LatinComposition {
    private static let pairs: [UInt64: UInt32] = {
        var d: [UInt64: UInt32] = [:]
        let t = CharsetTables.compositionTriples
        var i = 0
        while i + 2 < t.count {
            d[key(t[i], t[i + 1])] = t[i + 2]
            i += 3
        }
        return d
    }()

    private static let decompositions: [UInt32: (UInt32, UInt32)] = {
        var d: [UInt32: (UInt32, UInt32)] = [:]
        let t = CharsetTables.compositionTriples
        var i = 0
        while i + 2 < t.count {
            d[t[i + 2]] = (t[i], t[i + 1])
            i += 3
        }
        return d
    }()

    private static func key(_ base: UInt32, _ mark: UInt32) -> UInt64 { UInt64(base) << 32 | UInt64(mark) }

    /// Composes each combining mark with the letter before it where Unicode has a precomposed form.
    public static func compose(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: compose(Array(text.unicodeScalars)))
        return String(view)
    }

    static func compose(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for s in scalars {
            if isCombiningMark(s.value), let last = out.last, let c = composePair(last.value, s.value, depth: 0),
                let cs = Unicode.Scalar(c)
            {
                out[out.count - 1] = cs
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// The canonical decomposition of each Latin letter with marks (ệ → e + U+0323 + U+0302), the
    /// inverse of `compose`; other characters are left as they are. SORT's collation uses it.
    public static func decompose(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for s in text.unicodeScalars { appendDecomposed(s.value, to: &view, depth: 0) }
        return String(view)
    }

    private static func appendDecomposed(_ v: UInt32, to view: inout String.UnicodeScalarView, depth: Int) {
        if depth < 4, let (base, mark) = decompositions[v], let m = Unicode.Scalar(mark) {
            appendDecomposed(base, to: &view, depth: depth + 1)
            view.append(m)
        } else if let s = Unicode.Scalar(v) {
            view.append(s)
        }
    }

    private static func isCombiningMark(_ v: UInt32) -> Bool { v >= 0x0300 && v <= 0x036F }

    /// Direct pair, or — when the base already carries a mark of a higher combining class (ê + dot
    /// below → ệ) — the base's own decomposition composed with the new mark first.
    private static func composePair(_ base: UInt32, _ mark: UInt32, depth: Int) -> UInt32? {
        if let c = pairs[key(base, mark)] { return c }
        guard depth < 3, let (b0, m0) = decompositions[base] else { return nil }
        guard let inner = composePair(b0, mark, depth: depth + 1) else { return nil }
        return pairs[key(inner, m0)]
    }
}
