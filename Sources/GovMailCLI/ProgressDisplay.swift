import Foundation
import MailCore

/// Progress on standard error: a redrawn bar on a terminal, plain lines (every 10 %) otherwise, so
/// logs of scripted runs stay readable.
final class ProgressDisplay: Sendable {
    private struct State { var phase = ""; var lastTenth = -1; var lastDrawn = 0.0 }
    private let isTerminal: Bool
    private let state = Locked(State())

    init(isTerminal: Bool = isatty(2) == 1) { self.isTerminal = isTerminal }

    /// Reports `done` of `total` in `phase`; safe to call from several threads.
    func update(_ phase: String, _ done: Int, _ total: Int) {
        guard total > 0 else { return }
        let line: String? = state.withLock { s in
            let newPhase = s.phase != phase
            if newPhase { s.phase = phase; s.lastTenth = -1 }
            if isTerminal {
                let now = Date().timeIntervalSince1970
                guard newPhase || done == total || now - s.lastDrawn >= 0.1 else { return nil }
                s.lastDrawn = now
                let width = 30, filled = width * done / total
                let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                return "\r\(phase) [\(bar)] \(done)/\(total)" + (done == total ? "\n" : "")
            }
            let tenth = done * 10 / total
            guard tenth > s.lastTenth else { return nil }
            s.lastTenth = tenth
            return "\(phase): \(done)/\(total)\n"
        }
        if let line { FileHandle.standardError.write(Data(line.utf8)) }
    }
}
