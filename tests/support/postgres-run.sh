#!/bin/bash
# postgres-run.sh CMD [ARGS...]
#
# Runs CMD against a throw-away PostgreSQL server (Debian's `postgresql`
# package, the newest /usr/lib/postgresql/*/bin found) and returns CMD's exit
# status. The server:
#   - is initdb'ed into a fresh temporary folder, as `nobody` when run as root
#     (PostgreSQL refuses root; CI is root), else as the caller;
#   - listens on 127.0.0.1 only, on a free port, and on a unix socket in that
#     folder; trust authentication for the superuser `mc`; fsync off;
#   - is created with a non-C locale when one exists (en_US.UTF-8), so text
#     ordering that silently relies on a bytewise collation shows;
#   - is stopped and its folder removed when CMD ends, fails or is killed.
# CMD sees:
#   MC_TEST_DATABASE_URL  postgresql://mc@127.0.0.1:PORT/postgres (the
#                         maintenance database: create one database per
#                         instance or test from it; see tests/support/pgtesting.h)
#   MC_TEST_PG_SOCKET_DIR the folder of the unix socket
#   MC_TEST_PG_BIN        the server's bin folder (psql, pg_ctl, ...)
# Without the postgresql package it prints why and exits 1 (the test fails
# visibly instead of passing without a database).
set -u

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres-run.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
    exit 1
fi

dir=$(mktemp -d /tmp/mc-pg.XXXXXX) || exit 1
chmod 755 "$dir"
as_owner=()
if [ "$(id -u)" = 0 ]; then
    chown nobody "$dir"
    as_owner=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

cleanup() {
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

locale=C.UTF-8
if locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then
    locale=en_US.UTF-8
fi
if ! "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U mc --auth=trust --encoding=UTF8 --locale="$locale" \
        >"$dir/initdb.log" 2>&1; then
    echo "postgres-run.sh: initdb failed:" >&2
    cat "$dir/initdb.log" >&2
    exit 1
fi

started=
for _ in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( 20000 + RANDOM % 40000 ))
    if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off \
                -c full_page_writes=off -c max_connections=300 -c dynamic_shared_memory_type=mmap" \
            >/dev/null 2>&1; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "postgres-run.sh: the server did not start:" >&2
    tail -n 30 "$dir/server.log" >&2
    exit 1
fi

export MC_TEST_DATABASE_URL="postgresql://mc@127.0.0.1:$port/postgres"
export MC_TEST_PG_SOCKET_DIR="$dir"
export MC_TEST_PG_BIN="$bin"
"$@"
exit $?
