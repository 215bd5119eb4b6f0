#!/usr/bin/env bash
# Starts, stops and crashes the Functions host the end-to-end suite runs against. e2e.sh calls it, and so
# do the suite's restart and crash tests (through E2E_HOST_CONTROL), so both drive the host one way.
#
#   host.sh start   start the host on E2E_HOST_PORT and wait until it serves requests
#   host.sh stop    graceful stop: TERM to the host's process group (releases Durable leases), then KILL
#   host.sh kill    crash: SIGKILL to the host's process group (the worker included), no clean-up at all
#   host.sh key     print the function key the host accepts (empty when keys are not enforced)
#
# Environment (set by e2e.sh): E2E_RUN_DIR (pid, log), E2E_APP_DIR (the app's build output),
# E2E_HOST_PORT, E2E_STORAGE (AzureWebJobsStorage), E2E_SETTINGS (a local.settings.json whose Values are
# exported, as Core Tools does), and either E2E_FUNC (Core Tools' func) or FUNC_HOST_DLL (the host's
# WebJobs.Script.WebHost.dll built from Azure/azure-functions-host).
set -euo pipefail

run_dir=${E2E_RUN_DIR:?E2E_RUN_DIR is not set}
app_dir=${E2E_APP_DIR:?E2E_APP_DIR is not set}
port=${E2E_HOST_PORT:?E2E_HOST_PORT is not set}
pid_file=$run_dir/host.pid
log=$run_dir/host.log

fail() { echo "host.sh: $*" >&2; exit 1; }
alive() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

# The host built from source writes its generated keys beside its DLL (AzureWebJobsSecretStorageType=files).
key() {
  [ -n "${FUNC_HOST_DLL:-}" ] && [ -z "${E2E_FUNC:-}" ] || return 0
  local secrets
  secrets="$(dirname "$FUNC_HOST_DLL")/Secrets/host.json"
  [ -f "$secrets" ] || return 0
  node -e 'const fs = require("fs");
    const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8").replace(/^\uFEFF/, ""));
    console.log(s.masterKey.value);' "$secrets"
}

# The Values of a local.settings.json as NAME=value lines (what Core Tools exports to the host).
settings_env() {
  [ -n "${E2E_SETTINGS:-}" ] || return 0
  node -e 'const fs = require("fs");
    const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8").replace(/^\uFEFF/, ""));
    for (const [k, v] of Object.entries(s.Values || {})) console.log(`${k}=${v}`);' "$E2E_SETTINGS"
}

start() {
  alive && fail "the host already runs (pid $(cat "$pid_file"))"
  local -a values=()
  mapfile -t values < <(settings_env)
  # Our storage and the settings the suite relies on win over the settings file.
  local -a env_args=(
    "${values[@]}"
    AzureWebJobsStorage="$E2E_STORAGE"
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated
    AZURE_FUNCTIONS_ENVIRONMENT=Development
    DOTNET_CLI_TELEMETRY_OPTOUT=1
    # The suite's REST tasks call its own server on 127.0.0.1.
    RestExecutor__AllowPrivateNetworks=true
    AzureFunctionsJobHost__logging__logLevel__Azure.Core=Warning
  )
  # setsid: the host leads its own process group, so stop and kill reach the worker it spawns too.
  if [ -n "${E2E_FUNC:-}" ]; then
    (cd "$app_dir" && exec setsid env "${env_args[@]}" "$E2E_FUNC" host start --port "$port" >>"$log" 2>&1 </dev/null) &
  else
    [ -f "${FUNC_HOST_DLL:-}" ] || fail "no host at FUNC_HOST_DLL='${FUNC_HOST_DLL:-}'"
    # What Core Tools sets when it runs the host in process (StartHostAction), minus its CLI.
    (cd "$(dirname "$FUNC_HOST_DLL")" && exec setsid env -u CONTAINER_NAME "${env_args[@]}" \
      AzureWebJobsScriptRoot="$app_dir" \
      languageWorkers__dotnet-isolated__workerDirectory="$app_dir" \
      AzureWebJobsSecretStorageType=files \
      ASPNETCORE_URLS="http://127.0.0.1:$port" WEBSITE_HOSTNAME="localhost:$port" \
      AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
      AzureFunctionsJobHost__logging__logLevel__Microsoft.AspNetCore=Warning \
      TMPDIR="$run_dir" \
      dotnet "$FUNC_HOST_DLL" >>"$log" 2>&1 </dev/null) &
  fi
  echo $! >"$pid_file"

  # Ready when the app's own health route answers: the worker is up and its functions are indexed.
  local code=000
  for _ in $(seq 1 240); do
    alive || fail "the host exited while starting; see $log"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "x-functions-key: $(key)" "http://127.0.0.1:$port/api/health" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.5
  done
  fail "the host did not answer /api/health within 120 s (last status $code); see $log"
}

signal_group() {   # signal_group SIGNAL: to the process group the host leads
  local pid
  pid=$(cat "$pid_file")
  kill "-$1" -- "-$pid" 2>/dev/null || kill "-$1" "$pid" 2>/dev/null || true
}

stop() {
  alive || { rm -f "$pid_file"; return 0; }
  local pid
  pid=$(cat "$pid_file")
  signal_group TERM
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  signal_group KILL
  rm -f "$pid_file"
}

crash() {
  alive || fail "no host is running"
  local pid
  pid=$(cat "$pid_file")
  signal_group KILL
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$pid_file"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  kill) crash ;;
  key) key ;;
  *) fail "usage: host.sh start|stop|kill|key" ;;
esac
