import GovMailConfig
import HTTPProtocol
import MailCore
import NetServer

/// The `http` listener protocol: routes HTTP/1.1 requests to `HTTPRoutes`; the session decides framing
/// and keep-alive, this driver only carries requests to routes and answers back.
///
/// Invariants: one request at a time per connection, answered in order; a request must arrive
/// whole within `http.request_timeout` (408 and close otherwise: slowloris); a kept-alive connection
/// with nothing to do closes after `http.idle_timeout`; each address gets `requests_per_minute`
/// (429 past it, connection kept); blocking routes run on the storage pool, never on this queue.
final class HTTPDriver: ProtocolDriver {
    private var session: HTTPServerSession
    private let routes: HTTPRoutes
    private let rate: HTTPRequestRate
    private let settings: Config.HTTP
    private let pool: WorkerPool
    private let clock: any MailClock
    private let metrics: ServerMetrics
    private var requestDeadlineSet = false

    init(
        routes: HTTPRoutes, rate: HTTPRequestRate, settings: Config.HTTP, pool: WorkerPool, clock: any MailClock,
        metrics: ServerMetrics
    ) {
        var limits = HTTPLimits()
        limits.headerBytes = settings.maxHeaderSize
        limits.requestLineLength = min(limits.requestLineLength, settings.maxHeaderSize)
        limits.bodyBytes = settings.maxBodySize
        session = HTTPServerSession(limits: limits)
        self.routes = routes; self.rate = rate; self.settings = settings; self.pool = pool; self.clock = clock
        self.metrics = metrics
    }

    static func factory(_ env: DriverEnvironment) -> DriverFactory {
        let routes = HTTPRoutes(
            config: env.config, services: env.services, ports: env.boundPorts, metrics: ServerMetrics.shared,
            workers: env.workers, clock: env.clock)
        let rate = HTTPRequestRate(perMinute: env.config.http.requestsPerMinute)
        let settings = env.config.http, pool = env.workers.storage, clock = env.clock
        return DriverFactory(
            makeDriver: { _ in
                HTTPDriver(routes: routes, rate: rate, settings: settings, pool: pool, clock: clock, metrics: .shared)
            },
            refusal: { reason in
                let text =
                    switch reason {
                    case .tooManyFromAddress: "too many connections from your address; close some and try again"
                    case .tooManyConnections: "the server is busy; try again in a minute"
                    case .shuttingDown: "the server is restarting; try again in a minute"
                    }
                return HTTPResponse.text(.serviceUnavailable, text, headers: [("Retry-After", "60")])
                    .encoded(keepAlive: false)
            })
    }

    func connectionStarted(_ context: ConnectionContext) -> [ConnectionAction] {
        [.setIdleTimeout(Double(settings.idleTimeout))]
    }

    func received(_ input: inout ByteQueue, _ context: ConnectionContext) -> [ConnectionAction] {
        var out: [ConnectionAction] = []
        while true {
            let actions = session.receive(&input, date: date())
            if actions.isEmpty { break }
            for action in actions {
                switch action {
                case .send(let bytes):
                    let status = statusCode(bytes)
                    if status >= 200 { metrics.httpRequest(status: status) }  // not "100 Continue"
                    out.append(.send(bytes))
                case .close:
                    out.append(.close)
                    return out
                case .handle(let request):
                    if requestDeadlineSet { out.append(.setDeadline(nil)); requestDeadlineSet = false }
                    if let wait = rate.admit(context.peer.host, now: context.now) {
                        let busy = HTTPResponse.text(
                            .tooManyRequests, "too many requests from your address; wait \(wait) s",
                            headers: [("Retry-After", "\(wait)")])
                        out += answer(busy)
                        continue
                    }
                    switch routes.route(request, peer: context.peer.host) {
                    case .response(let response):
                        out += answer(response)
                    case .blocking(let job):
                        // Input waits until the completion ran; then `received` is called again.
                        out.append(.run(BlockingWork(on: pool, job, then: { [weak self] r in self?.answer(r) ?? [] })))
                        return out
                    }
                }
            }
            if out.last.map({ if case .close = $0 { true } else { false } }) == true { return out }
        }
        if session.hasPartialRequest(input) {
            if !requestDeadlineSet {
                out.append(.setDeadline(Double(settings.requestTimeout))); requestDeadlineSet = true
            }
        } else if requestDeadlineSet {
            out.append(.setDeadline(nil))
            requestDeadlineSet = false
        }
        return out
    }

    private func answer(_ response: HTTPResponse) -> [ConnectionAction] {
        metrics.httpRequest(status: response.status.code)
        return session.respond(response, date: date()).map { a in
            switch a {
            case .send(let bytes): .send(bytes)
            case .close: .close
            case .handle: .close  // never returned by respond
            }
        }
    }

    func timedOut(_ kind: TimeoutKind, _ context: ConnectionContext) -> [ConnectionAction] {
        switch kind {
        case .idle where !session.isAwaitingResponse:
            return [.close]
        default:
            metrics.httpRequest(status: 408)
            let r = HTTPResponse.text(.requestTimeout, "the request took too long to arrive; send it again")
            return [.send(r.encoded(keepAlive: false, date: date())), .close]
        }
    }

    func serverStopping(final: Bool, _ context: ConnectionContext) -> [ConnectionAction] {
        final || !session.isAwaitingResponse ? [.close] : []
    }

    private func date() -> String { httpDate(epochSeconds: clock.now()) }

    private func statusCode(_ bytes: [UInt8]) -> Int {
        // "HTTP/1.1 400 ..." — the session's own framing-error answers.
        guard bytes.count >= 12 else { return 0 }
        return Int(String(decoding: bytes[9..<12], as: UTF8.self)) ?? 0
    }
}
