#!/usr/bin/env bash
# Runs every test from a fresh clone: installs the pinned npm tools (Azurite, which the storage
# tests start themselves on free loopback ports; Redocly CLI and the TypeScript client's tools, for
# the OpenAPI tests), the pinned .NET tools (Kiota, which generates the C# client at build) and
# Debian's Chromium (the status page's browser
# test drives it with Playwright; Playwright's own browser download is not used), finds a Functions
# host for the end-to-end tests (func, else the offline build of the host beside the repository,
# else installs Core Tools into .tools/func: scripts/functions-host.sh), restores, builds (warnings
# are errors) and tests every project of OtpFunctions.sln (the Functions app included, run under
# that host), then prints one "N passed, N failed" line.
# Exits non-zero when an install, the build or any test fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

# Local .NET tools (.config/dotnet-tools.json): Kiota, which generates the C# client the end-to-end tests run.
dotnet tool restore >/dev/null

echo "Functions host for the end-to-end tests: $(bash scripts/functions-host.sh --ensure)"

results="$root/TestResults"
rm -rf "$results"
status=0
dotnet test OtpFunctions.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
echo "$passed passed, $failed failed"
if [ "$status" -eq 0 ] && [ "$passed" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
