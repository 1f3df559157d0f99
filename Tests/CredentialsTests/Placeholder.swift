// Tests for Credentials arrive with the code of its issue.
