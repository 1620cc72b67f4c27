#!/usr/bin/env bash
# Start the Postgres and Redis servers the tests use, when they are not already running.
# (Debian packages, as on this project's machines; a CI machine starts them before the run.)
set -uo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
  echo "starting Postgres"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 30); do pg_up && break; sleep 1; done
fi
pg_up && psql -h 127.0.0.1 -U postgres -tAc "select 1 from pg_database where datname='test'" \
  | grep -q 1 || createdb -h 127.0.0.1 -U postgres test 2>/dev/null || true

if ! redis_up; then
  echo "starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 30); do redis_up && break; sleep 1; done
fi

pg_up || echo "warning: Postgres is not reachable; its tests will be skipped" >&2
redis_up || echo "warning: Redis is not reachable; its tests will be skipped" >&2
