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

ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
  dotnet run --project src/OtpFunctions.Host --no-launch-profile -- --urls "${OTP_URLS:-http://127.0.0.1:7071}" \
  --Otp:PickupDirectory "$root/.pickup" "$@"
