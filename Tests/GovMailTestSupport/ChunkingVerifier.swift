/// Feeds an input to an incremental consumer whole, one byte at a time, and in a few odd splits,
/// and returns each way's result so a test can assert they are all equal.
public enum ChunkingVerifier {
    public static func splits(of input: [UInt8]) -> [[[UInt8]]] {
        var ways: [[[UInt8]]] = [[input]]
        ways.append(input.map { [$0] })
        for size in [2, 3, 7] where size < input.count {
            var chunks: [[UInt8]] = []
            var i = 0
            while i < input.count { chunks.append(Array(input[i..<min(i + size, input.count)])); i += size }
            ways.append(chunks)
        }
        return ways
    }

    /// Runs `feed` over every split; `feed` receives the chunks in order and returns a comparable outcome.
    public static func outcomes<R>(of input: [UInt8], _ feed: ([[UInt8]]) throws -> R) rethrows -> [R] {
        try splits(of: input).map(feed)
    }
}
