import MailCore

/// One HTTP/1.1 connection's request/response rhythm, with no sockets (RFC 9112 §9).
///
/// Invariants: requests are handed out one at a time and answered in order (pipelined input waits
/// in the queue until the previous response is given); after a framing error, a non-persistent
/// request or `closeAfterResponse`, the answer is followed by `.close` and nothing more is read;
/// a client that asked `Expect: 100-continue` gets "100 Continue" once its headers are accepted.
public struct HTTPServerSession: Sendable {
    public enum Action: Sendable, Equatable {
        /// A complete request for the application; answer it with `respond`.
        case handle(HTTPRequest)
        case send([UInt8])
        case close
    }

    private var parser: HTTPRequestParser
    private var pending: HTTPRequest?
    private var closed = false
    private var continueSent = false

    public init(limits: HTTPLimits = HTTPLimits()) { parser = HTTPRequestParser(limits: limits) }

    /// True while a request is being answered.
    public var isAwaitingResponse: Bool { pending != nil }

    /// True while part of a request is buffered and no answer is pending (the header timeout runs).
    public func hasPartialRequest(_ input: ByteQueue) -> Bool {
        pending == nil && !closed && parser.hasPartialRequest(input)
    }

    /// Frames the next request from `input`; a framing error is answered here and closes.
    public mutating func receive(_ input: inout ByteQueue, date: String? = nil) -> [Action] {
        guard pending == nil, !closed else { return [] }
        do {
            guard let request = try parser.next(&input) else {
                if parser.expectsContinue && !continueSent {
                    continueSent = true
                    return [.send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))]
                }
                return []
            }
            pending = request
            continueSent = false
            return [.handle(request)]
        } catch {
            closed = true
            input.removeAll()
            let response = HTTPResponse.text(error.status, error.message)
            return [.send(response.encoded(keepAlive: false, date: date)), .close]
        }
    }

    /// Answers the pending request; keeps the connection when both sides want it.
    public mutating func respond(_ response: HTTPResponse, closeAfterResponse: Bool = false, date: String? = nil)
        -> [Action]
    {
        guard let request = pending else { return [] }
        pending = nil
        let keepAlive = request.keepAlive && !closeAfterResponse
        let bytes = response.encoded(keepAlive: keepAlive, headOnly: request.method == "HEAD", date: date)
        if keepAlive { return [.send(bytes)] }
        closed = true
        return [.send(bytes), .close]
    }
}
