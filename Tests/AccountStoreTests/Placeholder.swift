// Tests for AccountStore arrive with the code of its issue.
