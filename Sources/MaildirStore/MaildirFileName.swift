/// A Maildir file name split into its unique basename and its `:2,` flag letters.
///
/// The basename (everything before `:2,`) never changes for a message; flags do, so the UID list
/// and every lookup match on the basename.
public struct MaildirFileName: Sendable, Hashable, CustomStringConvertible {
    public let basename: String
    /// Letters after `:2,` in the order found (system flags upper case, keywords a–z).
    public let letters: String

    /// Splits a directory entry; a name without `:2,` (as found in new/) has no letters.
    public init(_ fileName: String) {
        if let range = fileName.range(of: ":2,") {
            basename = String(fileName[..<range.lowerBound])
            letters = String(fileName[range.upperBound...])
        } else if let colon = fileName.firstIndex(of: ":") {
            // Experimental `:1,` info or garbage after a colon: the basename is still what precedes it.
            basename = String(fileName[..<colon])
            letters = ""
        } else {
            basename = fileName
            letters = ""
        }
    }

    public init(basename: String, letters: String) {
        self.basename = basename
        self.letters = String(letters.sorted())
    }

    /// The name of the file in cur/ (always with `:2,`, letters sorted as Dovecot writes them).
    public var curName: String { basename + ":2," + String(letters.sorted()) }
    public var description: String { curName }

    /// The message size from the `,S=<bytes>` field of the basename, if present.
    public var size: Int? { Self.field("S", in: basename) }

    static func field(_ key: Character, in basename: String) -> Int? {
        for part in basename.split(separator: ",").dropFirst() where part.first == key && part.dropFirst().first == "="
        {
            return Int(part.dropFirst(2))
        }
        return nil
    }

    /// Whether a directory entry may be a message (not hidden, no path characters).
    static func isCandidate(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/")
    }
}
