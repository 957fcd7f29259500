#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and CI: initdb in a fresh temporary folder, trust
# authentication for the superuser `postgres`, listening on 127.0.0.1 only, on a free port.
#
#   scripts/postgres-throwaway.sh start        prints the cluster's URL, then its folder (two lines)
#   scripts/postgres-throwaway.sh stop FOLDER  stops that cluster by its postmaster's PID and removes the folder
#   scripts/postgres-throwaway.sh serve        start, then stop once standard input reaches its end
#
# `serve` is for a test process that starts a cluster for itself: it holds the other end of this
# script's standard input for as long as it lives, so the cluster goes when the process does,
# however it ends (even killed).
#
# initdb and pg_ctl refuse to run as root: as root they run as the `postgres` user. They are taken
# from PATH, else from Debian's /usr/lib/postgresql/VERSION/bin (`apt-get install postgresql`).
set -euo pipefail

die() {
    echo "postgres-throwaway: $*" >&2
    exit 1
}

find_tool() {
    local name=$1 found
    if found=$(command -v "$name" 2>/dev/null); then
        echo "$found"
        return
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$found" ] || die "$name not found on PATH nor in /usr/lib/postgresql/*/bin; install PostgreSQL (Debian: apt-get install postgresql, or bash .ci/install-deps --with-postgres)"
    echo "$found"
}

# Runs a PostgreSQL tool as the user that owns the cluster.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
    local initdb pg_ctl folder port attempt
    initdb=$(find_tool initdb)
    pg_ctl=$(find_tool pg_ctl)
    folder=$(mktemp -d "${TMPDIR:-/tmp}/sessionsync-postgres.XXXXXXXX")
    # mktemp's 0700 would keep the postgres user out of its own cluster.
    chmod 0711 "$folder"
    mkdir "$folder/socket"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user to own the cluster (Debian's postgresql package creates it)"
        chown -R postgres: "$folder"
    fi
    if ! as_owner "$initdb" --pgdata="$folder/data" --auth=trust --username=postgres --encoding=UTF8 --no-locale \
        >"$folder/initdb.log" 2>&1; then
        cat "$folder/initdb.log" >&2
        rm -rf "$folder"
        die "initdb failed (its output is above)"
    fi
    # A port nobody listens on; if another process takes it first, the start fails and the next is tried.
    for attempt in $(seq 1 20); do
        port=$((20000 + RANDOM % 40000))
        port_in_use "$port" && continue
        if as_owner "$pg_ctl" --pgdata="$folder/data" --log="$folder/server.log" --wait --timeout=60 \
            -o "-p $port -k $folder/socket -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null 2>&1; then
            echo "postgres://postgres@127.0.0.1:$port/postgres"
            echo "$folder"
            return
        fi
        grep -q "could not bind\|already in use" "$folder/server.log" 2>/dev/null || break
    done
    cat "$folder/server.log" >&2 2>/dev/null || true
    rm -rf "$folder"
    die "the server did not start (its log is above)"
}

stop() {
    local folder=${1:-}
    [ -n "$folder" ] || die "usage: $0 stop FOLDER (the second line that start printed)"
    [ -d "$folder/data" ] || die "$folder is not a folder this script started a cluster in"
    local pid
    if pid=$(head -n 1 "$folder/data/postmaster.pid" 2>/dev/null) && [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        # SIGINT is PostgreSQL's fast shutdown: clients are disconnected, nothing waits for them.
        kill -INT "$pid"
        timeout 60 tail --pid="$pid" -f /dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$folder"
}

serve() {
    local started url folder
    started=$(start)
    url=${started%%$'\n'*}
    folder=${started#*$'\n'}
    # Expanded now: the trap runs after this function has returned and its locals are gone.
    trap "stop '$folder'" EXIT
    trap 'exit 143' TERM INT HUP
    echo "$url"
    echo "$folder"
    # Whoever read the URL may be gone by the time the cluster stops: nothing more is written to it.
    exec >/dev/null 2>&1
    cat || true
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
serve) serve ;;
*) die "usage: $0 start | stop FOLDER | serve" ;;
esac
