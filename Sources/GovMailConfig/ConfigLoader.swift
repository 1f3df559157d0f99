import Foundation
import MailCore
import Yams

/// Strict loading: unknown keys, wrong types and invalid values are errors with file, line and key path.
public enum ConfigLoader {
    /// Reads and validates a YAML configuration file.
    public static func load(path: String) throws -> Config {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(
                file: path, line: nil, keyPath: "",
                message: "cannot read the file (\(Self.reason(error))); check the path given to --config")
        }
        return try parse(text, file: path)
    }

    /// Parses and validates configuration text; `file` is used in messages only.
    public static func parse(_ text: String, file: String) throws -> Config {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            if Self.problem(of: e).contains("duplicated key"), let dup = duplicateKey(in: text) {
                throw ConfigError(
                    file: file, line: dup.line, keyPath: dup.key, message: "this key appears twice; keep one")
            }
            throw ConfigError(
                file: file, line: Self.line(of: e), keyPath: "", message: "not valid YAML: \(Self.problem(of: e))")
        }
        var config = Config()
        guard let root else { return try validated(config, file: file) }
        var top = try YAMLMapping(root, file: file, path: "")
        try top.string("hostname", into: &config.hostname)
        try top.string("state_dir", into: &config.stateDir)
        try top.string("timezone", into: &config.timezone)
        try top.enumeration("log_level", into: &config.logLevel)
        if var m = try top.mapping("server") {
            try m.string("user", into: &config.server.user)
            try m.bool("allow_root", into: &config.server.allowRoot)
            try m.finish()
        }
        if var m = try top.mapping("tls") {
            try m.string("certificate", into: &config.tls.certificate)
            try m.string("key", into: &config.tls.key)
            try m.enumeration("min_version", into: &config.tls.minVersion)
            try m.int("ticket_key_lifetime", into: &config.tls.ticketKeyLifetime, range: 60...604_800)
            try m.finish()
        }
        if let list = try top.sequence("listeners") {
            config.listeners = try list.enumerated().map { i, node in try listener(node, index: i, file: file) }
        }
        if var m = try top.mapping("limits") {
            try m.int("max_connections", into: &config.limits.maxConnections, range: 1...1_000_000)
            try m.int(
                "max_connections_per_address", into: &config.limits.maxConnectionsPerAddress, range: 1...1_000_000)
            try m.int(
                "max_preauth_connections_per_address", into: &config.limits.maxPreAuthConnectionsPerAddress,
                range: 1...1_000_000)
            try m.int("preauth_timeout", into: &config.limits.preAuthTimeout, range: 5...3600)
            try m.int("min_upload_rate", into: &config.limits.minUploadRate, range: 1...1 << 30)
            try m.int("handshake_timeout", into: &config.limits.handshakeTimeout, range: 1...3600)
            try m.int("smtp_idle_timeout", into: &config.limits.smtpIdleTimeout, range: 10...86_400)
            try m.int("imap_idle_timeout", into: &config.limits.imapIdleTimeout, range: 1800...86_400)
            try m.int("command_timeout", into: &config.limits.commandTimeout, range: 10...86_400)
            try m.int("write_buffer_limit", into: &config.limits.writeBufferLimit, range: 16_384...1 << 30)
            try m.int("max_message_size", into: &config.limits.maxMessageSize, range: 1024...1 << 30)
            try m.int("max_recipients", into: &config.limits.maxRecipients, range: 1...10_000)
            try m.int("max_line_length", into: &config.limits.maxLineLength, range: 1000...1 << 20)
            try m.finish()
        }
        if var m = try top.mapping("smtp") {
            try m.bool("hide_client_address", into: &config.smtp.hideClientAddress)
            try m.int("error_budget", into: &config.smtp.errorBudget, range: 1...1000)
            try m.string("postmaster", into: &config.smtp.postmaster)
            if !config.smtp.postmaster.isEmpty, (try? EmailAddress(config.smtp.postmaster)) == nil {
                throw m.error(
                    "postmaster", m.node("postmaster"),
                    "\"\(config.smtp.postmaster)\" is not a mail address; write it as name@domain")
            }
            if var r = try m.mapping("relay") {
                try r.string("host", into: &config.smtp.relay.host)
                try r.int("port", into: &config.smtp.relay.port, range: 1...65535)
                try r.enumeration("tls", into: &config.smtp.relay.tls)
                try r.bool("verify_certificate", into: &config.smtp.relay.verifyCertificate)
                try r.string("ca_file", into: &config.smtp.relay.caFile)
                try r.string("username", into: &config.smtp.relay.username)
                var pw = ""
                try r.string("password", into: &pw)
                config.smtp.relay.password = Secret(pw)
                try r.intList("retry_schedule", into: &config.smtp.relay.retrySchedule, range: 1...604_800)
                try r.int("max_age", into: &config.smtp.relay.maxAge, range: 60...2_592_000)
                try r.finish()
            }
            try m.finish()
        }
        if var m = try top.mapping("auth") {
            try m.double("reply_delay", into: &config.auth.replyDelay, range: 0...10)
            try m.double("failure_delay_step", into: &config.auth.failureDelayStep, range: 0...60)
            try m.double("max_delay", into: &config.auth.maxDelay, range: 0...300)
            try m.int("max_failures", into: &config.auth.maxFailures, range: 1...10_000)
            try m.int("window", into: &config.auth.window, range: 1...86_400)
            try m.int("block_duration", into: &config.auth.blockDuration, range: 1...86_400)
            try m.double("cache_ttl", into: &config.auth.cacheTTL, range: 0...86_400)
            try m.int("cache_entries", into: &config.auth.cacheEntries, range: 0...10_000_000)
            try m.int("hash_workers", into: &config.auth.hashWorkers, range: 0...256)
            try m.int("max_pending_verifications", into: &config.auth.maxPendingVerifications, range: 1...100_000)
            try m.finish()
        }
        if var m = try top.mapping("passwords") {
            try m.int("min_length", into: &config.passwords.minLength, range: 6...1024)
            try m.int("scrypt_log_n", into: &config.passwords.scryptLogN, range: 10...20)
            try m.int("scrypt_r", into: &config.passwords.scryptR, range: 1...32)
            try m.int("scrypt_p", into: &config.passwords.scryptP, range: 1...16)
            try m.finish()
        }
        if var m = try top.mapping("accounts") {
            try m.int("default_quota", into: &config.accounts.defaultQuota, range: 0...Int.max)
            try m.finish()
        }
        if var m = try top.mapping("analytics") {
            try m.int("active_min_days", into: &config.analytics.activeMinDays, range: 1...31)
            try m.double("target_share", into: &config.analytics.targetShare, range: 0...1)
            try m.int("min_unit_size", into: &config.analytics.minUnitSize, range: 1...1000)
            try m.int("retention_months", into: &config.analytics.retentionMonths, range: 1...240)
            try m.int("flush_interval", into: &config.analytics.flushInterval, range: 1...3600)
            try m.finish()
        }
        if var m = try top.mapping("http") {
            try m.int("request_timeout", into: &config.http.requestTimeout, range: 1...600)
            try m.int("idle_timeout", into: &config.http.idleTimeout, range: 1...3600)
            try m.int("requests_per_minute", into: &config.http.requestsPerMinute, range: 1...1_000_000)
            try m.int("max_header_size", into: &config.http.maxHeaderSize, range: 1024...1 << 20)
            try m.int("max_body_size", into: &config.http.maxBodySize, range: 1024...1 << 24)
            try m.string("profile_signing_certificate", into: &config.http.profileSigningCertificate)
            try m.string("profile_signing_key", into: &config.http.profileSigningKey)
            if config.http.profileSigningCertificate.isEmpty != config.http.profileSigningKey.isEmpty {
                throw m.error(
                    "profile_signing_key", m.node("profile_signing_key"),
                    "set both profile_signing_certificate and profile_signing_key, or neither")
            }
            try m.finish()
        }
        if var m = try top.mapping("metrics") {
            try m.bool("enabled", into: &config.metrics.enabled)
            try m.stringList("allow", into: &config.metrics.allow)
            for entry in config.metrics.allow where AddressPrefix(entry) == nil {
                throw m.error(
                    "allow", m.node("allow"),
                    "\"\(entry)\" is not an IP address or prefix; write e.g. 127.0.0.1, ::1 or 10.0.0.0/8")
            }
            try m.finish()
        }
        if var m = try top.mapping("smime") { try smime(&m, into: &config.smime) }
        try top.finish()
        return try validated(config, file: file, lines: lineIndex(root))
    }

    private static func listener(_ node: Node, index: Int, file: String) throws -> Config.Listener {
        var m = try YAMLMapping(node, file: file, path: "listeners[\(index)]")
        var l = Config.Listener(name: "", protocol: .submission, address: "127.0.0.1", port: 0, tls: .starttls)
        guard m.hasKey("protocol") else {
            throw ConfigError(
                file: file, line: node.mark?.line, keyPath: "listeners[\(index)].protocol",
                message: "every listener needs a protocol: submission, smtp, imap, managesieve, http or test-echo")
        }
        var protoValue = Config.ListenerProtocol.submission
        try m.enumeration("protocol", into: &protoValue)
        l.protocol = protoValue
        l.name = protoValue.rawValue
        try m.string("name", into: &l.name)
        try m.string("address", into: &l.address)
        guard m.hasKey("port") else {
            throw ConfigError(
                file: file, line: node.mark?.line, keyPath: "listeners[\(index)].port",
                message: "every listener needs a port (0 lets the system pick a free one, for tests)")
        }
        try m.int("port", into: &l.port, range: 0...65535)
        try m.enumeration("tls", into: &l.tls)
        try m.finish()
        return l
    }

    /// Line numbers of the listeners, for semantic errors found after parsing.
    private static func lineIndex(_ root: Node) -> [String: Int] {
        var out: [String: Int] = [:]
        if case .mapping(let m) = root {
            for (k, v) in m {
                if case .scalar(let s) = k { out[s.string] = k.mark?.line }
                if case .scalar(let s) = k, s.string == "listeners", case .sequence(let seq) = v {
                    for (i, item) in seq.enumerated() { out["listeners[\(i)]"] = item.mark?.line }
                }
            }
        }
        return out
    }

    /// Checks that span keys: loopback-only plaintext, unique listener names and ports, a known time zone.
    static func validated(_ c: Config, file: String, lines: [String: Int] = [:]) throws -> Config {
        if TimeZone(identifier: c.timezone) == nil {
            throw ConfigError(
                file: file, line: lines["timezone"], keyPath: "timezone",
                message: "\"\(c.timezone)\" is not a known time zone; use an IANA name such as Asia/Ho_Chi_Minh")
        }
        if c.stateDir.isEmpty {
            throw ConfigError(file: file, line: lines["state_dir"], keyPath: "state_dir", message: "must not be empty")
        }
        var names: Set<String> = [], endpoints: Set<String> = []
        for (i, l) in c.listeners.enumerated() {
            let path = "listeners[\(i)]"
            let line = lines[path]
            if l.tls == .none && !isLoopback(l.address) {
                throw ConfigError(
                    file: file, line: line, keyPath: path + ".tls",
                    message:
                        "tls: none is allowed only on loopback addresses (127.0.0.1, ::1); use starttls or implicit")
            }
            if l.protocol == .testEcho && !isLoopback(l.address) {
                throw ConfigError(
                    file: file, line: line, keyPath: path + ".protocol",
                    message: "test-echo is a test driver and is allowed only on loopback addresses")
            }
            if l.protocol == .submission && l.tls == .none && !isLoopback(l.address) {
                throw ConfigError(file: file, line: line, keyPath: path + ".tls", message: "submission needs TLS")
            }
            if !names.insert(l.name).inserted {
                throw ConfigError(
                    file: file, line: line, keyPath: path + ".name",
                    message: "another listener is already called \"\(l.name)\"; names must be unique")
            }
            if l.port != 0 && !endpoints.insert("\(l.address):\(l.port)").inserted {
                throw ConfigError(
                    file: file, line: line, keyPath: path + ".port",
                    message: "another listener already uses \(l.address) port \(l.port)")
            }
            if !isIPAddress(l.address) {
                throw ConfigError(
                    file: file, line: line, keyPath: path + ".address",
                    message: "\"\(l.address)\" is not an IPv4 or IPv6 address; use e.g. 0.0.0.0, ::, or 127.0.0.1")
            }
        }
        if c.smtp.relay.isEnabled && !c.smtp.relay.password.isEmpty && c.smtp.relay.username.isEmpty
        {
            throw ConfigError(
                file: file, line: nil, keyPath: "smtp.relay.username",
                message: "a relay password is set without a username; set both or neither")
        }
        return c
    }

    public static func isLoopback(_ address: String) -> Bool {
        address == "::1" || address.hasPrefix("127.") || address == "localhost"
    }

    static func isIPAddress(_ s: String) -> Bool {
        if s.contains(":") { return s.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." } }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { p in Int(p).map { (0...255).contains($0) && !p.isEmpty } ?? false }
    }

    /// Yams refuses duplicate keys without saying where; find the second occurrence ourselves.
    private static func duplicateKey(in text: String) -> (key: String, line: Int)? {
        // (indent, key) → line; entries deeper than the current line are forgotten when indentation
        // drops. The indent is kept as a number: a key may start with a combining mark, which would
        // merge with any separator character in a joined string.
        struct Seen: Hashable { let indent: Int; let key: String }
        var seen: [Seen: Int] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = raw.prefix { $0 == " " }.count
            let body = raw.dropFirst(indent)
            guard !body.hasPrefix("#"), !body.hasPrefix("-"), let colon = body.firstIndex(of: ":") else { continue }
            seen = seen.filter { $0.key.indent <= indent }
            let key = String(body[..<colon]).trimmingCharacters(in: .whitespaces)
            let id = Seen(indent: indent, key: key)
            if seen[id] != nil { return (key, i + 1) }
            seen[id] = i + 1
        }
        return nil
    }

    private static func line(of e: YamlError) -> Int? {
        switch e {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
        default: return nil
        }
    }
    private static func problem(of e: YamlError) -> String {
        switch e {
        case .scanner(_, let p, _, _), .parser(_, let p, _, _): return p
        default: return "\(e)"
        }
    }
    private static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        return ns.localizedDescription
    }
}
