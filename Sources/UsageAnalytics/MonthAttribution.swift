/// Replays account history to decide, for one month, which accounts were staff and in which unit.
///
/// Rules (documented in docs/REPORT-SCHEMA.md):
/// - An account is a *staff account* of the month when, at some instant inside the month, it existed,
///   was enabled and was of kind `staff`.
/// - It counts in the unit it belonged to at the **last** such instant: an account moved on the 10th
///   and disabled on the 20th counts in its new unit; one moved after it was disabled counts where it
///   was when disabled; one enabled through the month end counts where it is at the end of the month.
/// - Only history is read, so a closed month gives the same answer after later moves or deletions.
struct AccountHistory {
    /// Events per account, sorted by time (events at the same instant keep their given order).
    let eventsByAccount: [Int64: [AccountEvent]]

    init(_ events: [AccountEvent]) {
        eventsByAccount = groupedInTimeOrder(events, by: \.accountID, at: \.at)
    }

    /// Unit code of each staff account of the month `[start, end)`; accounts that were not staff are absent.
    func staffUnits(from start: Double, to end: Double) -> [Int64: String] {
        var result: [Int64: String] = [:]
        result.reserveCapacity(eventsByAccount.count)
        for (id, events) in eventsByAccount {
            var enabled = false
            var isStaff = false
            var unit = ""
            var since = -Double.infinity
            var attributed: String?
            func closeSegment(until: Double) {
                if enabled, isStaff, max(since, start) < min(until, end) { attributed = unit }
            }
            for event in events {
                if event.at >= end { break }
                closeSegment(until: event.at)
                switch event.kind {
                case .created, .enabled: enabled = true
                case .disabled, .deleted: enabled = false
                case .moved: break
                }
                isStaff = event.accountKind == .staff
                unit = event.unitCode
                since = event.at
            }
            closeSegment(until: .infinity)
            if let attributed { result[id] = attributed }
        }
        return result
    }

    /// Each account's state after its latest event (today, when the history is complete).
    func currentStatus() -> [Int64: InactiveAccount.CurrentStatus] {
        eventsByAccount.mapValues { events in
            var status = InactiveAccount.CurrentStatus.disabled
            for event in events {
                switch event.kind {
                case .created, .enabled: status = .enabled
                case .disabled: status = .disabled
                case .deleted: status = .deleted
                case .moved: break
                }
            }
            return status
        }
    }
}

/// Items grouped by `key`, each group sorted by time; items at the same instant keep their given
/// order (indices are sorted, as Swift's sort is not guaranteed stable by contract).
func groupedInTimeOrder<Item, Key: Hashable>(
    _ items: [Item], by key: (Item) -> Key, at time: (Item) -> Double
) -> [Key: [Item]] {
    var grouped: [Key: [Item]] = [:]
    for item in items { grouped[key(item), default: []].append(item) }
    for (k, list) in grouped {
        let order = list.indices.sorted { (time(list[$0]), $0) < (time(list[$1]), $1) }
        grouped[k] = order.map { list[$0] }
    }
    return grouped
}
