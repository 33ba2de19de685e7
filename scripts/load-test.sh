#!/usr/bin/env bash
# Decision load test: builds Release, starts PostgreSQL/RabbitMQ on 127.0.0.1 when needed, then runs
# tests/BalticAI.Sovereignty.LoadTests (pgbench INSERT baseline, broker with and without group commit).
# Everything stays on loopback and stops by itself; arguments go to the load test, e.g.
#   scripts/load-test.sh --duration 5 --warm-up 1 --clients 1 8
# except --flush-delay-us N: run everything against a throwaway PostgreSQL on 127.0.0.1:5433 whose every
# fdatasync/fsync returns N µs late (tests/.../SlowFlush/slowflush.c), as on a disk with slower flushes.
# That cluster is removed when the run ends.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
# shellcheck source=lib/services.sh
source scripts/lib/services.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

flush_delay_us=""
load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --flush-delay-us)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "--flush-delay-us needs a whole number of microseconds" >&2; exit 2; }
      flush_delay_us=$2
      shift 2
      ;;
    *)
      load_args+=("$1")
      shift
      ;;
  esac
done

command -v pgbench >/dev/null 2>&1 || apt_install postgresql-contrib

echo "== services"
ensure_services

slow_port=5433
slow_dir=""
stop_slow_postgres() {
  [ -n "$slow_dir" ] || return 0
  as_root su postgres -c "$(pg_bin)/pg_ctl -D '$slow_dir/data' -m fast -w stop" >/dev/null 2>&1 || true
  as_root rm -rf "$slow_dir"
}
pg_bin() {
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1
}
start_slow_postgres() {
  command -v gcc >/dev/null 2>&1 || apt_install gcc libc6-dev
  if pg_isready -q -h 127.0.0.1 -p "$slow_port" 2>/dev/null; then
    echo "127.0.0.1:$slow_port is already taken; --flush-delay-us needs it for its own PostgreSQL" >&2
    exit 2
  fi
  slow_dir=$(mktemp -d /tmp/balticai-slow-flush.XXXXXX)
  trap stop_slow_postgres EXIT
  chmod 755 "$slow_dir"
  gcc -O2 -Wall -Wextra -Werror -shared -fPIC -o "$slow_dir/slowflush.so" \
    tests/BalticAI.Sovereignty.LoadTests/SlowFlush/slowflush.c -ldl
  printf 'postgres\n' > "$slow_dir/pw"
  chown postgres "$slow_dir" "$slow_dir/pw"
  as_root su postgres -c "$(pg_bin)/initdb -D '$slow_dir/data' -U postgres -A scram-sha-256 --pwfile='$slow_dir/pw'" >/dev/null
  cat >> "$slow_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $slow_port
unix_socket_directories = '$slow_dir'
max_connections = 100
shared_buffers = 128MB
CONF
  as_root su postgres -c "LD_PRELOAD='$slow_dir/slowflush.so' SLOW_FLUSH_US=$flush_delay_us $(pg_bin)/pg_ctl -D '$slow_dir/data' -l '$slow_dir/data/server.log' -w start" >/dev/null
  PGPASSWORD=postgres psql -h 127.0.0.1 -p "$slow_port" -U postgres -qc \
    "create role ${BALTICAI_DB_USER} login createdb password '${BALTICAI_DB_PASSWORD}'" -c "create database ${BALTICAI_DB_NAME} owner ${BALTICAI_DB_USER}"
  load_args+=(--pg-port "$slow_port" --setup-note "Throwaway PostgreSQL on 127.0.0.1:$slow_port with every fdatasync/fsync delayed by $flush_delay_us µs (scripts/load-test.sh --flush-delay-us).")
}

echo "== build (Release)"
dotnet build src/BalticAI.Sovereignty.Api -c Release -nologo -clp:ErrorsOnly
dotnet build tests/BalticAI.Sovereignty.LoadTests -c Release -nologo -clp:ErrorsOnly

if [ -n "$flush_delay_us" ]; then
  echo "== PostgreSQL with flushes delayed by $flush_delay_us µs"
  start_slow_postgres
fi

mkdir -p .data
echo "== load"
dotnet tests/BalticAI.Sovereignty.LoadTests/bin/Release/net10.0/BalticAI.Sovereignty.LoadTests.dll --repo "$repo" "${load_args[@]}"
