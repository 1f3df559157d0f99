import MailCore

extension MaildirFolder {
    /// The `:2,` letters for `flags` of a message about to be delivered into this folder by
    /// `MaildirDelivery` (Sieve imap4flags): a new keyword first gets its letter in
    /// `dovecot-keywords`, under the folder lock, so the file's name means the same to every reader.
    /// A letter reserved for a delivery that then fails is harmless (an unused keyword).
    public func reserveLetters(for flags: Set<Flag>) throws -> String {
        try FolderLock.withLock(folder: path) {
            var table = KeywordTable(
                parsing: String(decoding: FileReader.readAll(keywordsPath) ?? [], as: UTF8.self))
            let before = table
            let letters = try MaildirFlags.letters(for: flags, keywords: &table)
            if table != before {
                try writer.replace(
                    keywordsPath, with: Array(table.serialized.utf8), temporaryPath: keywordsPath + ".tmp")
            }
            return letters
        }
    }
}
