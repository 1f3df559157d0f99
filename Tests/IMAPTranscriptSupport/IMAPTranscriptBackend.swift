import IMAPProtocol
import MailCore

/// A mail store that IMAP transcripts run against: the in-test fake (IMAPProtocolTests) or the real
/// Maildir-backed store (GovMailServerTests), so that the same dialog checks both.
public protocol IMAPTranscriptBackend: AnyObject {
    /// `user: NAME PASSWORD`
    func addUser(_ name: String, password: String)
    /// `folder: NAME [special=…] [unsubscribed]`
    func addFolder(_ name: String, specialUse: SpecialUse?, subscribed: Bool)
    /// `message: FOLDER [FLAGS] :: RAW`: a message already there, seen by an earlier session (not \Recent).
    func addMessage(_ raw: String, to folder: String, flags: Set<Flag>)
    /// `deliver: FOLDER :: RAW`: another party delivers (SMTP).
    func deliver(_ raw: String, to folder: String)
    /// `other-append: FOLDER [FLAGS] :: RAW`: another session appends (or copies) a message.
    func otherAppend(_ raw: String, to folder: String, flags: Set<Flag>)
    /// `other-flags: FOLDER UID [FLAGS]`: another session replaces the flags.
    func otherFlags(folder: String, uid: UID, flags: Set<Flag>)
    /// `other-expunge: FOLDER UID`: another session expunges the message.
    func otherExpunge(folder: String, uid: UID)
    /// Answers one session request: the events to hand to the session in order (what others
    /// changed meanwhile, then the answer), as the server's driver would.
    func answer(_ request: IMAPRequest) -> [IMAPEvent]
    /// What others changed in the selected folder since the session last looked (nil: nothing selected).
    func changesByOthers() -> MailboxChange?
}
