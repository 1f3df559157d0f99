import IMAPProtocol

/// Parsed message metadata kept per connection, keyed by the message's Maildir basename (stable
/// while flags change and across folders' UIDs), so listing a folder twice does not reread and
/// reparse every file. Bounded: when full, the oldest half is dropped (entries are independent,
/// so losing any of them only costs a reparse).
///
/// Not thread-safe: used only by the connection's one outstanding store request at a time.
struct MessageMetadataCache {
    let capacity: Int
    private var entries: [String: IMAPMessageMetadata] = [:]
    /// Insertion order, for eviction (may hold keys already dropped).
    private var order: [String] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    subscript(basename: String) -> IMAPMessageMetadata? { entries[basename] }

    mutating func insert(_ metadata: IMAPMessageMetadata, for basename: String) {
        if entries.updateValue(metadata, forKey: basename) == nil { order.append(basename) }
        if entries.count > capacity { evictOldestHalf() }
    }

    private mutating func evictOldestHalf() {
        let live = order.filter { entries[$0] != nil }
        let drop = live.count / 2
        for key in live.prefix(drop) { entries[key] = nil }
        order = Array(live.dropFirst(drop))
    }
}
