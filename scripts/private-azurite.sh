# Sourced by test.sh, e2e.sh and bench/RealHostBench/run.sh: a private Azurite (in memory) on free
# loopback ports, so parallel runs and a developer's own Azurite never clash.
#
#   . scripts/private-azurite.sh
#   free_ports N                  prints N free loopback ports chosen by the OS
#   start_private_azurite LOG [BLOB QUEUE TABLE]
#                                 starts Azurite (on free ports, or the ports given), waits until it answers;
#                                 sets AZURITE_PID, AZURITE_PORTS and AZURITE_CONNECTION (a connection string
#                                 for it). The caller stops it: stop_private_azurite (e.g. from its EXIT trap).
# Needs node and the pinned Azurite in node_modules (npm ci installs it; this file does so when absent).

free_ports() {
  node -e '
    const net = require("net");
    const take = () => new Promise(r => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
    (async () => { const p = []; for (let i = 0; i < Number(process.argv[1]); i++) p.push(await take()); console.log(p.join(" ")); })();' "$1"
}

start_private_azurite() {
  local log=$1 blob=${2:-} queue=${3:-} table=${4:-}
  [ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error
  [ -n "$table" ] || read -r blob queue table < <(free_ports 3)
  AZURITE_PORTS="$blob $queue $table"
  node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
    --tableHost 127.0.0.1 --tablePort "$table" >>"$log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 100); do
    if (echo >"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then break; fi
    kill -0 "$AZURITE_PID" 2>/dev/null || { echo "Azurite failed to start:" >&2; cat "$log" >&2; return 1; }
    sleep 0.1
  done
  # Azurite's well-known development account (public, documented by Microsoft; not a secret).
  local account=devstoreaccount1
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  AZURITE_CONNECTION="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
}

stop_private_azurite() {
  [ -n "${AZURITE_PID:-}" ] || return 0
  kill "$AZURITE_PID" 2>/dev/null || true
  wait "$AZURITE_PID" 2>/dev/null || true
}
