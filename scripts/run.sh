#!/usr/bin/env bash
# Runs the broker with demo data on its embedded defaults: PostgreSQL and RabbitMQ on 127.0.0.1
# (installed when missing), development token issuer, local ES256 keys, embedded Rego engine.
# Ctrl-C stops the broker and whatever this script started.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
url=${BALTICAI_URL:-http://127.0.0.1:5080}
reset=false
case "${1:-}" in
  "") ;;
  --reset) reset=true ;;
  *) echo "usage: scripts/run.sh [--reset]   (--reset: start the demo from an empty ledger)" >&2; exit 2 ;;
esac

was_running() { as_root service "$1" status >/dev/null 2>&1; }
postgres_was_running=false; rabbit_was_running=false
was_running postgresql && postgres_was_running=true
as_root rabbitmqctl -q status >/dev/null 2>&1 && rabbit_was_running=true

echo "== services (PostgreSQL, RabbitMQ on 127.0.0.1)"
ensure_services

echo "== build"
dotnet build src/BalticAI.Sovereignty.Api -nologo -clp:ErrorsOnly
dotnet build src/BalticAI.Sovereignty.Cli -nologo -clp:ErrorsOnly
dotnet build src/BalticAI.Sovereignty.RegulatorInbox -nologo -clp:ErrorsOnly
# shellcheck source=lib/inboxes.sh
source scripts/lib/inboxes.sh

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "== stopping"
  stop_inboxes
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "$rabbit_was_running" = true ] || as_root service rabbitmq-server stop >/dev/null 2>&1 || true
  [ "$postgres_was_running" = true ] || as_root service postgresql stop >/dev/null 2>&1 || true
}
trap cleanup INT TERM EXIT

if [ "$reset" = true ]; then
  # A ledger started afresh reuses feed sequence numbers and tree sizes: inboxes that kept the old one would
  # rightly report every new envelope as a conflicting copy and their witnesses refuse to cosign. So the demo's
  # regulators start afresh too. Keys (.data) are kept.
  echo "== reset: empty ledger (schema balticai), inboxes (schemas inbox_*) and feed queues (balticai.feeds.*)"
  stop_inboxes
  schemas=$(PGPASSWORD=$BALTICAI_DB_PASSWORD psql -h 127.0.0.1 -U "$BALTICAI_DB_USER" -d "$BALTICAI_DB_NAME" -Atqc \
    "select string_agg(quote_ident(nspname), ', ') from pg_namespace where nspname = 'balticai' or nspname like 'inbox\\_%'")
  if [ -n "$schemas" ]; then
    PGOPTIONS=--client-min-messages=warning PGPASSWORD=$BALTICAI_DB_PASSWORD \
      psql -h 127.0.0.1 -U "$BALTICAI_DB_USER" -d "$BALTICAI_DB_NAME" -qc "drop schema $schemas cascade"
  fi
  as_root rabbitmqctl -q list_queues name | { grep '^balticai\.feeds\.' || true; } | while read -r queue; do
    as_root rabbitmqctl -q delete_queue "$queue" >/dev/null
  done
fi

mkdir -p .data
echo "== broker on $url"
# The demo datasets, sites and jobs are registered once; a second start finds them (by owner and title, code, model).
# The regulators' witnesses (one per country and the EU) are registered so that their cosignatures are published.
mapfile -t witnesses < <(witness_broker_settings)
(cd src/BalticAI.Sovereignty.Api && exec env "${witnesses[@]}" ASPNETCORE_ENVIRONMENT=Development Datasets__SeedDemo=true \
  dotnet bin/Debug/net10.0/BalticAI.Sovereignty.Api.dll --urls "$url") &
pids+=($!)

for _ in $(seq 1 120); do
  if curl -fsS "$url/health/ready" >/dev/null 2>&1; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "the broker exited during start-up" >&2; exit 1; fi
  sleep 1
done
curl -fsS "$url/health/ready" >/dev/null

echo "== regulator inboxes (one per authority of Feeds:Authorities)"
start_inboxes "$url"

cat <<EOT

The broker is running at $url (development mode).
  API reference (interactive):  $url/scalar
  OpenAPI document:             $url/openapi/v1.json
  Health:                       $url/health/ready
  Signing keys (JWKS):          $url/.well-known/jwks.json
  Ledger checkpoint:            $url/ledger/checkpoints/latest
  Regulator inboxes:            http://127.0.0.1:5091/inbox/status (UODO) ... 5099 (EU AI Office)
  Inbox integrity (alerts):     http://127.0.0.1:5091/health/integrity ... 5099
  Witnesses (cosigned checkpoints): http://127.0.0.1:5091/inbox/witness (UODO), EE AKI, LT VDAI, LV DVI, EU AI Office

Get a token (development issuer; tenants are listed in src/BalticAI.Sovereignty.Api/appsettings.Development.json):
  TOKEN=\$(dotnet run --project src/BalticAI.Sovereignty.Cli -- token --role DataOwner --tenant 5d1c6c1e-0a8f-4a36-9a5e-000000000101)
  curl -H "Authorization: Bearer \$TOKEN" $url/me

Ask for a decision as ACK Cyfronet's training system (demo jobs: pllum-commercial-assistant, pllum-research;
the research-only PLLuM corpus is denied to the first and allowed to the second with a non-commercial obligation):
  TS=\$(dotnet run --project src/BalticAI.Sovereignty.Cli -- token --role TrainingSystem --tenant 5d1c6c1e-0a8f-4a36-9a5e-000000000104)
  curl -H "Authorization: Bearer \$TS" "$url/training-jobs?trainingSystem=pl-cyfronet"
  curl -H "Authorization: Bearer \$TS" "$url/datasets?owner=pl-mc"
  curl -H "Authorization: Bearer \$TS" -H "Content-Type: application/json" \\
    -d '{"datasets": [{"datasetId": "<dataset id>", "version": 1}]}' $url/training-jobs/<job id>/access-requests
When the job is done, close it: it asks for nothing more, and the grants it still holds are revoked (job-closed:completed):
  curl -H "Authorization: Bearer \$TS" -H "Content-Type: application/json" \\
    -d '{"outcome": "completed"}' $url/training-jobs/<job id>/closure
A request it makes after that is refused (409), and the ledger keeps the attempt; list it with the job's decisions:
  curl -H "Authorization: Bearer \$TS" "$url/training-jobs/<job id>/decisions?type=AccessRefused"

Before activating a changed copy of policies/ (edit it, give .manifest a new revision), see which recorded decisions
it would decide otherwise, as the EU AI Office's PolicyAdmin; nothing is activated:
  PA=\$(dotnet run --project src/BalticAI.Sovereignty.Cli -- token --role PolicyAdmin --tenant 5d1c6c1e-0a8f-4a36-9a5e-000000000501)
  dotnet run --project src/BalticAI.Sovereignty.Cli -- policy impact <copy of policies> --url $url --token "\$PA"
Activate it only while the bundle the report compared with is in force (its "activation N"); the active grants are
then decided again, and those it no longer gives as granted are revoked (policy-changed):
  dotnet run --project src/BalticAI.Sovereignty.Cli -- policy activate <copy of policies> --url $url --token "\$PA" --if-match <N>

Press Ctrl-C to stop.
EOT
wait "${pids[0]}"
