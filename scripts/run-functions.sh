#!/usr/bin/env bash
# Runs the Functions app locally with Azure Functions Core Tools v4 (func), which CI cannot
# install (its installer downloads a binary): starts Azurite as run.sh does, writes
# src/OtpFunctions.App/local.settings.json from local.settings.example.json (pointing it at that
# Azurite) unless one exists, and runs `func start` on port 7071 (or FUNCTIONS_PORT).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v func >/dev/null 2>&1; then
  echo "Azure Functions Core Tools v4 (func) is not installed: npm i -g azure-functions-core-tools@4," >&2
  echo "or see learn.microsoft.com/azure/azure-functions/functions-run-local. ./scripts/run.sh serves the same API without it." >&2
  exit 1
fi

source "$root/scripts/azurite.sh"

settings=src/OtpFunctions.App/local.settings.json
if [ ! -f "$settings" ]; then
  node -e '
    const fs = require("fs");
    const s = JSON.parse(fs.readFileSync("local.settings.example.json", "utf8"));
    s.Values.AzureWebJobsStorage = process.env.AzureWebJobsStorage;
    s.Values.Otp__PickupDirectory = process.argv[1];
    fs.writeFileSync(process.argv[2], JSON.stringify(s, null, 2) + "\n");' "$root/.pickup" "$settings"
  echo "Wrote $settings from local.settings.example.json."
fi

cd src/OtpFunctions.App
func start --port "${FUNCTIONS_PORT:-7071}"
