import MailCore

/// Escapes text for HTML/XML content and attribute values (`&`, `<`, `>`, `"`, `'`), and drops
/// control characters XML does not allow, so the page stays well-formed whatever a name contains.
func htmlEscape(_ text: String) -> String { markupEscaped(text) }
