// Tests for TLSEngine arrive with the code of its issue.
