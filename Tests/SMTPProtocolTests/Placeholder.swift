// Tests for SMTPProtocol arrive with the code of its issue.
