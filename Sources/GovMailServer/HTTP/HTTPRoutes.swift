import AccountStore
import Foundation
import GovMailConfig
import HTTPProtocol
import MailCore
import NetServer
import Relay
import TLSEngine

/// What a route decided: an answer now, or blocking work (SQLite, disk) whose result is the answer.
enum HTTPRouteResult {
    case response(HTTPResponse)
    case blocking(@Sendable () -> HTTPResponse)
}

/// The http listener's pages: one table of exact paths, each a function. Paths are compared after
/// percent-decoding and never touch the file system, so "../" tricks just find no page (404).
///
/// Invariants: client settings are given only for domains this server serves; for any other domain
/// the answer carries no host name, port or address. Every value placed in a document is escaped.
struct HTTPRoutes: Sendable {
    let config: Config
    let services: ServerServices?
    let ports: BoundPorts
    let metrics: ServerMetrics
    let workers: WorkerPools
    let clock: any MailClock
    let metricsAllow: [AddressPrefix]
    let readinessCache = ReadinessCache()
    /// Signs Apple profiles when configured (checked at startup by `ServerRuntime`).
    let signer: ProfileSigner?

    init(
        config: Config, services: ServerServices?, ports: BoundPorts, metrics: ServerMetrics, workers: WorkerPools,
        clock: any MailClock
    ) {
        self.config = config; self.services = services; self.ports = ports; self.metrics = metrics
        self.workers = workers; self.clock = clock
        metricsAllow = config.metrics.allow.compactMap(AddressPrefix.init)
        signer =
            config.http.signsProfiles
            ? try? ProfileSigner(
                certificatePath: config.resolve(config.http.profileSigningCertificate),
                keyPath: config.resolve(config.http.profileSigningKey)) : nil
    }

    private typealias Handler = @Sendable (HTTPRoutes, HTTPRequest, String) -> HTTPRouteResult

    /// path (lowercased) → allowed methods and handler. Outlook capitalises "Autodiscover".
    private static let table: [String: (methods: Set<String>, handler: Handler)] = [
        "/": (["GET", "HEAD"], { r, q, _ in r.setupPage(q) }),
        "/.well-known/autoconfig/mail/config-v1.1.xml": (["GET", "HEAD"], { r, q, _ in r.thunderbird(q) }),
        "/mail/config-v1.1.xml": (["GET", "HEAD"], { r, q, _ in r.thunderbird(q) }),
        "/autodiscover/autodiscover.xml": (["POST"], { r, q, _ in r.autodiscoverPOX(q) }),
        "/autodiscover/autodiscover.json": (["GET", "HEAD"], { r, q, _ in r.autodiscoverJSON(q, pathAddress: nil) }),
        "/apple/mobileconfig": (["GET", "HEAD"], { r, q, _ in r.appleProfile(q) }),
        "/healthz": (["GET", "HEAD"], { _, _, _ in .response(.text(.ok, "ok")) }),
        "/readyz": (["GET", "HEAD"], { r, _, _ in r.readiness() }),
        "/metrics": (["GET", "HEAD"], { r, _, peer in r.metricsPage(peer: peer) }),
    ]

    func route(_ request: HTTPRequest, peer: String) -> HTTPRouteResult {
        guard ["GET", "HEAD", "POST"].contains(request.method) else {
            return .response(.text(.notImplemented, "method \(request.method) is not supported here; use GET"))
        }
        guard let path = request.path else {
            return .response(.text(.badRequest, "the address is not valid; check its percent-encoding"))
        }
        let key = path.lowercased()
        // Outlook v2: /autodiscover/autodiscover.json/v1.0/name@domain?Protocol=AutodiscoverV1
        let jsonPrefix = "/autodiscover/autodiscover.json/v1.0/"
        if key.hasPrefix(jsonPrefix), request.method == "GET" || request.method == "HEAD" {
            return autodiscoverJSON(request, pathAddress: String(path.dropFirst(jsonPrefix.count)))
        }
        guard let entry = Self.table[key] else {
            return .response(.text(.notFound, "no such page; the mail set-up page is at /"))
        }
        guard entry.methods.contains(request.method) else {
            return .response(
                .text(
                    .methodNotAllowed, "use \(entry.methods.sorted().joined(separator: " or ")) for this address",
                    headers: [("Allow", entry.methods.sorted().joined(separator: ", "))]))
        }
        return entry.handler(self, request, peer)
    }

    private var settings: MailClientSettings { MailClientSettings(config: config, ports: ports) }

    // MARK: - pages

    private func setupPage(_ request: HTTPRequest) -> HTTPRouteResult {
        let lang = SetupPage.language(request)
        let html = SetupPage.html(lang, settings: settings, hostname: config.hostname)
        return .response(
            HTTPResponse(
                contentType: "text/html; charset=utf-8", body: Array(html.utf8),
                headers: [
                    ("Content-Language", lang.rawValue), ("Vary", "Accept-Language"),
                    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"),
                    ("X-Content-Type-Options", "nosniff"),
                ]))
    }

    /// Thunderbird asks with ?emailaddress=; older versions ask autoconfig.<domain> with no parameter.
    private func thunderbird(_ request: HTTPRequest) -> HTTPRouteResult {
        let domainText: String
        if let address = request.query["emailaddress"] {
            guard let parsed = try? EmailAddress(address) else { return .response(Self.badAddress) }
            domainText = parsed.domain.name
        } else if let host = request.hostName, host.hasPrefix("autoconfig.") {
            domainText = String(host.dropFirst("autoconfig.".count))
        } else {
            return .response(.text(.badRequest, "add ?emailaddress=name@domain to the address"))
        }
        guard let domain = try? Domain(domainText) else { return .response(Self.badAddress) }
        return whenLocal(domain) { [settings, hostname = config.hostname] in
            let xml = ThunderbirdAutoconfig.document(domain: domain, settings: settings, hostname: hostname)
            return HTTPResponse(contentType: "application/xml; charset=utf-8", body: Array(xml.utf8))
        }
    }

    private func autodiscoverPOX(_ request: HTTPRequest) -> HTTPRouteResult {
        guard let text = OutlookAutodiscover.requestedAddress(request.body), let address = try? EmailAddress(text)
        else {
            return .response(.text(.badRequest, "send an Autodiscover request with an EMailAddress element"))
        }
        return whenLocal(address.domain) { [settings] in
            let xml = OutlookAutodiscover.response(address: address, settings: settings)
            return HTTPResponse(contentType: "application/xml; charset=utf-8", body: Array(xml.utf8))
        }
    }

    private func autodiscoverJSON(_ request: HTTPRequest, pathAddress: String?) -> HTTPRouteResult {
        @Sendable func json(_ status: HTTPStatus, _ body: String) -> HTTPResponse {
            HTTPResponse(status: status, contentType: "application/json; charset=utf-8", body: Array(body.utf8))
        }
        guard let text = pathAddress ?? request.query["Email"], let address = try? EmailAddress(text) else {
            return .response(json(.badRequest, OutlookAutodiscover.jsonError("InvalidUser", "send Email=name@domain")))
        }
        guard (request.query["Protocol"] ?? "AutodiscoverV1").lowercased() == "autodiscoverv1" else {
            return .response(
                json(.badRequest, OutlookAutodiscover.jsonError("InvalidProtocol", "only AutodiscoverV1 is offered")))
        }
        return whenLocal(
            address.domain,
            notLocal: json(
                .notFound, OutlookAutodiscover.jsonError("InvalidUser", "this server does not serve that domain"))
        ) {
            json(.ok, OutlookAutodiscover.jsonRedirect(domain: address.domain))
        }
    }

    private func appleProfile(_ request: HTTPRequest) -> HTTPRouteResult {
        guard let text = request.query["email"], let address = try? EmailAddress(text) else {
            return .response(Self.badAddress)
        }
        return whenLocal(address.domain) { [settings, hostname = config.hostname, signer] in
            guard let plist = AppleMobileConfig.document(address: address, settings: settings, hostname: hostname)
            else {
                return .text(.serviceUnavailable, "this server has no IMAP or submission listener with TLS to offer")
            }
            var body = Array(plist.utf8)
            if let signer {
                do { body = try signer.sign(body) } catch {
                    return .text(
                        .serviceUnavailable, "the profile cannot be signed just now; tell the mail administrator")
                }
            }
            let name =
                address.localPart.unicodeScalars.allSatisfy {
                    $0.isASCII
                        && ($0.properties.isAlphabetic || "._-".unicodeScalars.contains($0) || ("0"..."9").contains($0))
                } ? address.localPart : "mail"
            return HTTPResponse(
                contentType: AppleMobileConfig.contentType, body: body,
                headers: [("Content-Disposition", "attachment; filename=\"\(name).mobileconfig\"")])
        }
    }

    private func readiness() -> HTTPRouteResult {
        let checks = ReadinessChecks(config: config, store: services?.store)
        return .blocking { [readinessCache, clock] in
            let (ready, text) = ReadinessChecks.response(readinessCache.results(now: clock.now()) { checks.run() })
            return .text(ready ? .ok : .serviceUnavailable, text)
        }
    }

    private func metricsPage(peer: String) -> HTTPRouteResult {
        guard config.metrics.enabled else {
            return .response(.text(.notFound, "metrics are off; set metrics.enabled: true in the configuration"))
        }
        guard metricsAllow.contains(where: { $0.contains(peer) }) else {
            return .response(.text(.forbidden, "your address may not read metrics; add it to metrics.allow"))
        }
        let queue = services?.relayQueue
        return .blocking { [metrics, workers, clock] in
            let items = try? queue?.list()
            let now = clock.now()
            metrics.sample(
                relayQueueLength: items?.count,
                relayOldestAge: items.map { list in list.map { now - $0.createdAt }.max() ?? 0 },
                workerQueues: [workers.storage, workers.directory, workers.auth].map { p in
                    let load = p.load
                    return (pool: p.name, waiting: load.waiting, running: load.running)
                })
            return HTTPResponse(contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.exposition())
        }
    }

    // MARK: - local domains

    private static let badAddress = HTTPResponse.text(
        .badRequest, "that is not a mail address; write it as name@domain")

    /// Runs `answer` only when `domain` is served here; otherwise a 404 that says nothing useful.
    private func whenLocal(
        _ domain: Domain,
        notLocal: HTTPResponse = .text(.notFound, "this server does not serve that domain"),
        _ answer: @escaping @Sendable () -> HTTPResponse
    ) -> HTTPRouteResult {
        guard let store = services?.store else { return .response(notLocal) }
        return .blocking {
            do {
                return try store.domains().contains { $0.name == domain } ? answer() : notLocal
            } catch {
                return .text(.serviceUnavailable, "the directory cannot be read just now; try again in a minute")
            }
        }
    }
}
