import CoreMetrics
import Foundation
import IMAPProtocol
import Prometheus
import SMTPProtocol

/// The server's one metrics facade: every other file records through these few methods, so the
/// metric names, their labels and the rule "no account names or addresses in labels" live here.
/// Recording goes through swift-metrics into a swift-prometheus registry that `/metrics` renders.
/// Label values come only from closed sets (listener names from the configuration, IMAP verbs from
/// the command table, fixed reasons), so the number of series stays bounded whatever clients send.
public final class ServerMetrics: Sendable {
    /// The process-wide instance (metrics describe the process, as Prometheus expects).
    public static let shared = ServerMetrics()

    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["govmail_imap_command_duration_seconds"] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500),
            .seconds(1), .seconds(5), .seconds(30),
        ]
        factory.durationHistogramBuckets["govmail_delivery_duration_seconds"] = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
    }

    // MARK: - connections and TLS

    /// A connection was admitted on `listener` (a configured listener name).
    public func connectionOpened(listener: String) {
        Counter(label: "govmail_connections_total", dimensions: [("listener", listener)], factory: factory).increment()
    }

    /// A TLS handshake (implicit or after STARTTLS) finished or failed.
    public func tlsHandshake(listener: String, succeeded: Bool) {
        Counter(
            label: "govmail_tls_handshakes_total",
            dimensions: [("listener", listener), ("result", succeeded ? "ok" : "failed")], factory: factory
        ).increment()
    }

    // MARK: - logins and commands

    /// A login attempt's outcome; `blocked` means refused by the throttle without checking the
    /// password, `busy` refused because too many logins waited for verification.
    func login(protocol proto: String, result: LoginOutcome.Result) {
        let name =
            switch result {
            case .success: "success"
            case .failure: "failure"
            case .blocked: "blocked"
            case .busy: "busy"
            }
        Counter(
            label: "govmail_logins_total", dimensions: [("protocol", Self.bounded(proto)), ("result", name)],
            factory: factory
        ).increment()
    }

    /// Counts each finished IMAP command (its tagged response) by verb and result, and records how
    /// long it took since the client's latest input. The session words every successful completion
    /// "<VERB> completed"; the verb is kept only when it is in the command table, so refusals with
    /// other wording count as verb "other".
    func imapResponse(_ response: IMAPResponse, seconds: Double) {
        guard case .tagged(_, let status, _, let text) = response else { return }
        let words = text.split(separator: " ", maxSplits: 2)
        var verb = "other"
        if let first = words.first {
            let two = words.count > 1 ? "\(first) \(words[1])" : ""
            if IMAPVerb(rawValue: two) != nil {
                verb = two
            } else if IMAPVerb(rawValue: String(first)) != nil {
                verb = String(first)
            }
        }
        let label = verb.lowercased().replacingOccurrences(of: " ", with: "_")
        Counter(
            label: "govmail_imap_commands_total",
            dimensions: [("verb", label), ("result", status.rawValue.lowercased())],
            factory: factory
        ).increment()
        Timer(label: "govmail_imap_command_duration_seconds", dimensions: [("verb", label)], factory: factory)
            .recordNanoseconds(Int64(max(0, seconds) * 1e9))
    }

    // MARK: - messages

    /// A message reached the delivery step: stored (with how long the durable write took), refused
    /// there (quota), or not stored because the disk or spool failed (the client got 451).
    func delivered(_ outcome: DeliveryOutcome, seconds: Double) {
        let (result, reason): (String, String)
        switch outcome {
        case .stored:
            (result, reason) = ("accepted", "")
            Timer(label: "govmail_delivery_duration_seconds", dimensions: [], factory: factory)
                .recordNanoseconds(Int64(max(0, seconds) * 1e9))
        case .transientFailure: (result, reason) = ("refused", "storage")
        case .refused(let reply): (result, reason) = ("refused", Self.refusalReason(reply.code, reply.enhancedCode))
        }
        Counter(
            label: "govmail_messages_total", dimensions: [("result", result), ("reason", reason)], factory: factory
        )
        .increment()
    }

    /// Every refusal the SMTP server answers (MAIL, RCPT, DATA, AUTH...), by reason: a refused
    /// message shows up here under the step that refused it.
    func smtpReply(code: Int, enhancedCode: String?) {
        guard code >= 400 else { return }
        Counter(
            label: "govmail_smtp_refusals_total", dimensions: [("reason", Self.refusalReason(code, enhancedCode))],
            factory: factory
        ).increment()
    }

    /// Enhanced status codes (RFC 3463) folded into a few stable reasons.
    static func refusalReason(_ code: Int, _ enhanced: String?) -> String {
        switch enhanced?.split(separator: ".").dropFirst().joined(separator: ".") {
        case "1.1", "1.2", "1.10": "bad_recipient"
        case "1.7", "1.8": "bad_sender"
        case "2.2": "quota"
        case "3.4", "2.3": "too_large"
        case "5.1", "5.2", "5.4", "5.6", "6.0", "6.7": "syntax"
        case "7.0", "7.8", "7.9": "auth"
        case "7.1": "policy"
        case "4.2", "4.4": "timeout"
        case "4.5", "5.3": "limit"
        case "3.0", "3.2": "server"
        default: code >= 500 ? "other_permanent" : "other_transient"
        }
    }

    /// Writing a message to a Maildir failed (disk full, permissions): the client got a 4xx.
    public func maildirWriteError() {
        Counter(label: "govmail_maildir_write_errors_total", dimensions: [], factory: factory).increment()
    }

    // MARK: - HTTP

    public func httpRequest(status: Int) {
        Counter(label: "govmail_http_requests_total", dimensions: [("code", "\(status)")], factory: factory).increment()
    }

    // MARK: - sampled at scrape time

    /// Gauges whose value is read when `/metrics` is scraped rather than pushed by the code.
    func sample(
        relayQueueLength: Int?, relayOldestAge: Double?, workerQueues: [(pool: String, waiting: Int, running: Int)]
    ) {
        if let relayQueueLength {
            Gauge(label: "govmail_relay_queue_messages", dimensions: [], factory: factory).record(relayQueueLength)
        }
        if let relayOldestAge {
            Gauge(label: "govmail_relay_queue_oldest_age_seconds", dimensions: [], factory: factory).record(
                relayOldestAge)
        }
        for q in workerQueues {
            Gauge(label: "govmail_worker_queue_depth", dimensions: [("pool", q.pool)], factory: factory).record(
                q.waiting)
            Gauge(label: "govmail_worker_busy", dimensions: [("pool", q.pool)], factory: factory).record(q.running)
        }
    }

    /// The Prometheus text exposition (format 0.0.4).
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    /// Label values are short names from closed sets; anything else is folded so no client text leaks in.
    static func bounded(_ value: String) -> String {
        let ok =
            value.count <= 32
            && value.unicodeScalars.allSatisfy {
                $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        return ok ? value.lowercased() : "other"
    }
}
