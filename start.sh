#!/usr/bin/env bash
# Runs DurableFlow locally in one command: checks the tools, installs the pinned Azurite (npm ci),
# starts it on 127.0.0.1 (or reuses one that already listens), creates local.settings.json from the
# sample, and runs `func start` in FunctionApp/. The Azurite this script started is stopped when
# func exits (Ctrl-C included). ./start.sh --help lists the options.
set -euo pipefail

script_name=$(basename "$0")
# The repository root: where host.json and local.settings.json live. Tests point it at a copy.
root=${DURABLEFLOW_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
func_cmd=${FUNC:-func}
azurite_host=127.0.0.1
blob_port=${AZURITE_BLOB_PORT:-10000}
queue_port=${AZURITE_QUEUE_PORT:-10001}
table_port=${AZURITE_TABLE_PORT:-10002}
wait_seconds=${AZURITE_WAIT_SECONDS:-30}

usage() {
  cat <<EOF
Usage: ./$script_name [options] [func start options] [-- func start arguments...]

Starts DurableFlow locally: Azurite on $azurite_host (ports blob/queue/table $blob_port/$queue_port/$table_port),
local.settings.json from local.settings.sample.json if absent, then \`func start\` in FunctionApp/.

Options:
  -h, --help      show this help and exit
  --no-azurite    do not install or start Azurite (use the storage in local.settings.json)
  --check         run every check and the setup steps, start Azurite and stop it again; do not run func

Options of \`func start\` are passed through (e.g. ./$script_name --port 7072 --verbose):
  -p/--port, -t/--timeout, --cors, --cors-credentials, --useHttps, --cert, --password, --language-worker,
  --no-build, --enableAuth, --functions, --user-log-level, --verbose, --dotnet-isolated-debug,
  --enable-json-output, --json-output-file, --runtime. Everything after -- is passed as is.

Environment:
  AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT, AZURITE_TABLE_PORT  Azurite ports (10000, 10001, 10002); with
                       other ports AzureWebJobsStorage is set for func to a matching connection string
  AZURITE_WAIT_SECONDS how long to wait for Azurite to answer (30)
  AZURITE_DEBUG=1      also write Azurite's debug log to .azurite/debug.log
  FUNC                 the Core Tools command (func)
EOF
}

fail() {
  echo "$script_name: $*" >&2
  exit 1
}

usage_error() {
  echo "$script_name: $*" >&2
  echo >&2
  usage >&2
  exit 2
}

# ---- arguments ------------------------------------------------------------------------------------
use_azurite=1
check_only=0
func_args=()
while [ $# -gt 0 ]; do
  arg=$1
  shift
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --no-azurite) use_azurite=0 ;;
    --check) check_only=1 ;;
    --) func_args+=("$@"); break ;;
    # func start options that take a value (StartHostAction.ParseArgs)
    -p|--port|-t|--timeout|--cors|--cert|--password|--language-worker|--user-log-level|--json-output-file|--runtime)
      [ $# -gt 0 ] || usage_error "$arg needs a value"
      func_args+=("$arg" "$1")
      shift ;;
    # a space-separated list of function names
    --functions)
      func_args+=("$arg")
      while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do func_args+=("$1"); shift; done ;;
    # func start switches, optionally followed by true/false
    --cors-credentials|--useHttps|--no-build|--enableAuth|--verbose|--dotnet-isolated-debug|--enable-json-output)
      func_args+=("$arg")
      if [ $# -gt 0 ] && { [ "$1" = true ] || [ "$1" = false ]; }; then func_args+=("$1"); shift; fi ;;
    --port=*|--timeout=*|--cors=*|--cert=*|--password=*|--language-worker=*|--user-log-level=*|--json-output-file=*|--runtime=*)
      func_args+=("$arg") ;;
    *) usage_error "unknown argument: $arg" ;;
  esac
done

for port in "$blob_port" "$queue_port" "$table_port"; do
  case "$port" in
    ''|*[!0-9]*) fail "Azurite ports must be numbers, got '$port' (AZURITE_BLOB_PORT / AZURITE_QUEUE_PORT / AZURITE_TABLE_PORT)" ;;
  esac
done
case "$wait_seconds" in ''|*[!0-9]*) fail "AZURITE_WAIT_SECONDS must be a whole number of seconds, got '$wait_seconds'" ;; esac

[ -f "$root/host.json" ] || fail "no host.json in $root: run the script from the DurableFlow repository"
[ -d "$root/FunctionApp" ] || fail "no FunctionApp/ folder in $root"

# ---- 1. tools ---------------------------------------------------------------------------------------
print_func_install() {
  cat >&2 <<'EOF'
Install Azure Functions Core Tools v4 (https://learn.microsoft.com/azure/azure-functions/functions-run-local), one of:
  npm (any OS):    npm i -g azure-functions-core-tools@4 --unsafe-perm true
  macOS:           brew tap azure/functions && brew install azure-functions-core-tools@4
  Windows:         winget install Microsoft.Azure.FunctionsCoreTools
  Debian/Ubuntu:   add Microsoft's package repository (https://packages.microsoft.com), then
                   sudo apt-get update && sudo apt-get install azure-functions-core-tools-4
EOF
}

command -v dotnet >/dev/null 2>&1 ||
  fail "the .NET SDK (dotnet) is required: install the .NET 10 SDK from https://dot.net"

if ! command -v "$func_cmd" >/dev/null 2>&1; then
  echo "$script_name: Azure Functions Core Tools ('$func_cmd') is not installed or not on PATH." >&2
  print_func_install
  exit 1
fi
func_version=$("$func_cmd" --version 2>/dev/null | tr -d '\r' | head -n 1 || true)
if [ "${func_version%%.*}" != 4 ]; then
  echo "$script_name: Azure Functions Core Tools v4 is required; '$func_cmd --version' says '${func_version:-nothing}'." >&2
  print_func_install
  exit 1
fi
echo "$script_name: using Azure Functions Core Tools $func_version"

# ---- 2 + 3. Azurite ---------------------------------------------------------------------------------
listening() { (echo >"/dev/tcp/$azurite_host/$1") 2>/dev/null; }

azurite_pid=
azurite_dir="$root/.azurite"
azurite_log="$azurite_dir/azurite.log"

# shellcheck disable=SC2317  # run by the EXIT trap
stop_azurite() {
  [ -n "$azurite_pid" ] || return 0
  if kill -0 "$azurite_pid" 2>/dev/null; then
    echo "$script_name: stopping Azurite (pid $azurite_pid)"
    kill "$azurite_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$azurite_pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$azurite_pid" 2>/dev/null || true
  fi
  wait "$azurite_pid" 2>/dev/null || true
  azurite_pid=
}
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$use_azurite" = 1 ]; then
  up=0
  for port in "$blob_port" "$queue_port" "$table_port"; do
    if listening "$port"; then up=$((up + 1)); fi
  done
  if [ "$up" = 3 ]; then
    echo "$script_name: something already listens on $azurite_host:$blob_port/$queue_port/$table_port; reusing it as Azurite (it will not be stopped)"
  elif [ "$up" != 0 ]; then
    fail "some of the Azurite ports $blob_port/$queue_port/$table_port on $azurite_host are taken by something else; free them or pick others with AZURITE_BLOB_PORT, AZURITE_QUEUE_PORT and AZURITE_TABLE_PORT"
  else
    if [ ! -x "$root/node_modules/.bin/azurite" ]; then
      command -v npm >/dev/null 2>&1 || fail "Node.js 20 and npm are required to install Azurite (https://nodejs.org), or use --no-azurite"
      echo "$script_name: installing the pinned Azurite (npm ci)"
      (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci failed"
      [ -x "$root/node_modules/.bin/azurite" ] || fail "npm ci did not install node_modules/.bin/azurite"
    fi
    command -v node >/dev/null 2>&1 || fail "Node.js 20 is required to run Azurite (https://nodejs.org), or use --no-azurite"

    mkdir -p "$azurite_dir"
    azurite_args=(--silent --disableTelemetry --location "$azurite_dir"
      --blobHost "$azurite_host" --blobPort "$blob_port"
      --queueHost "$azurite_host" --queuePort "$queue_port"
      --tableHost "$azurite_host" --tablePort "$table_port")
    if [ "${AZURITE_DEBUG:-0}" = 1 ]; then azurite_args+=(--debug "$azurite_dir/debug.log"); fi
    echo "$script_name: starting Azurite on $azurite_host:$blob_port/$queue_port/$table_port (data in .azurite/, log .azurite/azurite.log)"
    "$root/node_modules/.bin/azurite" "${azurite_args[@]}" >"$azurite_log" 2>&1 &
    azurite_pid=$!

    deadline=$((SECONDS + wait_seconds))
    until listening "$blob_port" && listening "$queue_port" && listening "$table_port"; do
      if ! kill -0 "$azurite_pid" 2>/dev/null; then
        wait "$azurite_pid" 2>/dev/null || true
        azurite_pid=
        echo "$script_name: Azurite exited before it answered; the end of $azurite_log:" >&2
        tail -n 20 "$azurite_log" >&2 || true
        exit 1
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        echo "$script_name: Azurite did not answer within $wait_seconds s; the end of $azurite_log:" >&2
        tail -n 20 "$azurite_log" >&2 || true
        exit 1
      fi
      sleep 0.2
    done
    echo "$script_name: Azurite is up (pid $azurite_pid)"
  fi

  # UseDevelopmentStorage=true means the default ports; on others, hand func the matching connection
  # string (Core Tools skips a local setting that is already an environment variable).
  if [ "$blob_port/$queue_port/$table_port" != 10000/10001/10002 ]; then
    account=devstoreaccount1
    key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
    export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://$azurite_host:$blob_port/$account;QueueEndpoint=http://$azurite_host:$queue_port/$account;TableEndpoint=http://$azurite_host:$table_port/$account;"
    echo "$script_name: Azurite is on non-default ports: AzureWebJobsStorage is set for func accordingly"
  fi
fi

# ---- 4. local.settings.json -------------------------------------------------------------------------
# `func start` in FunctionApp/ finds the app root by walking up to host.json (the repository root) and
# reads local.settings.json there; the FunctionApp build copies it next to host.json in bin/output,
# where the host then runs.
settings="$root/local.settings.json"
if [ -f "$settings" ]; then
  echo "$script_name: using the existing local.settings.json"
else
  [ -f "$root/local.settings.sample.json" ] || fail "no local.settings.sample.json in $root to create local.settings.json from"
  cp "$root/local.settings.sample.json" "$settings"
  echo "$script_name: created local.settings.json from local.settings.sample.json (git-ignored; edit it freely)"
fi

if [ "$check_only" = 1 ]; then
  echo "$script_name: checks passed (--check: not starting func)"
  exit 0
fi

# ---- 5. func start ----------------------------------------------------------------------------------
echo "$script_name: running '$func_cmd start${func_args[*]:+ ${func_args[*]}}' in FunctionApp/"
cd "$root/FunctionApp"
status=0
"$func_cmd" start "${func_args[@]}" || status=$?
exit "$status"
