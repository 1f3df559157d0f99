import MailCore
import Synchronization

/// Chooses UIDVALIDITY values: the current time, but always above any value seen before in this
/// folder and any value issued before by this process, so a rebuilt list never reuses one.
enum UIDValidity {
    private static let lastIssued = Atomic<UInt32>(0)

    static func next(after previous: UInt32?, clock: any MailClock) -> UInt32 {
        let now = UInt32(clamping: Int(clock.now()))
        while true {
            let last = lastIssued.load(ordering: .relaxed)
            let candidate = max(now, (previous ?? 0) &+ 1, last &+ 1)
            if lastIssued.compareExchange(expected: last, desired: candidate, ordering: .relaxed).exchanged {
                return candidate
            }
        }
    }

    /// The V field of a damaged file's header, if it can still be read.
    static func salvage(_ bytes: [UInt8]) -> UInt32? {
        let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") }
        for field in String(decoding: firstLine, as: UTF8.self).split(separator: " ") where field.first == "V" {
            return UInt32(field.dropFirst())
        }
        return nil
    }
}
