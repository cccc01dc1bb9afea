#!/usr/bin/env bash
# Mutation testing with Stryker.NET (not in CI: minutes to an hour on 2 cores).
# Usage: scripts/mutation.sh [core|http] [extra dotnet-stryker options]
#   core (default): OtpFunctions.Core against tests/OtpFunctions.Core.Tests (about 10 minutes)
#   http:           OtpFunctions.Http against tests/OtpFunctions.Host.Tests, which run on Azurite
# Reports land in the test project's StrykerOutput/<timestamp>/reports/ (HTML and JSON); the
# score per folder is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-core}
[[ $# -gt 0 ]] && shift
case "$target" in
  core) tests=tests/OtpFunctions.Core.Tests; project=OtpFunctions.Core ;;
  http) tests=tests/OtpFunctions.Host.Tests; project=OtpFunctions.Http
        [[ -x node_modules/.bin/azurite ]] || npm ci --no-audit --no-fund >/dev/null ;;
  *) echo "unknown target '$target': use core or http" >&2; exit 2 ;;
esac
dotnet tool restore >/dev/null
cd "$tests"
# Stryker kills a test run that hangs past its timeout, and the Azurite that run started outlives it:
# reap such orphans (parent gone, so adopted by init) when Stryker is done, whatever its outcome.
reap_orphaned_azurite() {
  ps -eo pid=,ppid=,args= | awk '$2 == 1 && /azurite\.js/ && /otp-azurite-/ { print $1 }' | xargs -r kill 2>/dev/null || true
}
trap reap_orphaned_azurite EXIT
dotnet tool run dotnet-stryker --config-file stryker-config.json "$@"
latest=$(ls -td StrykerOutput/*/ | head -1)
python3 ../../scripts/mutation-summary.py "$latest/reports/mutation-report.json" "$project"
