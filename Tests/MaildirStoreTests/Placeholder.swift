// Tests for MaildirStore arrive with the code of its issue.
