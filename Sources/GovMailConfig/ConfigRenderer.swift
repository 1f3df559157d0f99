import Foundation
import MailCore

/// Prints the effective configuration as YAML, secrets redacted, for `govmail config check`.
public enum ConfigRenderer {
    public static func yaml(_ c: Config) -> String {
        var out: [String] = []
        func q(_ s: String) -> String {
            let safe =
                !s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber || "._/-:".contains($0) }
                && !["true", "false", "yes", "no", "null", "on", "off"].contains(s.lowercased())
            if safe { return s }
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        }
        func num(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        out.append("hostname: \(q(c.hostname))")
        out.append("state_dir: \(q(c.stateDir))")
        out.append("timezone: \(q(c.timezone))")
        out.append("log_level: \(c.logLevel.rawValue)")
        out.append("server:")
        out.append("  user: \(q(c.server.user))")
        out.append("  allow_root: \(c.server.allowRoot)")
        out.append("tls:")
        out.append("  certificate: \(q(c.tls.certificate))")
        out.append("  key: \(q(c.tls.key))")
        out.append("  min_version: \"\(c.tls.minVersion.rawValue)\"")
        out.append("  ticket_key_lifetime: \(c.tls.ticketKeyLifetime)")
        out.append(c.listeners.isEmpty ? "listeners: []" : "listeners:")
        for l in c.listeners {
            out.append("  - name: \(q(l.name))")
            out.append("    protocol: \(l.protocol.rawValue)")
            out.append("    address: \(q(l.address))")
            out.append("    port: \(l.port)")
            out.append("    tls: \(l.tls.rawValue)")
        }
        let L = c.limits
        out.append("limits:")
        out.append("  max_connections: \(L.maxConnections)")
        out.append("  max_connections_per_address: \(L.maxConnectionsPerAddress)")
        out.append("  max_preauth_connections_per_address: \(L.maxPreAuthConnectionsPerAddress)")
        out.append("  preauth_timeout: \(L.preAuthTimeout)")
        out.append("  min_upload_rate: \(L.minUploadRate)")
        out.append("  handshake_timeout: \(L.handshakeTimeout)")
        out.append("  smtp_idle_timeout: \(L.smtpIdleTimeout)")
        out.append("  imap_idle_timeout: \(L.imapIdleTimeout)")
        out.append("  command_timeout: \(L.commandTimeout)")
        out.append("  write_buffer_limit: \(L.writeBufferLimit)")
        out.append("  max_message_size: \(L.maxMessageSize)")
        out.append("  max_recipients: \(L.maxRecipients)")
        out.append("  max_line_length: \(L.maxLineLength)")
        let R = c.smtp.relay
        out.append("smtp:")
        out.append("  hide_client_address: \(c.smtp.hideClientAddress)")
        out.append("  error_budget: \(c.smtp.errorBudget)")
        out.append("  postmaster: \(q(c.smtp.postmaster))")
        out.append("  relay:")
        out.append("    host: \(q(R.host))")
        out.append("    port: \(R.port)")
        out.append("    tls: \(R.tls.rawValue)")
        out.append("    verify_certificate: \(R.verifyCertificate)")
        out.append("    ca_file: \(q(R.caFile))")
        out.append("    username: \(q(R.username))")
        out.append("    password: \(R.password.isEmpty ? "\"\"" : "<redacted>")")
        out.append("    retry_schedule: [\(R.retrySchedule.map(String.init).joined(separator: ", "))]")
        out.append("    max_age: \(R.maxAge)")
        let A = c.auth
        out.append("auth:")
        out.append("  reply_delay: \(num(A.replyDelay))")
        out.append("  failure_delay_step: \(num(A.failureDelayStep))")
        out.append("  max_delay: \(num(A.maxDelay))")
        out.append("  max_failures: \(A.maxFailures)")
        out.append("  window: \(A.window)")
        out.append("  block_duration: \(A.blockDuration)")
        out.append("  cache_ttl: \(num(A.cacheTTL))")
        out.append("  cache_entries: \(A.cacheEntries)")
        out.append("  hash_workers: \(A.hashWorkers)")
        out.append("  max_pending_verifications: \(A.maxPendingVerifications)")
        let P = c.passwords
        out.append("passwords:")
        out.append("  min_length: \(P.minLength)")
        out.append("  scrypt_log_n: \(P.scryptLogN)")
        out.append("  scrypt_r: \(P.scryptR)")
        out.append("  scrypt_p: \(P.scryptP)")
        out.append("accounts:")
        out.append("  default_quota: \(c.accounts.defaultQuota)")
        let N = c.analytics
        out.append("analytics:")
        out.append("  active_min_days: \(N.activeMinDays)")
        out.append("  target_share: \(num(N.targetShare))")
        out.append("  min_unit_size: \(N.minUnitSize)")
        out.append("  retention_months: \(N.retentionMonths)")
        out.append("  flush_interval: \(N.flushInterval)")
        let H = c.http
        out.append("http:")
        out.append("  request_timeout: \(H.requestTimeout)")
        out.append("  idle_timeout: \(H.idleTimeout)")
        out.append("  requests_per_minute: \(H.requestsPerMinute)")
        out.append("  max_header_size: \(H.maxHeaderSize)")
        out.append("  max_body_size: \(H.maxBodySize)")
        out.append("  profile_signing_certificate: \(q(H.profileSigningCertificate))")
        out.append("  profile_signing_key: \(q(H.profileSigningKey))")
        out.append("metrics:")
        out.append("  enabled: \(c.metrics.enabled)")
        out.append("  allow: [\(c.metrics.allow.map { "\"\($0)\"" }.joined(separator: ", "))]")
        out += smimeLines(c.smime, quote: q)
        return out.joined(separator: "\n") + "\n"
    }
}
