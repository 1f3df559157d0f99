/// Which messages of a folder are still `\Recent` (RFC 3501 §2.3.2): every UID at or above the
/// folder's first recent UID, plus files still in new/. This is Dovecot's own rule (its index
/// header keeps `first_recent_uid`); GovMail keeps the number in a one-line file beside
/// `dovecot-uidlist`, which Dovecot ignores, so the folder stays readable by Dovecot and new/ still
/// means what Maildir says.
///
/// Invariants: the file is read and written only under the folder lock, so between processes
/// exactly one read-write session claims each message; the number never decreases; a folder
/// without the file (new, or written by Dovecot or an older GovMail) gets one at its first
/// synchronization holding its next UID: what is listed then is old, only new/ files are recent.
struct RecentWatermark {
    static let fileName = "govmail-recent"

    let path: String
    init(folderPath: String) { path = folderPath + "/" + Self.fileName }

    /// The first UID still recent, creating the file with `nextUID` when it is missing or unreadable.
    func load(creatingWith nextUID: UInt32, writer: DurableWriter) throws -> UInt32 {
        if let bytes = FileReader.readAll(path),
            let n = UInt32(String(decoding: bytes, as: UTF8.self).prefix { $0 != "\n" })
        {
            return n
        }
        try store(nextUID, writer: writer)
        return nextUID
    }

    /// Marks every UID below `nextUID` as claimed.
    func store(_ nextUID: UInt32, writer: DurableWriter) throws {
        try writer.replace(path, with: Array("\(nextUID)\n".utf8), temporaryPath: path + ".tmp")
    }
}
