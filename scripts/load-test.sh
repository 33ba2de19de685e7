#!/usr/bin/env bash
# Decision load test: builds Release, starts PostgreSQL/RabbitMQ on 127.0.0.1 when needed, then runs
# tests/BalticAI.Sovereignty.LoadTests (pgbench INSERT baseline, broker with and without group commit).
# Everything stays on loopback and stops by itself; arguments go to the load test, e.g.
#   scripts/load-test.sh --duration 5 --warm-up 1 --clients 1 8
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v pgbench >/dev/null 2>&1 || apt_install postgresql-contrib

echo "== services"
ensure_services

echo "== build (Release)"
dotnet build src/BalticAI.Sovereignty.Api -c Release -nologo -clp:ErrorsOnly
dotnet build tests/BalticAI.Sovereignty.LoadTests -c Release -nologo -clp:ErrorsOnly

mkdir -p .data
echo "== load"
exec dotnet tests/BalticAI.Sovereignty.LoadTests/bin/Release/net10.0/BalticAI.Sovereignty.LoadTests.dll --repo "$repo" "$@"
