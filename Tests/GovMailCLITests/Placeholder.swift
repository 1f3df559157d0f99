// Tests for GovMailCLI arrive with the code of its issue.
