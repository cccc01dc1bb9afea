#!/usr/bin/env python3
"""Prints the mutation score of a Stryker JSON report per top-level folder of the mutated project.

Usage: mutation-summary.py REPORT.json [PROJECT]   (PROJECT defaults to OtpFunctions.Core)"""
import json, os, sys
from collections import defaultdict

report = json.load(open(sys.argv[1]))
project = sys.argv[2] if len(sys.argv) > 2 else "OtpFunctions.Core"
detected_states = {"Killed", "Timeout"}
counted_states = detected_states | {"Survived", "NoCoverage"}
folders = defaultdict(lambda: [0, 0])
for path, file in report["files"].items():
    parts = path.replace("\\", "/").split("/")
    folder = parts[parts.index(project) + 1] if project in parts else parts[-2]
    if folder.endswith(".cs"):
        folder = "(root)"
    for mutant in file["mutants"]:
        if mutant["status"] in counted_states:
            folders[folder][1] += 1
            folders[folder][0] += mutant["status"] in detected_states
total = [sum(v[0] for v in folders.values()), sum(v[1] for v in folders.values())]
print(f"{'folder':<14}{'score':>8}{'detected':>10}{'counted':>9}")
for folder, (detected, counted) in sorted(folders.items()) + [("TOTAL", total)]:
    print(f"{folder:<14}{100 * detected / max(counted, 1):>7.1f}%{detected:>10}{counted:>9}")
