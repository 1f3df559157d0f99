/// What `govmail queue retry` does to the spool. Safe beside a running server: every change is a
/// durable atomic replace of one envelope, and the runner re-reads an item before each attempt
/// and never writes back an item that disappeared.
extension RelayQueue {
    /// Makes one item due now (a running server takes it at its next scan); returns the updated item.
    @discardableResult
    public func retryNow(_ id: String, now: Double) throws -> RelayQueueItem {
        var item = try load(id)
        item.nextAttemptAt = now
        try update(item)
        return item
    }

    /// Makes every item due now; returns the items changed.
    @discardableResult
    public func retryAllNow(now: Double) throws -> [RelayQueueItem] {
        try list().map { try retryNow($0.id, now: now) }
    }
}
