#!/usr/bin/env bash
# Real-host benchmark: DurableFlow against bench/BareDurableApp on one Functions host, alternated.
#
#   FUNC_HOST_DLL=<Microsoft.Azure.WebJobs.Script.WebHost.dll> bench/RealHostBench/run.sh [--rounds N] [--shapes ...]
#
# Builds both apps as Core Tools does (Release, dotnet build --output), starts a private Azurite on free
# loopback ports, and runs the benchmark program, which starts and stops the host (FunctionApp.E2E/host.sh)
# for each app in turn. Prints a markdown table of times and ratios. Machines here are noisy: compare
# ratios measured in the same run, not absolute times across runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
[ -f "${FUNC_HOST_DLL:-}" ] || { echo "run.sh: set FUNC_HOST_DLL to a built Microsoft.Azure.WebJobs.Script.WebHost.dll" >&2; exit 1; }
. scripts/private-azurite.sh

export E2E_RUN_DIR; E2E_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/durableflow-bench.XXXXXX")
cleanup() {
  bash FunctionApp.E2E/host.sh stop 2>/dev/null || true
  [ -f "$E2E_RUN_DIR/azurite.pid" ] && AZURITE_PID=$(cat "$E2E_RUN_DIR/azurite.pid")
  stop_private_azurite
  echo "run.sh: logs in $E2E_RUN_DIR"
}
trap cleanup EXIT

start_private_azurite "$E2E_RUN_DIR/azurite.log"
export E2E_STORAGE=$AZURITE_CONNECTION
echo "$AZURITE_PID" >"$E2E_RUN_DIR/azurite.pid"
# Each app session starts on a fresh (in-memory) Azurite on the same ports: Azurite's tables scan in
# JavaScript, so a store that has filled up during one session would slow the next app's.
export BENCH_STORAGE_RESET="$E2E_RUN_DIR/reset-azurite.sh"
cat >"$BENCH_STORAGE_RESET" <<EOF
#!/usr/bin/env bash
set -euo pipefail
cd "$root"
. scripts/private-azurite.sh
AZURITE_PID=\$(cat "$E2E_RUN_DIR/azurite.pid"); stop_private_azurite
start_private_azurite "$E2E_RUN_DIR/azurite.log" $AZURITE_PORTS
echo "\$AZURITE_PID" >"$E2E_RUN_DIR/azurite.pid"
EOF
port=$(free_ports 1)
export E2E_HOST_PORT=$port E2E_HOST_CONTROL="$root/FunctionApp.E2E/host.sh" FUNC_HOST_DLL
export E2E_APP_DIR=$E2E_RUN_DIR/durableflow   # host.sh needs one; the program sets it per app
export BENCH_DURABLEFLOW_DIR=$E2E_RUN_DIR/durableflow BENCH_DURABLEFLOW_SETTINGS=$root/local.settings.sample.json
export BENCH_BARE_DIR=$E2E_RUN_DIR/bare BENCH_BARE_SETTINGS=$root/bench/BareDurableApp/bench.settings.json

echo "run.sh: building both apps"
dotnet build FunctionApp/FunctionApp.csproj -c Release --output "$BENCH_DURABLEFLOW_DIR" --nologo -v quiet >"$E2E_RUN_DIR/build.log" 2>&1
dotnet build bench/BareDurableApp/BareDurableApp.csproj -c Release --output "$BENCH_BARE_DIR" --nologo -v quiet >>"$E2E_RUN_DIR/build.log" 2>&1
dotnet run -c Release --project bench/RealHostBench -- "$@"
