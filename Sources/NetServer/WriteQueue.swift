/// Output waiting for the socket, as a value: the socket code only drives it (`append`, `didWrite`).
///
/// Backpressure: a connection stops reading while `pendingBytes` is above the limit and resumes once
/// it has drained to half of it (hysteresis, so a busy connection does not flap).
public struct WriteQueue: Sendable, Equatable {
    private var chunks: [[UInt8]] = []
    /// Bytes of `chunks[0]` already written.
    private var headOffset = 0
    /// Bytes queued and not yet written.
    public private(set) var pendingBytes = 0
    /// Small appends are merged into the last chunk up to this size, so a burst of replies is one write.
    public var coalesceLimit = 16_384

    public init() {}

    public var isEmpty: Bool { pendingBytes == 0 }

    /// Queues bytes after everything already queued.
    public mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if let last = chunks.indices.last, chunks[last].count + bytes.count <= coalesceLimit {
            chunks[last].append(contentsOf: bytes)
        } else {
            chunks.append(bytes)
        }
        pendingBytes += bytes.count
    }

    /// Calls `body` with the next contiguous bytes to write (nil when empty).
    public func withNextChunk<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let first = chunks.first else { return nil }
        return try first.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[headOffset...])) }
    }

    /// Records that the socket accepted `n` bytes from the front.
    public mutating func didWrite(_ n: Int) {
        precondition(n <= pendingBytes, "WriteQueue.didWrite past the end")
        var left = n
        pendingBytes -= n
        while left > 0 {
            let available = chunks[0].count - headOffset
            if left >= available {
                left -= available
                chunks.removeFirst()
                headOffset = 0
            } else {
                headOffset += left
                left = 0
            }
        }
        if chunks.isEmpty { chunks = [] }  // drop the array's capacity: idle connections stay small
    }

    /// Above the limit: stop reading from this peer.
    public func isAboveLimit(_ limit: Int) -> Bool { pendingBytes > limit }
    /// Drained enough to read again.
    public func hasDrained(below limit: Int) -> Bool { pendingBytes <= limit / 2 }
}
