// Tests for Provisioning arrive with the code of its issue.
