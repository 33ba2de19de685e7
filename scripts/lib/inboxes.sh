#!/usr/bin/env bash
# Regulator inboxes for the demo: one process per configured authority, next to the broker.
# Source this file, then:
#   start_inboxes http://127.0.0.1:5080   # broker base address (for its JWKS); first inbox on port 5091
#   stop_inboxes
# Needs a built src/BalticAI.Sovereignty.RegulatorInbox (Debug or Release, see BALTICAI_CONFIGURATION),
# PostgreSQL and RabbitMQ as for the broker. Each inbox keeps its data in schema inbox_<authority>.

: "${BALTICAI_CONFIGURATION:=Debug}"
: "${BALTICAI_INBOX_BASE_PORT:=5091}"
: "${BALTICAI_INBOX_DIR:=.data/inboxes}"
# authority:feed, as in Feeds:Authorities of src/BalticAI.Sovereignty.Api/appsettings.json
: "${BALTICAI_INBOXES:=pl-uodo:PL pl-kribsi:PL ee-aki:EE ee-ttja:EE lt-vdai:LT lt-rrt:LT lv-dvi:LV lv-ptac:LV eu-ai-office:EU}"
# authority:tenant of the inboxes that also witness the ledger (one per country and the EU), with the
# tenants of src/BalticAI.Sovereignty.Api/appsettings.Development.json; their tokens come from the
# development issuer.
: "${BALTICAI_WITNESSES:=pl-uodo:5d1c6c1e-0a8f-4a36-9a5e-000000000105 ee-aki:5d1c6c1e-0a8f-4a36-9a5e-000000000202 lt-vdai:5d1c6c1e-0a8f-4a36-9a5e-000000000302 lv-dvi:5d1c6c1e-0a8f-4a36-9a5e-000000000402 eu-ai-office:5d1c6c1e-0a8f-4a36-9a5e-000000000501}"

_inbox_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

_inbox_dir() {
  case $BALTICAI_INBOX_DIR in
    /*) echo "$BALTICAI_INBOX_DIR" ;;
    *) echo "$(_inbox_root)/$BALTICAI_INBOX_DIR" ;;
  esac
}

_witness_tenant() {
  local entry
  for entry in $BALTICAI_WITNESSES; do
    if [ "${entry%%:*}" = "$1" ]; then echo "${entry##*:}"; return; fi
  done
}

# Prints the broker settings that register every witness (creating witness keys on first use), one
# NAME=VALUE per line, for `env`. Needs a built src/BalticAI.Sovereignty.Cli.
witness_broker_settings() {
  local root cli i=0 entry authority
  root=$(_inbox_root)
  cli="$root/src/BalticAI.Sovereignty.Cli/bin/$BALTICAI_CONFIGURATION/net10.0/balticai.dll"
  mkdir -p "$(_inbox_dir)"
  for entry in $BALTICAI_WITNESSES; do
    authority=${entry%%:*}
    echo "Ledger__Witnesses__${i}__Name=$authority.demo.balticai.eu/witness"
    echo "Ledger__Witnesses__${i}__PublicKey=$(dotnet "$cli" ledger witness-key "$(_inbox_dir)/$authority-witness-key.json")"
    i=$((i + 1))
  done
}

start_inboxes() {
  local broker=${1:?usage: start_inboxes BROKER_URL}
  local root dir dll port entry authority feed tenant
  root=$(_inbox_root)
  dir=$(_inbox_dir)
  dll="$root/src/BalticAI.Sovereignty.RegulatorInbox/bin/$BALTICAI_CONFIGURATION/net10.0/BalticAI.Sovereignty.RegulatorInbox.dll"
  if [ ! -f "$dll" ]; then
    echo "build the inbox first: dotnet build -c $BALTICAI_CONFIGURATION src/BalticAI.Sovereignty.RegulatorInbox" >&2
    return 1
  fi
  mkdir -p "$dir"
  port=$BALTICAI_INBOX_BASE_PORT
  for entry in $BALTICAI_INBOXES; do
    authority=${entry%%:*}
    feed=${entry##*:}
    if [ -f "$dir/$authority.pid" ] && kill -0 "$(cat "$dir/$authority.pid")" 2>/dev/null; then
      port=$((port + 1))
      continue
    fi
    tenant=$(_witness_tenant "$authority")
    (cd "$(dirname "$dll")" || exit 1
      if [ -n "$tenant" ]; then
        export Inbox__Witness__Enabled=true Inbox__Witness__Name="$authority.demo.balticai.eu/witness" \
          Inbox__Witness__KeyFile="$dir/$authority-witness-key.json" Inbox__Witness__TenantId="$tenant" \
          Inbox__Witness__DevelopmentIssuerKeyFile="$root/.data/dev-issuer-key.json"
      fi
      ASPNETCORE_URLS="http://127.0.0.1:$port" Inbox__Authority="$authority" Inbox__Feed="$feed" Inbox__Broker="$broker" \
      nohup dotnet "$dll" >"$dir/$authority.log" 2>&1 &
      echo $! >"$dir/$authority.pid")
    echo "inbox $authority ($feed feed): http://127.0.0.1:$port/inbox/status"
    port=$((port + 1))
  done
}

stop_inboxes() {
  local root pidfile
  root=$(_inbox_root)
  for pidfile in "$(_inbox_dir)"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}
