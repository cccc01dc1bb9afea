# Sourced by run.sh and run-functions.sh: installs the pinned Azurite (npm ci) when missing, starts
# it on its ports (10000-10002, or AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT)
# with data in .azurite/ unless something already listens there (it is stopped when the calling
# script exits), and exports AzureWebJobsStorage for those ports.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
blob_port="${AZURITE_BLOB_PORT:-10000}"
queue_port="${AZURITE_QUEUE_PORT:-10001}"
table_port="${AZURITE_TABLE_PORT:-10002}"

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund
fi

azurite_pid=""
if listening "$blob_port" && listening "$queue_port" && listening "$table_port"; then
  echo "Azurite (or another storage emulator) already listens on $blob_port-$table_port; using it."
else
  mkdir -p .azurite
  node node_modules/azurite/dist/src/azurite.js --silent --disableTelemetry --location .azurite \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort "$blob_port" --queuePort "$queue_port" --tablePort "$table_port" > .azurite/azurite.log 2>&1 &
  azurite_pid=$!
  trap '[ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    listening "$queue_port" && listening "$table_port" && break
    sleep 0.2
  done
  listening "$table_port" || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
fi

# Azurite's well-known development account on the ports above (scripts/storage-connection.sh spells it).
export AzureWebJobsStorage="$(AZURITE_BLOB_PORT="$blob_port" AZURITE_QUEUE_PORT="$queue_port" AZURITE_TABLE_PORT="$table_port" "$(dirname "${BASH_SOURCE[0]}")/storage-connection.sh")"
