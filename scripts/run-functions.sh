#!/usr/bin/env bash
# Runs the Functions app locally under a Functions host, as `func start` does: starts Azurite as
# run.sh does, builds the app, writes src/OtpFunctions.App/local.settings.json from
# local.settings.example.json (pointing it at that Azurite) unless one exists, passes its Values as
# environment variables (the offline host does not read the file; func reads both), and runs the
# app on port 7071 (or FUNCTIONS_PORT) under the host scripts/functions-host.sh finds: Azure
# Functions Core Tools (func) where installed. Extra arguments become settings: Otp__SessionRuntime=DurableEntity.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "Functions host: $(bash scripts/functions-host.sh --which)"
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

dotnet build src/OtpFunctions.App -c Debug -nologo -v quiet
# The Values (names like AzureWebJobs.X.Disabled are not shell identifiers: env takes them), then
# the arguments. Choosing DurableEntity on the command line swaps the switched-off functions (its
# Durable functions on, the timer queue's trigger off).
# Not exec: Azurite, if this script started it, stops when the host does (azurite.sh's trap).
mapfile -t values < <(node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Values;
  const extra = Object.fromEntries(process.argv.slice(2).map(a => a.split(/=(.*)/s).slice(0, 2)));
  if ((extra.Otp__SessionRuntime ?? s.Otp__SessionRuntime) === "DurableEntity") {
    for (const k of Object.keys(s)) if (/^AzureWebJobs\..*\.Disabled$/.test(k)) delete s[k];
    s["AzureWebJobs.FireTimer.Disabled"] = "true";
  }
  for (const [k, v] of Object.entries({ ...s, ...extra })) console.log(`${k}=${v}`);' "$settings" "$@")
env "${values[@]}" bash scripts/functions-host.sh src/OtpFunctions.App/bin/Debug/net10.0 "${FUNCTIONS_PORT:-7071}"
