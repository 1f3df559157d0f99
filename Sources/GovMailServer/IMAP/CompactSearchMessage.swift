import IMAPProtocol
import MailCore
import MessageFormat

/// A message for SEARCH that keeps its decoded body text instead of its bytes, so searching a
/// folder full of large attachments does not hold every file in memory at once (the session
/// evaluates the keys only after the store has answered for all messages). Built from the bridge's
/// `MessageSearchAdapter`, whose answers it keeps; header keys are answered from the parsed structure.
struct CompactSearchMessage: SearchableMessage {
    let uid: UID
    let internalDate: Int64
    let sentDate: IMAPDate?
    let size: Int
    let bodyText: String
    private let structure: MessageStructure

    /// Messages whose stored size is at most this stay as `MessageSearchAdapter` (bytes kept, bodies
    /// decoded only when a key needs them); larger ones are compacted.
    static let compactAbove = 16 * 1024

    /// The searchable form of one loaded message: the adapter itself when small, compacted otherwise.
    static func make(uid: UID, internalDate: Int64, content: IMAPMessageContent) -> any SearchableMessage {
        let adapter = MessageSearchAdapter(uid: uid, internalDate: internalDate, content: content)
        guard content.metadata.storedSize > compactAbove else { return adapter }
        return CompactSearchMessage(adapter: adapter, structure: content.metadata.structure)
    }

    private init(adapter: MessageSearchAdapter, structure: MessageStructure) {
        uid = adapter.uid
        internalDate = adapter.internalDate
        sentDate = adapter.sentDate
        size = adapter.size
        bodyText = adapter.bodyText
        self.structure = structure
    }

    func headerValues(_ name: String) -> [String] { structure.decodedHeaderValues(name) }

    var headerText: String { structure.decodedHeaderText }
}
