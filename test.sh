#!/usr/bin/env bash
# Runs every test of DurableFlow: restores packages, starts a private Azurite (in memory, on free
# loopback ports) for the Table Storage tests, runs `dotnet test Functions.sln`, stops Azurite.
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter "FullyQualifiedName~Graph").
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null || { echo "test.sh: the .NET SDK (dotnet) is required" >&2; exit 1; }
command -v node >/dev/null || { echo "test.sh: Node.js (for Azurite) is required" >&2; exit 1; }

. scripts/private-azurite.sh
azurite_log=$(mktemp)
trap 'stop_private_azurite; rm -f "$azurite_log"' EXIT
start_private_azurite "$azurite_log"
export DURABLEFLOW_TEST_STORAGE=$AZURITE_CONNECTION
export Logging__LogLevel__Default=Warning

dotnet test Functions.sln --nologo "$@"
