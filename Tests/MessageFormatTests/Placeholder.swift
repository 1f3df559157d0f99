// Tests for MessageFormat arrive with the code of its issue.
