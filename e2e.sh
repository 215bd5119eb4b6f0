#!/usr/bin/env bash
# Runs the end-to-end suite (FunctionApp.E2E) against a real Azure Functions host, over HTTP only.
#
#   ./e2e.sh [dotnet test options]          e.g. ./e2e.sh --filter "FullyQualifiedName~Crash"
#
# By default it builds FunctionApp as Core Tools does (dotnet build --output), starts a private Azurite
# (in memory, free loopback ports) and a host on a free port — `func` (Core Tools v4) when it is on the
# PATH, else the host at FUNC_HOST_DLL — runs the suite, and stops what it started by pid.
# With E2E_BASE_URL (and E2E_FUNCTION_KEY) it runs the suite against a host that is already up, e.g. a
# deployment in Azure; the tests that restart or crash the host are then skipped.
# E2E_KEEP=1 keeps the run directory (host and Azurite logs) after the run.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

fail() { echo "e2e.sh: $*" >&2; exit 1; }
command -v dotnet >/dev/null || fail "the .NET SDK (dotnet) is required"

suite=FunctionApp.E2E/FunctionApp.E2E.csproj
# Tests that restart or kill the host, and tests that load it with thousands of tasks, run after the
# others, one at a time: they stop the host the other tests use, or would starve their activities.
lifecycle="Category=HostLifecycle|Category=Exclusive"

if [ -n "${E2E_BASE_URL:-}" ]; then
  echo "e2e.sh: running against $E2E_BASE_URL (host restart and crash tests skipped)"
  exec dotnet test "$suite" --nologo "$@"
fi

command -v node >/dev/null || fail "Node.js (for Azurite) is required"
command -v curl >/dev/null || fail "curl is required"
command -v setsid >/dev/null || fail "setsid (util-linux) is required"
if command -v func >/dev/null && func --version 2>/dev/null | grep -q '^4\.'; then
  export E2E_FUNC; E2E_FUNC=$(command -v func)
  echo "e2e.sh: host: Core Tools $(func --version)"
elif [ -n "${FUNC_HOST_DLL:-}" ]; then
  [ -f "$FUNC_HOST_DLL" ] || fail "FUNC_HOST_DLL=$FUNC_HOST_DLL does not exist"
  FUNC_HOST_DLL=$(cd "$(dirname "$FUNC_HOST_DLL")" && pwd)/$(basename "$FUNC_HOST_DLL")
  export FUNC_HOST_DLL
  echo "e2e.sh: host: $FUNC_HOST_DLL"
else
  fail "no Functions host: install Azure Functions Core Tools v4 (func), or set FUNC_HOST_DLL to a built
  Microsoft.Azure.WebJobs.Script.WebHost.dll, or set E2E_BASE_URL to a running app"
fi

. scripts/private-azurite.sh
export E2E_RUN_DIR; E2E_RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/durableflow-e2e.XXXXXX")
cleanup() {
  local rc=$?
  E2E_RUN_DIR=$E2E_RUN_DIR bash FunctionApp.E2E/host.sh stop 2>/dev/null || true
  stop_private_azurite
  if [ "${E2E_KEEP:-0}" = 1 ] || [ $rc -ne 0 ]; then
    echo "e2e.sh: logs kept in $E2E_RUN_DIR (host.log, azurite.log)"
  else
    rm -rf "$E2E_RUN_DIR"
  fi
}
trap cleanup EXIT

start_private_azurite "$E2E_RUN_DIR/azurite.log"
export E2E_STORAGE=$AZURITE_CONNECTION

# Built the way Core Tools builds a .NET isolated app before `func start`.
export E2E_APP_DIR="$E2E_RUN_DIR/app"
echo "e2e.sh: building FunctionApp into $E2E_APP_DIR"
dotnet build FunctionApp/FunctionApp.csproj --nologo -v quiet -c Release --output "$E2E_APP_DIR" >"$E2E_RUN_DIR/build.log" 2>&1 \
  || { cat "$E2E_RUN_DIR/build.log" >&2; fail "build failed"; }
dotnet build "$suite" --nologo -v quiet >"$E2E_RUN_DIR/build-suite.log" 2>&1 \
  || { cat "$E2E_RUN_DIR/build-suite.log" >&2; fail "building the suite failed"; }

host_port=$(free_ports 1)
export E2E_HOST_PORT=$host_port
export E2E_SETTINGS="$root/local.settings.sample.json"
export E2E_HOST_CONTROL="$root/FunctionApp.E2E/host.sh"
echo "e2e.sh: starting the host on 127.0.0.1:$host_port"
bash "$E2E_HOST_CONTROL" start
export E2E_BASE_URL="http://127.0.0.1:$host_port"
export E2E_FUNCTION_KEY; E2E_FUNCTION_KEY=$(bash "$E2E_HOST_CONTROL" key)

# A --filter of the caller's narrows both phases.
user_filter=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) user_filter=$2; shift 2 ;;
    --filter=*) user_filter=${1#--filter=}; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
both() { if [ -n "$user_filter" ]; then echo "($user_filter)&($1)"; else echo "$1"; fi; }

status=0
dotnet test "$suite" --nologo --no-build --filter "$(both "Category!=HostLifecycle&Category!=Exclusive")" "${args[@]}" || status=$?
dotnet test "$suite" --nologo --no-build --filter "$(both "$lifecycle")" --logger "console;verbosity=detailed" "${args[@]}" || status=$?
exit $status
