import MailCore
import Synchronization
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes Maildir basenames `<secs>.M<usecs>P<pid>Q<seq>.<host>,S=<size>` that are unique across
/// threads (an atomic sequence number) and processes (the pid) on this host. Thread-safe.
public final class UniqueNameGenerator: Sendable {
    public static let shared = UniqueNameGenerator()

    private let sequence = Atomic<Int>(0)
    private let pid: Int32
    public let host: String
    private let clock: any MailClock

    public init(clock: any MailClock = SystemClock(), host: String? = nil) {
        self.clock = clock
        self.pid = getpid()
        self.host = Self.sanitize(host ?? Self.hostName())
    }

    /// A new basename for a message of `size` bytes.
    public func next(size: Int) -> String {
        let seq = sequence.wrappingAdd(1, ordering: .relaxed).newValue
        let now = clock.now()
        let secs = Int(now)
        let usecs = min(999_999, Int((now - Double(secs)) * 1_000_000))
        return "\(secs).M\(usecs)P\(pid)Q\(seq).\(host),S=\(size)"
    }

    static func hostName() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return "localhost" }
        let name = buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return name.isEmpty ? "localhost" : name
    }

    /// The Maildir convention: `/` and `:` in the host name are written as octal escapes.
    static func sanitize(_ host: String) -> String {
        host.replacingOccurrences(of: "/", with: "\\057").replacingOccurrences(of: ":", with: "\\072")
            .replacingOccurrences(of: ",", with: "\\054")
    }
}
