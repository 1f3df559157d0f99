/// Text matching for IMAP SEARCH string keys (RFC 3501 §6.4.4: case-insensitive substring).
public enum SearchText {
    /// Whether `key` occurs in `text` ignoring case; Unicode-aware, so "CÔNG VĂN" finds "công văn", and
    /// composed and decomposed Vietnamese compare equal. An empty key matches everything.
    public static func matches(_ text: String, _ key: String) -> Bool {
        if key.isEmpty { return true }
        return text.lowercased().contains(key.lowercased())
    }

    /// Whether `key` occurs in any of `texts` (e.g. every decoded text part, or every header value).
    public static func matches(any texts: [String], _ key: String) -> Bool {
        let k = key.lowercased()
        return k.isEmpty || texts.contains { $0.lowercased().contains(k) }
    }
}
