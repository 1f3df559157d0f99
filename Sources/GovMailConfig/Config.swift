import MailCore

/// The effective GovMail configuration. Every default lives here, in one place; the YAML file
/// overrides what it names. `conf/govmail.example.yaml` documents every key.
public struct Config: Sendable, Equatable {
    /// Host name used in greetings, Received headers and Message-IDs.
    public var hostname = "localhost"
    /// The state folder: SQLite directory, Maildirs, relay queue, development TLS files.
    public var stateDir = "/var/lib/govmail"
    /// IANA time zone for days and months in usage counters and reports.
    public var timezone = "Asia/Ho_Chi_Minh"
    public var logLevel: LogLevel = .info
    public var server = Server()
    public var tls = TLS()
    public var listeners: [Listener] = []
    public var limits = Limits()
    public var smtp = SMTP()
    public var auth = Auth()
    public var passwords = Passwords()
    public var accounts = Accounts()
    public var analytics = Analytics()
    public var http = HTTP()
    public var metrics = Metrics()
    public var smime = SMIME()

    public init() {}

    public enum LogLevel: String, Sendable, CaseIterable { case trace, debug, info, notice, warning, error, critical }

    /// Who `govmail serve` runs as.
    public struct Server: Sendable, Equatable {
        /// Started as root, the server binds its ports, then switches to this user (and its group)
        /// before it reads a byte from the network. Empty: stay who it was started as.
        public var user = ""
        /// Allow serving as root (no `user`): only for tests and containers that are themselves confined.
        public var allowRoot = false
        public init() {}
    }

    public struct TLS: Sendable, Equatable {
        /// PEM certificate chain; relative paths are resolved against `state_dir`.
        public var certificate = "tls/cert.pem"
        /// PEM private key; relative paths are resolved against `state_dir`.
        public var key = "tls/key.pem"
        public var minVersion: TLSVersion = .v1_2
        /// Seconds a session-ticket key encrypts new tickets before it is retired; a ticket
        /// resumes for at most twice this long.
        public var ticketKeyLifetime = 43_200
        public init() {}
    }

    public enum TLSVersion: String, Sendable, CaseIterable { case v1_2 = "1.2", v1_3 = "1.3" }

    public struct Listener: Sendable, Equatable {
        public var name: String
        public var `protocol`: ListenerProtocol
        public var address: String
        public var port: Int
        public var tls: TLSMode
        public init(name: String, protocol: ListenerProtocol, address: String, port: Int, tls: TLSMode) {
            self.name = name; self.protocol = `protocol`; self.address = address; self.port = port; self.tls = tls
        }
    }

    public enum ListenerProtocol: String, Sendable, CaseIterable {
        case submission, smtp, imap
        /// ManageSieve (RFC 5804; port 4190 by convention): users edit their Sieve filters.
        case managesieve
        /// Autoconfig, autodiscover, the set-up page, health and metrics (HTTP/1.1).
        case http
        /// `test-echo` is the network layer's test driver; refused outside loopback.
        case testEcho = "test-echo"
    }

    public enum TLSMode: String, Sendable, CaseIterable { case implicit, starttls, none }

    public struct Limits: Sendable, Equatable {
        public var maxConnections = 10_000
        public var maxConnectionsPerAddress = 100
        /// Connections from one address that have not logged in yet (IMAP, submission); part of
        /// `maxConnectionsPerAddress`, kept smaller so logged-in users behind one NAT address still get in.
        public var maxPreAuthConnectionsPerAddress = 20
        /// Seconds an IMAP or submission connection may stay without logging in.
        public var preAuthTimeout = 60
        /// Seconds allowed for a TLS handshake.
        public var handshakeTimeout = 30
        /// Idle seconds before an SMTP session is closed (RFC 5321 §4.5.3.2 suggests 5 minutes).
        public var smtpIdleTimeout = 300
        /// Idle seconds before an IMAP session is logged out (RFC 3501 §5.4: at least 30 minutes).
        public var imapIdleTimeout = 1800
        /// Upper bound, in seconds, for any single SMTP command or DATA transfer (slowloris).
        public var commandTimeout = 600
        /// Bytes per second a message upload (SMTP DATA/BDAT, IMAP literal) must average; each byte
        /// received extends the transfer's `commandTimeout` by `1 / minUploadRate` seconds.
        public var minUploadRate = 4096
        /// Bytes of queued output above which a connection stops reading.
        public var writeBufferLimit = 1 << 20
        /// Largest message accepted, in bytes (SMTP SIZE, IMAP APPENDLIMIT).
        public var maxMessageSize = 36_700_160
        public var maxRecipients = 100
        /// Longest command line accepted, in bytes.
        public var maxLineLength = 8192
        public init() {}
    }

    public struct SMTP: Sendable, Equatable {
        /// Leave the client's IP address out of Received headers.
        public var hideClientAddress = false
        /// Consecutive bad commands before `421 4.7.0` and close.
        public var errorBudget = 10
        /// Where a bare `RCPT TO:<Postmaster>` goes (RFC 5321 §4.5.1 requires accepting it);
        /// empty means `postmaster@<hostname>`, which must then be an account or alias.
        public var postmaster = ""
        public var relay = Relay()
        public init() {}
    }

    public struct Relay: Sendable, Equatable {
        /// Smarthost for remote recipients; empty means remote recipients are refused.
        public var host = ""
        public var port = 587
        public var tls: RelayTLS = .required
        /// Check the smarthost's certificate chain against the system CAs. Turn off only for a
        /// test smarthost on loopback with a self-signed certificate.
        public var verifyCertificate = true
        /// Extra trusted certificates (PEM) for the smarthost, e.g. an internal CA; relative to `state_dir`.
        public var caFile = ""
        public var username = ""
        public var password = Secret("")
        /// Seconds to wait before each retry; the last value repeats until `max_age`.
        public var retrySchedule = [60, 300, 1800, 7200, 14400]
        /// Seconds after which an undeliverable message bounces (5 days).
        public var maxAge = 432_000
        public init() {}
        public var isEnabled: Bool { !host.isEmpty }
    }

    public enum RelayTLS: String, Sendable, CaseIterable { case required, opportunistic }

    public struct Auth: Sendable, Equatable {
        /// Minimum seconds every authentication reply waits, whatever the outcome.
        public var replyDelay = 0.2
        /// Extra delay per recent failure, in seconds (grows linearly, capped at `maxDelay`).
        public var failureDelayStep = 1.0
        public var maxDelay = 8.0
        /// Failures within `window` seconds that block an address or account for `blockDuration`.
        public var maxFailures = 10
        public var window = 900
        public var blockDuration = 900
        /// Seconds a verified password is remembered (as an in-memory keyed digest) so the next
        /// login of that account skips the password hash; 0 turns the cache off.
        public var cacheTTL = 3600.0
        /// Accounts remembered at most (about 128 bytes each).
        public var cacheEntries = 100_000
        /// Threads that hash passwords; 0 means one less than the processor count (at least one),
        /// so a login storm always leaves a core for mail of open sessions.
        public var hashWorkers = 0
        /// Logins waiting for a password hash beyond which new ones are refused for now
        /// (SMTP 454 4.7.0, IMAP NO [UNAVAILABLE]) instead of queueing without end.
        public var maxPendingVerifications = 128
        public init() {}
    }

    public struct Passwords: Sendable, Equatable {
        public var minLength = 10
        /// scrypt cost as log2(N); 15 means N = 32768.
        public var scryptLogN = 15
        public var scryptR = 8
        public var scryptP = 1
        public init() {}
    }

    public struct Accounts: Sendable, Equatable {
        /// Default quota for new accounts, in bytes (0 = unlimited).
        public var defaultQuota = 2_147_483_648
        public init() {}
    }

    public struct Analytics: Sendable, Equatable {
        /// Distinct days of use in a month that make a staff member "active".
        public var activeMinDays = 4
        /// Share below which a unit is highlighted (0–1).
        public var targetShare = 0.5
        /// Units with fewer staff are merged into their parent in published output.
        public var minUnitSize = 5
        /// Months of daily counters kept; monthly aggregates are kept for good.
        public var retentionMonths = 24
        /// Seconds between flushes of in-memory counters to SQLite.
        public var flushInterval = 30
        public init() {}
    }

    public struct HTTP: Sendable, Equatable {
        /// Seconds a client may take to send one whole request (headers and body; slowloris).
        public var requestTimeout = 10
        /// Idle seconds a kept-alive connection may wait for its next request.
        public var idleTimeout = 60
        /// Requests per client address per minute; more get 429 Too Many Requests.
        public var requestsPerMinute = 120
        /// Largest request header section, in bytes (431 past it).
        public var maxHeaderSize = 16_384
        /// Largest request body, in bytes (413 past it); autodiscover requests are about 400 bytes.
        public var maxBodySize = 65_536
        /// PEM certificate (then its intermediates) and key that sign Apple profiles; empty: unsigned.
        /// Relative paths are resolved against `state_dir`.
        public var profileSigningCertificate = ""
        public var profileSigningKey = ""
        public init() {}
        public var signsProfiles: Bool { !profileSigningCertificate.isEmpty }
    }

    public struct Metrics: Sendable, Equatable {
        /// Serve `/metrics` (Prometheus text format) on the http listeners.
        public var enabled = false
        /// Client addresses allowed to read `/metrics`: IP addresses or prefixes such as 10.0.0.0/8.
        public var allow = ["127.0.0.1", "::1"]
        public init() {}
    }

    /// S/MIME signature verification on submission and local delivery (issue 17).
    public struct SMIME: Sendable, Equatable {
        /// PEM files of the CAs whose signatures are trusted; relative to `state_dir`.
        /// Empty turns verification off (no Authentication-Results smime result is added).
        public var trustAnchors: [String] = []
        /// PEM CRL files checked during verification; relative to `state_dir`.
        public var crls: [String] = []
        public init() {}
        public var isEnabled: Bool { !trustAnchors.isEmpty }
    }

    /// Resolves a configured path against the state folder unless it is absolute.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = stateDir.hasSuffix("/") ? String(stateDir.dropLast()) : stateDir
        return base + "/" + path
    }
}

