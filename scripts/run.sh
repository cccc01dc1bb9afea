#!/usr/bin/env bash
# Runs the service locally from a fresh clone: installs the pinned Azurite (npm ci), starts it
# on its default ports with data in .azurite/ unless something already listens there, then runs
# the self-host (Development: demo keys, pickup directory .pickup/) on http://127.0.0.1:7071.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund
fi

azurite_pid=""
if listening 10001 && listening 10002; then
  echo "Azurite (or another storage emulator) already listens on 10001/10002; using it."
else
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --location .azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > .azurite/azurite.log 2>&1 &
  azurite_pid=$!
  trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    listening 10001 && listening 10002 && break
    sleep 0.2
  done
  listening 10002 || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
fi

ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
  dotnet run --project src/OtpFunctions.Host --no-launch-profile -- --urls "${OTP_URLS:-http://127.0.0.1:7071}" \
  --Otp:PickupDirectory "$root/.pickup" "$@"
