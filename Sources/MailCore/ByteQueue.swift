/// A FIFO of bytes with cheap consumption from the front, used by every incremental parser.
///
/// Parsers peek, and consume only when a whole unit (line, literal) is present, so a failed or
/// incomplete parse leaves the queue as it was.
public struct ByteQueue: Sendable, Equatable {
    private var storage: [UInt8] = []
    private var head = 0

    public init() {}
    public init<S: Sequence>(_ bytes: S) where S.Element == UInt8 { storage = Array(bytes) }

    public var count: Int { storage.count - head }
    public var isEmpty: Bool { count == 0 }
    /// The readable bytes, without copying.
    public var readable: ArraySlice<UInt8> { storage[head...] }

    public mutating func append<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        compactIfWorthIt()
        storage.append(contentsOf: bytes)
    }

    public subscript(offset: Int) -> UInt8 { storage[head + offset] }

    /// Removes and returns the first `n` bytes.
    @discardableResult
    public mutating func consume(_ n: Int) -> [UInt8] {
        precondition(n <= count, "ByteQueue.consume past the end")
        let out = Array(storage[head..<(head + n)])
        head += n
        if head == storage.count { storage.removeAll(keepingCapacity: true); head = 0 }
        return out
    }

    /// Drops the first `n` bytes without copying them out.
    public mutating func discard(_ n: Int) {
        precondition(n <= count, "ByteQueue.discard past the end")
        head += n
        if head == storage.count { storage.removeAll(keepingCapacity: true); head = 0 }
    }

    public mutating func removeAll() { storage.removeAll(keepingCapacity: true); head = 0 }

    /// Offset of the first byte equal to `byte` at or after `from`, or nil.
    public func firstIndex(of byte: UInt8, from: Int = 0) -> Int? {
        var i = head + from
        while i < storage.count { if storage[i] == byte { return i - head }; i += 1 }
        return nil
    }

    private mutating func compactIfWorthIt() {
        if head > 4096 && head * 2 > storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    public static func == (a: ByteQueue, b: ByteQueue) -> Bool { a.readable.elementsEqual(b.readable) }
}
