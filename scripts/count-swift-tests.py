#!/usr/bin/env python3
"""Counts passed and failed tests in a `swift test` log (XCTest and Swift Testing); prints "P F".

A log with no summary line at all (a crash mid-run) counts as one failure, so a crashed run
never reads as green.
"""
import re
import sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
xc = re.findall(r"Test Suite 'All tests' (?:passed|failed).*?\n\s*Executed (\d+) tests?, with (\d+) failures?", text)
passed = failed = 0
summaries = 0
if xc:
    total, fails = map(int, xc[-1])
    # XCTest counts failed assertions, not failed tests; count failed test cases instead.
    failed_cases = len(set(re.findall(r"Test Case '([^']+)' failed", text)))
    passed += total - failed_cases
    failed += failed_cases
    summaries += 1
st = re.findall(r"Test run with (\d+) tests? in \d+ suites? (passed|failed)(?: after [\d.]+ seconds)?(?: with (\d+) issues?)?", text)
if st:
    total, outcome, issues = st[-1]
    total = int(total)
    failed_st = len(set(re.findall(r"✘ Test (\w[^\n]*?) (?:failed|recorded an issue)", text)))
    if outcome == "failed" and failed_st == 0:
        failed_st = 1
    passed += total - failed_st
    failed += failed_st
    summaries += 1
if summaries == 0 or ("Test Suite 'All tests'" not in text):
    failed += 1
print(passed, failed)
