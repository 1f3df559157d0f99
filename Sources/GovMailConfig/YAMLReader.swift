import Yams

/// Walks a composed YAML tree with a key path, so that every error can say where it is.
/// Each mapping is read key by key; `finish()` refuses any key that nobody asked for.
struct YAMLMapping {
    let file: String
    let path: String
    let line: Int?
    private var pairs: [(key: String, value: Node, line: Int?)] = []
    /// Every key a reader asked for, present or not: the allowed keys at this level.
    private var known: Set<String> = []

    init(_ node: Node, file: String, path: String) throws {
        self.file = file
        self.path = path
        self.line = node.mark?.line
        guard case .mapping(let m) = node else {
            throw ConfigError(
                file: file, line: node.mark?.line, keyPath: path,
                message: "expected a mapping of keys to values")
        }
        var seen: Set<String> = []
        for (k, v) in m {
            guard case .scalar(let s) = k else {
                throw ConfigError(file: file, line: k.mark?.line, keyPath: path, message: "keys must be plain names")
            }
            if !seen.insert(s.string).inserted {
                throw ConfigError(
                    file: file, line: k.mark?.line, keyPath: Self.join(path, s.string),
                    message: "this key appears twice; keep one")
            }
            pairs.append((s.string, v, k.mark?.line))
        }
    }

    static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }

    func hasKey(_ key: String) -> Bool { pairs.contains { $0.key == key } }

    func keyPath(_ key: String) -> String { Self.join(path, key) }

    mutating func node(_ key: String) -> Node? {
        known.insert(key)
        guard let p = pairs.first(where: { $0.key == key }) else { return nil }
        if case .scalar(let s) = p.value,
            s.tag.description == "tag:yaml.org,2002:null" || (s.string.isEmpty && s.style == .plain)
        {
            return nil
        }
        return p.value
    }

    func error(_ key: String, _ node: Node?, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node?.mark?.line ?? line, keyPath: keyPath(key), message: message)
    }

    private mutating func scalar(_ key: String, what: String) throws -> (String, Node)? {
        guard let n = node(key) else { return nil }
        guard case .scalar(let s) = n else { throw error(key, n, "expected \(what), not a list or mapping") }
        return (s.string, n)
    }

    mutating func string(_ key: String, into value: inout String) throws {
        if let (s, _) = try scalar(key, what: "a string") { value = s }
    }

    mutating func int(_ key: String, into value: inout Int, range: ClosedRange<Int>) throws {
        guard let (s, n) = try scalar(key, what: "a whole number") else { return }
        guard let v = Int(s.replacingUnderscores()) else {
            throw error(key, n, "expected a whole number, got \"\(s)\"")
        }
        guard range.contains(v) else {
            throw error(key, n, "must be between \(range.lowerBound) and \(range.upperBound), got \(v)")
        }
        value = v
    }

    mutating func double(_ key: String, into value: inout Double, range: ClosedRange<Double>) throws {
        guard let (s, n) = try scalar(key, what: "a number") else { return }
        guard let v = Double(s) else { throw error(key, n, "expected a number, got \"\(s)\"") }
        guard range.contains(v) else {
            throw error(key, n, "must be between \(range.lowerBound) and \(range.upperBound), got \(s)")
        }
        value = v
    }

    mutating func bool(_ key: String, into value: inout Bool) throws {
        guard let (s, n) = try scalar(key, what: "true or false") else { return }
        switch s.lowercased() {
        case "true", "yes", "on": value = true
        case "false", "no", "off": value = false
        default: throw error(key, n, "expected true or false, got \"\(s)\"")
        }
    }

    mutating func enumeration<E: RawRepresentable & CaseIterable>(_ key: String, into value: inout E) throws
    where E.RawValue == String {
        guard let (s, n) = try scalar(key, what: "one of \(E.allCases.map(\.rawValue).joined(separator: ", "))") else {
            return
        }
        guard let v = E(rawValue: s) else {
            throw error(
                key, n, "\"\(s)\" is not allowed; use one of: \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        value = v
    }

    mutating func intList(_ key: String, into value: inout [Int], range: ClosedRange<Int>) throws {
        guard let n = node(key) else { return }
        guard case .sequence(let seq) = n else {
            throw error(key, n, "expected a list of whole numbers, e.g. [60, 300, 1800]")
        }
        var out: [Int] = []
        for item in seq {
            guard case .scalar(let s) = item, let v = Int(s.string.replacingUnderscores()), range.contains(v) else {
                throw error(
                    key, item, "each entry must be a whole number between \(range.lowerBound) and \(range.upperBound)")
            }
            out.append(v)
        }
        guard !out.isEmpty else { throw error(key, n, "the list must not be empty") }
        value = out
    }

    mutating func stringList(_ key: String, into value: inout [String]) throws {
        guard let n = node(key) else { return }
        guard case .sequence(let seq) = n else { throw error(key, n, "expected a list, e.g. [127.0.0.1, \"::1\"]") }
        var out: [String] = []
        for item in seq {
            guard case .scalar(let s) = item else { throw error(key, item, "each entry must be a single value") }
            out.append(s.string)
        }
        value = out
    }

    mutating func mapping(_ key: String) throws -> YAMLMapping? {
        guard let n = node(key) else { return nil }
        return try YAMLMapping(n, file: file, path: keyPath(key))
    }

    mutating func sequence(_ key: String) throws -> [Node]? {
        guard let n = node(key) else { return nil }
        guard case .sequence(let seq) = n else { throw error(key, n, "expected a list") }
        return Array(seq)
    }

    /// Refuses keys that were never read: a typo must not silently fall back to a default.
    func finish() throws {
        for p in pairs where !known.contains(p.key) {
            throw ConfigError(
                file: file, line: p.line, keyPath: keyPath(p.key),
                message: "unknown key; allowed here: \(known.sorted().joined(separator: ", "))")
        }
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
