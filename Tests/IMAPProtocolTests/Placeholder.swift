// Tests for IMAPProtocol arrive with the code of its issue.
