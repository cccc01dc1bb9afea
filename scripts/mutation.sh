#!/usr/bin/env bash
# Mutation testing of Core with Stryker.NET (not in CI: about 25 minutes on 2 cores).
# Usage: scripts/mutation.sh [extra dotnet-stryker options]
# The HTML and JSON reports land in tests/OtpFunctions.Core.Tests/StrykerOutput/<timestamp>/reports/.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
cd tests/OtpFunctions.Core.Tests
dotnet tool run dotnet-stryker --config-file stryker-config.json "$@"
latest=$(ls -td StrykerOutput/*/ | head -1)
python3 ../../scripts/mutation-summary.py "$latest/reports/mutation-report.json"
