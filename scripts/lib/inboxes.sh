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

_inbox_root() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd
}

_inbox_dir() {
  case $BALTICAI_INBOX_DIR in
    /*) echo "$BALTICAI_INBOX_DIR" ;;
    *) echo "$(_inbox_root)/$BALTICAI_INBOX_DIR" ;;
  esac
}

start_inboxes() {
  local broker=${1:?usage: start_inboxes BROKER_URL}
  local root dir dll port entry authority feed
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
    (cd "$(dirname "$dll")" || exit 1
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
