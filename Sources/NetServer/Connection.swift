import Dispatch
import Foundation
import Logging
import MailCore
import TLSEngine
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One accepted socket: read/write sources, optional TLS, the write queue and the driver.
///
/// Invariants: every stored property is touched only on `queue` (entry points check it); the fd is
/// closed only after both sources' cancel handlers ran; the driver is never called after
/// `connectionClosed`; plaintext buffered when TLS starts is discarded, never delivered.
final class Connection: @unchecked Sendable {
    enum Phase { case starting, handshaking, open, closing, closed }

    let id: UInt64
    let queue: DispatchQueue
    private let fd: Int32
    private let settings: ConnectionSettings
    private let clock: any MailClock
    private let onClosed: @Sendable (Connection) -> Void
    private let onAuthenticated: (Connection) -> Void
    private let tlsContext: @Sendable () -> TLSContext?
    private var driver: any ProtocolDriver
    private var context: ConnectionContext
    let countedAddress: String?
    /// Counted against the per-address pre-authentication cap (until `.authenticated`); read on `queue`.
    private(set) var countsAsPreAuth: Bool

    private var phase = Phase.starting
    private var readSource: (any DispatchSourceRead)?
    private var writeSource: (any DispatchSourceWrite)?
    private var readSuspended = false
    private var writeActive = false
    private var cancelledSources = 0

    private var tls: TLSSession?
    /// Implicit TLS calls `connectionStarted` after the handshake; STARTTLS calls `tlsEstablished`.
    private var handshakeIsImplicit = false
    private var input = ByteQueue()
    private var output = WriteQueue()
    private var driverPaused = false
    private var workInFlight = 0
    private var backpressured = false
    private var peerEnded = false
    private var timeouts: ConnectionTimeouts
    private var scheduledCheck: Double?
    private var closeReason: CloseReason?
    private let startedAt: Double
    private var bytesIn = 0
    private var bytesOut = 0

    init(
        id: UInt64, fd: Int32, peer: SocketAddress, local: SocketAddress, listener: ListenerSpec,
        settings: ConnectionSettings, clock: any MailClock, logger: Logger, countedAddress: String?,
        tlsContext: @escaping @Sendable () -> TLSContext?,
        makeDriver: (ConnectionContext) -> any ProtocolDriver,
        onAuthenticated: @escaping @Sendable (Connection) -> Void,
        onClosed: @escaping @Sendable (Connection) -> Void
    ) {
        self.id = id
        self.fd = fd
        self.settings = settings
        self.clock = clock
        self.onClosed = onClosed
        self.onAuthenticated = onAuthenticated
        countsAsPreAuth = listener.requiresAuthentication && countedAddress != nil
        self.tlsContext = tlsContext
        self.countedAddress = countedAddress
        queue = DispatchQueue(label: "govmail.conn")
        var log = logger
        log[metadataKey: "conn"] = "\(id)"
        log[metadataKey: "peer"] = "\(peer)"
        log[metadataKey: "listener"] = "\(listener.name)"
        let now = clock.now()
        startedAt = now
        let box = ConnectionBox()
        context = ConnectionContext(
            id: id, listenerName: listener.name, peer: peer, local: local,
            tlsMode: listener.tlsMode, tls: nil, now: now, logger: log,
            handle: ConnectionHandle(box: box))
        timeouts = ConnectionTimeouts(
            now: now, idleLimit: settings.defaultIdleTimeout, slowInputLimit: settings.slowInputTimeout)
        if countsAsPreAuth { timeouts.startPreAuthentication(now: now, limit: settings.preAuthTimeout) }
        driver = makeDriver(context)
        box.set(self)
    }

    /// `ConnectionHandle.notify`: calls the driver on the connection's queue while the session is open.
    func notify(_ name: String) {
        queue.async { [weak self] in
            guard let self, self.phase == .open else { return }
            self.perform(self.driver.notified(name, self.refreshedContext()))
            self.deliverInput()
            self.afterEvent()
        }
    }

    var logger: Logger { context.logger }

    /// Installs the sources and starts the session (or the TLS handshake). Call once.
    func start() {
        queue.async { self.startOnQueue() }
    }

    private func startOnQueue() {
        dispatchPrecondition(condition: .onQueue(queue))
        let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        read.setEventHandler { [unowned self] in self.readable() }
        write.setEventHandler { [unowned self] in self.flush() }
        // Both sources share one registration: close the fd only after both are cancelled.
        read.setCancelHandler { [self] in self.sourceCancelled() }
        write.setCancelHandler { [self] in self.sourceCancelled() }
        readSource = read
        writeSource = write
        read.resume()
        context.logger.debug("connection opened")
        if context.tlsMode == .implicit {
            beginTLS(implicit: true)
        } else {
            phase = .open
            perform(driver.connectionStarted(refreshedContext()))
        }
        afterEvent()
    }

    // MARK: - input

    private func readable() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard phase == .handshaking || phase == .open else { return }
        var buffer = [UInt8](repeating: 0, count: settings.readChunk)
        let result: IOResult
        do {
            result = try buffer.withUnsafeMutableBytes { b throws(SystemCallError) in
                try systemCall("read") { Glibc.read(fd, b.baseAddress, b.count) }
            }
        } catch {
            context.logger.debug("read failed", metadata: ["error": "\(error)"])
            abort(.readFailed)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .done(0):
            peerEnded = true
            if let tls, phase == .handshaking || !tls.hasFailed {
                let out = tls.receiveEOF()
                output.append(out.ciphertext)
                input.append(out.plaintext)
            }
            if phase == .handshaking { abort(.peerClosed); return }
            deliverInput()
            // A half-closed client still gets the answer to work in flight (e.g. the reply to its last command).
            if workInFlight == 0 { beginClose(.peerClosed) }
        case .done(let n):
            bytesIn += n
            timeouts.inputArrived(now: clock.now())
            if let tls {
                let out = tls.receive(buffer[0..<n])
                output.append(out.ciphertext)
                input.append(out.plaintext)
                if let failure = out.failure {
                    context.logger.info("TLS failed", metadata: ["error": "\(failure.message)"])
                    beginClose(.tlsFailed)
                    afterEvent()
                    return
                }
                if out.handshakeCompleted { tlsEstablished() }
                if out.peerClosed { peerEnded = true }
            } else {
                input.append(buffer[0..<n])
            }
            deliverInput()
            if peerEnded && workInFlight == 0 { beginClose(.peerClosed) }
        }
        afterEvent()
    }

    private var canDeliver: Bool { phase == .open && !driverPaused && workInFlight == 0 && !backpressured }

    /// Hands buffered plaintext to the driver while it keeps consuming.
    private func deliverInput() {
        while canDeliver && !input.isEmpty {
            let before = input.count
            let actions = driver.received(&input, refreshedContext())
            perform(actions)
            if input.count == before { break }  // waiting for more bytes
        }
        if input.isEmpty { input = ByteQueue() }  // give back a large buffer's capacity: idle connections stay small
        timeouts.partialInput(!input.isEmpty && phase == .open, now: clock.now())
    }

    // MARK: - TLS

    private func beginTLS(implicit: Bool) {
        guard let ctx = tlsContext() else {
            context.logger.error("TLS requested but no certificate is loaded")
            abort(.tlsFailed)
            return
        }
        do {
            tls = try TLSSession(context: ctx)
        } catch {
            context.logger.error("cannot create a TLS session", metadata: ["error": "\(error)"])
            abort(.tlsFailed)
            return
        }
        handshakeIsImplicit = implicit
        phase = .handshaking
        timeouts.startHandshake(now: clock.now(), limit: settings.handshakeTimeout)
    }

    private func tlsEstablished() {
        guard let tls else { return }
        timeouts.handshakeFinished()
        let info = TLSInfo(version: tls.protocolVersion ?? "?", cipher: tls.cipherName ?? "?", resumed: tls.isResumed)
        context.tls = info
        context.logger.debug(
            "TLS established",
            metadata: ["tls": "\(info.version)", "cipher": "\(info.cipher)", "resumed": "\(info.resumed)"])
        phase = .open
        if handshakeIsImplicit {
            perform(driver.connectionStarted(refreshedContext()))
        } else {
            perform(driver.tlsEstablished(refreshedContext()))
        }
    }

    // MARK: - actions

    private func perform(_ actions: [ConnectionAction]) {
        for action in actions {
            guard phase == .open || phase == .handshaking else { return }
            switch action {
            case .send(let bytes):
                enqueue(bytes)
            case .startTLS:
                guard tls == nil, context.tlsMode != .none else {
                    context.logger.warning("driver asked for STARTTLS where it is not possible; closing")
                    beginClose(.driverClosed)
                    return
                }
                // RFC 3207 §4.2: anything the client sent after the command is discarded, never interpreted.
                if !input.isEmpty {
                    context.logger.notice(
                        "discarded plaintext sent after STARTTLS", metadata: ["bytes": "\(input.count)"])
                    input.removeAll()
                }
                input = ByteQueue()
                beginTLS(implicit: false)
                return
            case .close:
                beginClose(.driverClosed)
                return
            case .pauseReading:
                driverPaused = true
            case .resumeReading:
                driverPaused = false
            case .run(let work):
                workInFlight += 1
                let job = work.job
                work.pool.submit { [self] in
                    let thunk = job()
                    queue.async { self.workFinished(thunk) }
                }
            case .setIdleTimeout(let seconds):
                timeouts.setIdleLimit(seconds, now: clock.now())
            case .setDeadline(let seconds):
                timeouts.setDeadline(seconds, now: clock.now())
            case .setTimer(let name, let seconds):
                timeouts.setTimer(name, seconds: seconds, now: clock.now())
            case .cancelTimer(let name):
                timeouts.cancelTimer(name)
            case .authenticated:
                timeouts.authenticated()
                if countsAsPreAuth {
                    countsAsPreAuth = false
                    onAuthenticated(self)
                }
            }
        }
    }

    private func workFinished(_ thunk: CompletionThunk) {
        dispatchPrecondition(condition: .onQueue(queue))
        workInFlight -= 1
        guard phase == .open || phase == .handshaking || phase == .closing else { return }
        if phase != .closing { perform(thunk.run()) }
        deliverInput()
        if peerEnded && workInFlight == 0 { beginClose(.peerClosed) }
        afterEvent()
    }

    private func enqueue(_ plaintext: [UInt8]) {
        guard !plaintext.isEmpty else { return }
        if let tls {
            do { output.append(try tls.send(plaintext)) } catch {
                context.logger.info("TLS write failed", metadata: ["error": "\(error.message)"])
                abort(.tlsFailed)
            }
        } else {
            output.append(plaintext)
        }
    }

    // MARK: - output

    private func flush() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard phase != .closed else { return }
        while !output.isEmpty {
            let result: IOResult
            do {
                result =
                    try output.withNextChunk { chunk throws(SystemCallError) in
                        try systemCall("write") { Glibc.write(fd, chunk.baseAddress, chunk.count) }
                    } ?? .done(0)
            } catch {
                context.logger.debug("write failed", metadata: ["error": "\(error)"])
                abort(.writeFailed)
                return
            }
            switch result {
            case .done(let n):
                output.didWrite(n)
                bytesOut += n
            case .wouldBlock:
                setWriteActive(true)
                if backpressured && output.hasDrained(below: settings.writeBufferLimit) {
                    backpressured = false  // below half the limit: take input again (hysteresis)
                    deliverInput()
                }
                updateReading()
                return
            }
        }
        setWriteActive(false)
        if phase == .closing { finish(); return }
        if backpressured && output.hasDrained(below: settings.writeBufferLimit) {
            backpressured = false
            deliverInput()
            if !output.isEmpty { flush(); return }
        }
        updateReading()
    }

    private func setWriteActive(_ active: Bool) {
        guard let writeSource, active != writeActive else { return }
        writeActive = active
        if active { writeSource.resume() } else { writeSource.suspend() }
    }

    /// Reads the socket only while someone will consume what is read.
    private func updateReading() {
        if output.isAboveLimit(settings.writeBufferLimit) { backpressured = true }
        let wanted: Bool
        switch phase {
        case .handshaking: wanted = !backpressured
        case .open: wanted = canDeliver && !peerEnded
        default: wanted = false
        }
        guard let readSource else { return }
        if wanted && readSuspended { readSuspended = false; readSource.resume() }
        if !wanted && !readSuspended { readSuspended = true; readSource.suspend() }
    }

    /// After every event: write what is queued, adjust reading, and arm the next time check.
    private func afterEvent() {
        guard phase != .closed else { return }
        flush()
        guard phase != .closed else { return }
        scheduleTimeoutCheck()
    }

    // MARK: - timeouts

    private func scheduleTimeoutCheck() {
        guard let next = timeouts.nextCheck else { return }
        if let scheduledCheck, scheduledCheck <= next { return }
        scheduledCheck = next
        let delay = max(0, next - clock.now())
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay * 1000) + 5)) { [weak self] in
            self?.timeoutCheck(scheduledFor: next)
        }
    }

    private func timeoutCheck(scheduledFor: Double) {
        dispatchPrecondition(condition: .onQueue(queue))
        if scheduledCheck == scheduledFor { scheduledCheck = nil }
        guard phase != .closed else { return }
        for expiry in timeouts.expired(now: clock.now()) {
            guard phase != .closed else { return }
            switch expiry {
            case .closing: abort(.closeTimeout)
            case .handshake: abort(.handshakeTimeout)
            case .idle: timedOut(.idle, reason: .idleTimeout)
            case .slowInput: timedOut(.slowInput, reason: .slowInput)
            case .deadline: timedOut(.deadline, reason: .deadline)
            case .preAuthentication: timedOut(.preAuthentication, reason: .preAuthTimeout)
            case .timer(let name): if phase == .open { perform(driver.timerFired(name, refreshedContext())) }
            }
        }
        afterEvent()
    }

    private func timedOut(_ kind: TimeoutKind, reason: CloseReason) {
        guard phase == .open else { if phase == .handshaking { abort(reason) }; return }
        if closeReason == nil { closeReason = reason }
        perform(driver.timedOut(kind, refreshedContext()))
    }

    // MARK: - shutdown

    /// The server is stopping: `final` false asks politely, true closes after the driver's goodbye.
    func serverStopping(final: Bool) {
        queue.async { [self] in
            switch phase {
            case .open:
                if final && closeReason == nil { closeReason = .serverShutdown }
                perform(driver.serverStopping(final: final, refreshedContext()))
                if final { beginClose(.serverShutdown) }
            case .starting, .handshaking:
                if final { abort(.serverShutdown) }
            case .closing, .closed:
                break
            }
            afterEvent()
        }
    }

    // MARK: - closing

    private func beginClose(_ reason: CloseReason) {
        guard phase != .closing && phase != .closed else { return }
        if closeReason == nil { closeReason = reason }
        phase = .closing
        if let tls, tls.isHandshakeComplete, !tls.hasFailed, !peerEnded { output.append(tls.close()) }
        timeouts.startClosing(now: clock.now(), limit: settings.closeFlushTimeout)
        updateReading()
    }

    /// Closes without flushing (errors, timeouts during the handshake, hard shutdown).
    private func abort(_ reason: CloseReason) {
        guard phase != .closed else { return }
        if closeReason == nil || reason == .closeTimeout { closeReason = reason }
        finish()
    }

    private func finish() {
        guard phase != .closed else { return }
        phase = .closed
        if let readSource {
            if readSuspended { readSource.resume() }  // releasing a suspended source crashes
            readSource.cancel()
        }
        if let writeSource {
            if !writeActive { writeSource.resume() }
            writeSource.cancel()
        }
        if readSource == nil && writeSource == nil { Glibc.close(fd) }
        let ctx = refreshedContext()
        let reason = closeReason ?? .driverClosed
        driver.connectionClosed(reason, ctx)
        var meta: Logger.Metadata = [
            "reason": "\(reason.rawValue)",
            "duration": "\(String(format: "%.3f", ctx.now - startedAt))s",
            "bytes_in": "\(bytesIn)", "bytes_out": "\(bytesOut)",
        ]
        if let info = ctx.tls { meta["tls"] = "\(info.version)"; meta["cipher"] = "\(info.cipher)" }
        context.logger.info("connection closed", metadata: meta)
        tls = nil
        input = ByteQueue()
        output = WriteQueue()
        onClosed(self)
    }

    private func sourceCancelled() {
        cancelledSources += 1
        if cancelledSources == 2 {
            Glibc.close(fd)
            readSource = nil
            writeSource = nil
        }
    }

    private func refreshedContext() -> ConnectionContext {
        context.now = clock.now()
        return context
    }
}
