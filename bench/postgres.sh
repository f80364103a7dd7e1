#!/usr/bin/env bash
# A throwaway PostgreSQL server for the bench, with the server's default durability (fsync on, synchronous commit):
#
#   bench/postgres.sh start   # prints the connection string to pass as --postgres "…"
#   bench/postgres.sh stop    # stops it and deletes its folder
#
# Uses the newest /usr/lib/postgresql/*/bin. initdb refuses to run as root, so as root the server runs as the user
# dispatchpg (created when missing), like the test suite's server.
set -euo pipefail
folder=${DISPATCH_BENCH_PG:-/tmp/dispatch-bench-pg}
port=${DISPATCH_BENCH_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin" >&2; exit 1; }
run() { if [ "$(id -u)" = 0 ]; then runuser -u dispatchpg -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    if [ "$(id -u)" = 0 ] && ! id dispatchpg >/dev/null 2>&1; then useradd --system --no-create-home dispatchpg; fi
    mkdir -p "$folder"
    [ "$(id -u)" = 0 ] && chown dispatchpg "$folder"
    [ -f "$folder/data/PG_VERSION" ] || run "$bin/initdb" -D "$folder/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
    run "$bin/pg_ctl" start -D "$folder/data" -l "$folder/server.log" -w \
      -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=512MB" >/dev/null
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Maximum Pool Size=200"
    ;;
  stop)
    [ -f "$folder/data/postmaster.pid" ] && run "$bin/pg_ctl" stop -D "$folder/data" -m fast -w >/dev/null
    rm -rf "$folder"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
