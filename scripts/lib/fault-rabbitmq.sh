#!/usr/bin/env bash
# A second, private RabbitMQ node for the fault tests (fault@localhost, AMQP 127.0.0.1:5673, Erlang
# distribution 25673), so that stopping and starting it never disturbs the shared node on 5672.
# Usage: fault-rabbitmq.sh start|stop|wipe. `start` keeps the node's data (queues survive a restart);
# `wipe` stops the node and deletes its data. Idempotent; every wait is bounded.
set -euo pipefail

: "${BALTICAI_FAULT_RABBITMQ_DIR:=/tmp/balticai-fault-rabbitmq}"
: "${BALTICAI_FAULT_RABBITMQ_PORT:=5673}"
: "${BALTICAI_FAULT_RABBITMQ_DIST_PORT:=25673}"
node=fault@localhost
base=$BALTICAI_FAULT_RABBITMQ_DIR

as_rabbitmq() {
  if [ "$(id -u)" -eq 0 ]; then
    su -s /bin/bash rabbitmq -c "$*"
  else
    sudo -u rabbitmq bash -c "$*"
  fi
}

node_env() {
  echo "HOME=/var/lib/rabbitmq RABBITMQ_NODENAME=$node RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
    "RABBITMQ_NODE_PORT=$BALTICAI_FAULT_RABBITMQ_PORT RABBITMQ_DIST_PORT=$BALTICAI_FAULT_RABBITMQ_DIST_PORT" \
    "RABBITMQ_MNESIA_BASE=$base/mnesia RABBITMQ_LOG_BASE=$base/log" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins RABBITMQ_CONFIG_FILE=$base/rabbitmq.conf"
}

running() {
  timeout 20 rabbitmqctl -q -n "$node" status >/dev/null 2>&1
}

start() {
  if running; then return 0; fi
  mkdir -p "$base/mnesia" "$base/log"
  printf '[].\n' >"$base/enabled_plugins"
  printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\n' "$BALTICAI_FAULT_RABBITMQ_PORT" >"$base/rabbitmq.conf"
  chown -R rabbitmq:rabbitmq "$base" 2>/dev/null || true
  as_rabbitmq "env $(node_env) /usr/lib/rabbitmq/bin/rabbitmq-server -detached" >/dev/null 2>&1
  # await_startup gives up at once while the node is not yet known to epmd: ask again, bounded.
  local i
  for i in $(seq 1 60); do
    if timeout 30 rabbitmqctl -q -n "$node" await_startup >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "fault@localhost did not start; see $base/log" >&2
  return 1
}

stop() {
  if ! running; then return 0; fi
  timeout 60 rabbitmqctl -q -n "$node" stop >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 60); do
    running || return 0
    sleep 1
  done
  echo "fault@localhost did not stop" >&2
  return 1
}

wipe() {
  stop
  rm -rf "$base"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  wipe) wipe ;;
  *) echo "usage: $0 start|stop|wipe" >&2; exit 2 ;;
esac
