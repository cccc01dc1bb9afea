#!/usr/bin/env bash
# Mutation testing with Stryker.NET (not in CI: minutes to an hour on 2 cores).
# Usage: [OTP_MUTATION_TESTS=<name part>] scripts/mutation.sh [core|http] [extra dotnet-stryker options]
#   core (default): OtpFunctions.Core against tests/OtpFunctions.Core.Tests (about 30 minutes)
#   http:           OtpFunctions.Http against tests/OtpFunctions.Host.Tests, which run on Azurite
#                   (the whole of it takes more than ten hours: run it a folder at a time, e.g.
#                   OTP_MUTATION_TESTS=Twilio scripts/mutation.sh http --mutate "**/Compat/Twilio/*.cs",
#                   which runs only the tests whose names hold "Twilio": a lower bound, ~35 minutes)
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
config=stryker-config.json
if [[ -n "${OTP_MUTATION_TESTS:-}" ]]; then
  # Stryker reads a test filter from its configuration file only.
  config=$(mktemp --suffix=.json -p .)
  trap 'rm -f "$config"; reap_orphaned_azurite' EXIT
  python3 -c 'import json,sys; c=json.load(open("stryker-config.json")); c["stryker-config"]["test-case-filter"]="FullyQualifiedName~"+sys.argv[1]; json.dump(c,open(sys.argv[2],"w"))' "$OTP_MUTATION_TESTS" "$config"
fi
dotnet tool run dotnet-stryker --config-file "$config" "$@"
latest=$(ls -td StrykerOutput/*/ | head -1)
python3 ../../scripts/mutation-summary.py "$latest/reports/mutation-report.json" "$project"
