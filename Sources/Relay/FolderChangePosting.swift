/// Who is told when a bounce lands in a folder, so IMAP sessions in IDLE see it at once
/// (the server's `MailboxNotifier`; the relay module knows no IMAP).
public protocol FolderChangePosting: Sendable {
    func post(folderPath: String)
}
