#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL server: a private data directory, a private
# port on 127.0.0.1, run as the postgres user, stopped and removed afterwards.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
# The command sees COALITION_TEST_DATABASE_URL pointing at an empty database.
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "PostgreSQL server binaries not found: install Debian's 'postgresql' package." >&2
  exit 1
fi
PORT=${PGTEST_PORT:-55432}
DIR=$(mktemp -d /tmp/coalition-pg.XXXXXX)
chmod 755 "$DIR"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi

cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres coalition_test

export COALITION_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/coalition_test"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on port $PORT" >&2
"$@"
