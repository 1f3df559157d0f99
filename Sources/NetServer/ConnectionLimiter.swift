/// Connection counts overall and per client address, as a value; the server keeps it under a lock.
public struct ConnectionLimiter: Sendable, Equatable {
    public var maxTotal: Int
    public var maxPerAddress: Int
    public private(set) var total = 0
    private var perAddress: [String: Int] = [:]

    public init(maxTotal: Int, maxPerAddress: Int) { self.maxTotal = maxTotal; self.maxPerAddress = maxPerAddress }

    /// Counts the connection in, or says why it must be refused (then nothing is counted).
    public mutating func admit(_ address: String) -> RefusalReason? {
        if total >= maxTotal { return .tooManyConnections }
        let n = perAddress[address, default: 0]
        if n >= maxPerAddress { return .tooManyFromAddress }
        total += 1
        perAddress[address] = n + 1
        return nil
    }

    /// Counts an admitted connection out.
    public mutating func release(_ address: String) {
        guard let n = perAddress[address] else { return }
        total -= 1
        perAddress[address] = n > 1 ? n - 1 : nil
    }

    public func count(for address: String) -> Int { perAddress[address, default: 0] }
}
