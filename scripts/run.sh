#!/usr/bin/env bash
# Runs the service locally from a fresh clone: installs the pinned Azurite (npm ci), starts it
# on its ports (10000-10002, or AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT) with
# data in .azurite/ unless something already listens there, then runs the self-host
# (Development: demo keys, pickup directory .pickup/) on http://127.0.0.1:7071 (or OTP_URLS).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

source "$root/scripts/azurite.sh"

environment="${ASPNETCORE_ENVIRONMENT:-Development}"
urls="${OTP_URLS:-http://127.0.0.1:7071}"
url="${urls%%;*}"
ASPNETCORE_ENVIRONMENT="$environment" \
  dotnet run --project src/OtpFunctions.Host --no-launch-profile -- --urls "$urls" \
  --Otp:PickupDirectory "$root/.pickup" "$@" &
host_pid=$!
# Stop the host first, then the Azurite this script started (azurite.sh's own trap, replaced here).
trap 'kill "$host_pid" 2>/dev/null || true; wait "$host_pid" 2>/dev/null || true; [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM

# Once healthy, say where it runs and what to try first (bounded: the first build takes a while).
for _ in $(seq 1 1200); do
  kill -0 "$host_pid" 2>/dev/null || break
  if curl -fs -o /dev/null "$url/api/health"; then
    echo
    echo "OtpFunctions is running on $url ($environment; storage: Azurite on 127.0.0.1:$blob_port-$table_port)."
    if [ "$environment" = "Development" ]; then
      echo "  demo application 'demo': live key otp_live_local_demo_key (codes land in .pickup/), sandbox key otp_test_local_demo_key (codes come back in the answer)"
      echo "  operator API ($url/api/operator/v1, docs/api.md): X-Operator-Key otp_operator_local_demo_key_0000001"
      echo "  try:  curl -s -X POST $url/api/v1/otp/send -H 'X-API-Key: otp_test_local_demo_key' -H 'Content-Type: application/json' -d '{\"phone\":\"+420777123456\"}'"
      echo "  then: README.md, \"Walk-through\"; every error code: $url/api/errors"
    fi
    echo "  Ctrl+C stops it."
    break
  fi
  sleep 0.5
done

wait "$host_pid"
