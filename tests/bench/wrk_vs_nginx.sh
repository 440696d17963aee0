#!/usr/bin/env bash
# Side by side: GET /api/mission-control/tasks from our server, and the very
# same bytes served by nginx (one worker, a temporary config on a loopback
# port, run from a temporary folder; no system config is read or touched),
# both loaded by wrk with the same threads, connections and duration.
# Prints requests/s of each, the CPU time each server spent per request, and
# the ratios ours / nginx.
#
# Usage: tests/bench/wrk_vs_nginx.sh [BUILD_DIR] [TASKS] [SECONDS] [CONNECTIONS]
#   defaults: build 150 10 16   (150 tasks -> the default page of 100, ~58 KB)
# Needs: wrk, nginx, curl (Debian packages wrk, nginx, curl).
set -euo pipefail
build=$(realpath "${1:-build}")
tasks=${2:-150}
seconds=${3:-10}
connections=${4:-16}
binary=$build/bin/mission-control
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "needs $tool (apt-get install $tool)"; exit 2; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$binary" ] || { echo "no $binary: build the project first"; exit 2; }

work=$(mktemp -d /tmp/mc-wrk-nginx.XXXXXX)
server_pid=""
nginx_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Our server, headless, in a fresh data folder.
port=$(free_port)
token=$("$binary" --data-dir "$work/data" --print-token)
"$binary" --headless --data-dir "$work/data" --port "$port" > "$work/server.log" 2>&1 &
server_pid=$!
base=http://127.0.0.1:$port/api/mission-control
for _ in $(seq 100); do curl -sf -o /dev/null "$base/health?token=$token" && break; sleep 0.1; done
desc='A task with a description of a realistic length, so the page weighs what a real one does.'
for i in $(seq "$tasks"); do
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d "{\"title\": \"task $i\", \"description\": \"$desc\", \"tags\": [\"bench\", \"t$((i % 7))\"]}" "$base/tasks"
done
mkdir -p "$work/www/api/mission-control"
curl -sf -H "Authorization: Bearer $token" "$base/tasks" -o "$work/www/api/mission-control/tasks"
size=$(stat -c %s "$work/www/api/mission-control/tasks")
chmod -R a+rX "$work"   # nginx's worker may run as another user (as root: nobody)

# nginx: one worker, the saved answer as a static file, same Content-Type.
nport=$(free_port)
cat > "$work/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$nport;
        root $work/www;
        default_type application/json;
        location / { }
    }
}
EOF
mkdir -p "$work/tmp"
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" &
nginx_pid=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$nport/api/mission-control/tasks" && break; sleep 0.1; done
cmp -s <(curl -sf "http://127.0.0.1:$nport/api/mission-control/tasks") <(curl -sf -H "Authorization: Bearer $token" "$base/tasks") \
    || { echo "nginx and the server do not answer the same bytes"; exit 1; }

cpu_ticks() {   # user + system clock ticks of a process and its children threads
    awk '{print $14 + $15}' "/proc/$1/stat"
}
# wrk's requests/s and request count, and the server's CPU time per request:
# on a machine shared with other work, CPU per request is the steadier figure.
measure() {   # URL PID [HEADER]
    local before after out
    before=$(cpu_ticks "$2")
    out=$(wrk -t1 -c"$connections" -d"${seconds}s" ${3:+-H "$3"} "$1")
    after=$(cpu_ticks "$2")
    echo "$out" | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        /requests in/ { n = $1 } /^Requests\/sec/ { r = $2 }
        END { printf "%.0f %.1f\n", r, ticks / hz * 1e6 / n }'
}
nginx_worker=$(pgrep -P "$nginx_pid" | head -1)
echo "GET /api/mission-control/tasks: $tasks tasks stored, answer $size bytes; wrk -t1 -c$connections -d${seconds}s"
read -r ours ours_cpu < <(measure "$base/tasks" "$server_pid" "Authorization: Bearer $token")
read -r theirs theirs_cpu < <(measure "http://127.0.0.1:$nport/api/mission-control/tasks" "$nginx_worker")
printf 'mission-control  %8.0f requests/s  %6.1f us CPU per request\n' "$ours" "$ours_cpu"
printf 'nginx (1 worker) %8.0f requests/s  %6.1f us CPU per request\n' "$theirs" "$theirs_cpu"
awk -v a="$ours" -v b="$theirs" -v ac="$ours_cpu" -v bc="$theirs_cpu" \
    'BEGIN { printf "ratio ours/nginx %8.2f (requests/s)   %.2f (nginx CPU / our CPU per request)\n", a / b, bc / ac }'
