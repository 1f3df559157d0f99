// Tests for UsageAnalytics arrive with the code of its issue.
