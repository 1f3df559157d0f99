// Tests for NetServer arrive with the code of its issue.
