#!/usr/bin/env bash
# Runs a built isolated-worker Functions app under a real Azure Functions host, in the foreground,
# as `func start` does:
#
#   scripts/functions-host.sh APP_OUTPUT_DIR PORT   run the app (its bin/<Configuration>/net10.0)
#   scripts/functions-host.sh --which               print which host would run it, or fail
#   scripts/functions-host.sh --ensure              find a host, installing Core Tools when none is found
#
# The host is the first of:
#   1. $OTP_FUNCTIONS_HOST: a command that takes APP_OUTPUT_DIR PORT;
#   2. Azure Functions Core Tools v4 (`func`) on PATH, or installed by --ensure into .tools/func;
#   3. a Functions host built from its public source for offline machines, when a checkout keeps one
#      beside the repository (../shared/tools/fnhost/start.sh, as on the project's build machines).
# The app's settings come from the environment (func also reads a local.settings.json in
# APP_OUTPUT_DIR; the offline host does not). Stop it with SIGTERM to its process group.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

find_host() {
  if [ -n "${OTP_FUNCTIONS_HOST:-}" ]; then echo "custom:$OTP_FUNCTIONS_HOST"; return 0; fi
  if command -v func >/dev/null 2>&1; then echo "func:$(command -v func)"; return 0; fi
  if [ -x "$root/.tools/func/node_modules/.bin/func" ]; then echo "func:$root/.tools/func/node_modules/.bin/func"; return 0; fi
  if [ -x "$root/../shared/tools/fnhost/start.sh" ]; then echo "offline:$(cd "$root/../shared/tools/fnhost" && pwd)/start.sh"; return 0; fi
  return 1
}

needs() {
  echo "No Azure Functions host found: install Azure Functions Core Tools v4 (npm i -g azure-functions-core-tools@4," >&2
  echo "or see learn.microsoft.com/azure/azure-functions/functions-run-local), or set OTP_FUNCTIONS_HOST." >&2
}

case "${1:-}" in
  --which)
    find_host || { needs; exit 3; }
    exit 0 ;;
  --ensure)
    if find_host >/dev/null; then find_host; exit 0; fi
    echo "Installing Azure Functions Core Tools v4 into .tools/func (its installer downloads the host)..." >&2
    npm install --no-audit --no-fund --prefix "$root/.tools/func" azure-functions-core-tools@4 >&2 || true
    find_host || { needs; exit 3; }
    exit 0 ;;
esac

[ $# -eq 2 ] || { echo "usage: $0 APP_OUTPUT_DIR PORT | --which | --ensure" >&2; exit 2; }
app="$(cd "$1" && pwd)"; port="$2"
[ -f "$app/functions.metadata" ] || { echo "$0: no functions.metadata in $app (build the app first)" >&2; exit 2; }
host="$(find_host)" || { needs; exit 3; }
export FUNCTIONS_WORKER_RUNTIME="${FUNCTIONS_WORKER_RUNTIME:-dotnet-isolated}"
case "$host" in
  custom:*) exec ${host#custom:} "$app" "$port" ;;
  func:*) cd "$app" && exec "${host#func:}" host start --port "$port" ;;
  offline:*) exec "${host#offline:}" "$app" "$port" ;;
esac
