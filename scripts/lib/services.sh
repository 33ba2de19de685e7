#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and RabbitMQ bound to 127.0.0.1, idempotently.
# Sourced by run.sh and test.sh; safe to run again while the services are already up.
set -euo pipefail

: "${BALTICAI_DB_NAME:=balticai}"
: "${BALTICAI_DB_USER:=balticai}"
: "${BALTICAI_DB_PASSWORD:=balticai}"

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=false
apt_install() {
  if [ "$apt_updated" = false ]; then
    as_root apt-get update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    apt_install postgresql
  fi
  # Debian's default listen_addresses is 'localhost'; say it explicitly so a changed default cannot widen it.
  local conf
  for conf in /etc/postgresql/*/main/postgresql.conf; do
    [ -f "$conf" ] || continue
    if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
      as_root sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$conf"
      as_root service postgresql restart >/dev/null
    fi
  done
  as_root service postgresql start >/dev/null
  local i
  for i in $(seq 1 30); do
    if as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
    sleep 1
  done
  as_root su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname = '${BALTICAI_DB_USER}'\"" | grep -q 1 \
    || as_root su postgres -c "psql -qc \"create role ${BALTICAI_DB_USER} login createdb password '${BALTICAI_DB_PASSWORD}'\""
  as_root su postgres -c "psql -qtAc \"select 1 from pg_database where datname = '${BALTICAI_DB_NAME}'\"" | grep -q 1 \
    || as_root su postgres -c "createdb -O ${BALTICAI_DB_USER} ${BALTICAI_DB_NAME}"
}

write_if_changed() {
  # write_if_changed FILE CONTENT: returns 0 when the file changed.
  local file=$1 content=$2
  if [ -f "$file" ] && [ "$(cat "$file")" = "$content" ]; then return 1; fi
  printf '%s\n' "$content" | as_root tee "$file" >/dev/null
  return 0
}

ensure_rabbitmq() {
  local changed=false
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    as_root mkdir -p /etc/rabbitmq
    # Configure before the package's first start so nothing ever listens beyond loopback.
    write_loopback_rabbitmq_config || true
    apt_install rabbitmq-server
    changed=true
  fi
  as_root mkdir -p /etc/rabbitmq
  if write_loopback_rabbitmq_config; then changed=true; fi
  if [ "$changed" = true ]; then
    as_root service rabbitmq-server stop >/dev/null 2>&1 || true
    as_root pkill -x epmd >/dev/null 2>&1 || true
  fi
  if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
    as_root service rabbitmq-server start >/dev/null
  fi
  as_root timeout 120 rabbitmqctl -q await_startup
}

write_loopback_rabbitmq_config() {
  local a=1 b=1
  write_if_changed /etc/rabbitmq/rabbitmq.conf "listeners.tcp.default = 127.0.0.1:5672
loopback_users.guest = true" && a=0
  write_if_changed /etc/rabbitmq/rabbitmq-env.conf 'NODE_IP_ADDRESS=127.0.0.1
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"' && b=0
  [ $a -eq 0 ] || [ $b -eq 0 ]
}

ensure_services() {
  ensure_postgres
  ensure_rabbitmq
}
