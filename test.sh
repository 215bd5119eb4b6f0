#!/usr/bin/env bash
# Runs every test of DurableFlow: restores packages, starts a private Azurite (in memory, on free
# loopback ports) for the Table Storage tests, runs `dotnet test Functions.sln`, stops Azurite.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter "FullyQualifiedName~Graph").
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (dotnet) is required" >&2; exit 1; }
command -v node >/dev/null || { echo "test.sh: Node.js (for Azurite) is required" >&2; exit 1; }

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Three free loopback ports chosen by the OS, so parallel runs and a developer's own Azurite never clash.
read -r blob queue table < <(node -e '
  const net = require("net");
  const take = () => new Promise(r => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
  Promise.all([take(), take(), take()]).then(p => console.log(p.join(" ")));')

azurite_log=$(mktemp)
node_modules/.bin/azurite --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" \
  --tableHost 127.0.0.1 --tablePort "$table" >"$azurite_log" 2>&1 &
azurite_pid=$!
trap 'kill "$azurite_pid" 2>/dev/null || true; wait "$azurite_pid" 2>/dev/null || true; rm -f "$azurite_log"' EXIT

for _ in $(seq 1 100); do
  if (echo >"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then break; fi
  kill -0 "$azurite_pid" 2>/dev/null || { echo "test.sh: Azurite failed to start:" >&2; cat "$azurite_log" >&2; exit 1; }
  sleep 0.1
done

account="devstoreaccount1"
key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
export DURABLEFLOW_TEST_STORAGE="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
export Logging__LogLevel__Default=Warning

dotnet test Functions.sln --nologo "$@"
