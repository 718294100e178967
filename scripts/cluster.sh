#!/usr/bin/env bash
# A try-out cluster on this machine, from Debian's packages: PostgreSQL, Redis, N Voxgate nodes and nginx in front,
# all inside one directory (docs/deploy.md).
#
#   scripts/cluster.sh start  [--dir DIR] [--nodes N] [--listen ADDR]
#   scripts/cluster.sh stop   [--dir DIR] [--clean]
#   scripts/cluster.sh status [--dir DIR]
#
#   DIR   the cluster's directory (default ./cluster): data, sockets, logs, pid files, the admin key
#   N     how many nodes (default 3): node-1 .. node-N, each on a Unix socket DIR/node-K.sock
#   ADDR  where nginx listens: HOST:PORT (default 127.0.0.1:8080) or unix:/path/nginx.sock
#
# 'start' waits until every node's /readyz and nginx answer. On a cluster that runs, it starts again what does not
# (a killed node, say), with the cluster's own N and ADDR. A DIR that held a cluster keeps its N and ADDR unless they
# are given. 'stop' ends nginx, the nodes (SIGTERM, SIGKILL after 40 s), Redis and PostgreSQL, and keeps DIR unless
# --clean.
#
# Environment: VOXGATE_DLL (a built voxgate.dll: no build), VOXGATE_ADMIN_KEY (else one is generated into
# DIR/admin.key), VOXGATE_CLUSTER_REDIS=off (no Redis: every node limits on its own), VOXGATE_CLUSTER_TIMEOUT
# (seconds to wait for everything to be ready, default 120). Other Voxgate settings in the environment (VOXGATE_AUTH,
# Voxgate__...) reach every node.
#
# Nothing outside DIR is touched: no system service, nothing in /etc, no port but ADDR. PostgreSQL listens only on
# its socket in DIR, Redis only on DIR/redis.sock, the nodes only on their sockets. PostgreSQL refuses to run as root,
# so under root it runs as Debian's postgres user, and DIR is made reachable for that user's group.
# 'status' exits 0 when every part runs, 3 when something does not.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
nginx_site="$root/deploy/nginx/voxgate.conf"

usage() {
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}" >&2
  exit 2
}

fail() {
  echo "cluster.sh: $*" >&2
  exit 1
}

command_name="${1:-}"
case "$command_name" in
  start|stop|status) shift ;;
  *) usage ;;
esac
dir=./cluster
nodes=3
listen=127.0.0.1:8080
clean=false
nodes_given=false
listen_given=false
redis=on
if [[ "${VOXGATE_CLUSTER_REDIS:-on}" == "off" ]]; then
  redis=off
fi
while (($#)); do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --nodes) nodes="${2:?--nodes needs a number}"; nodes_given=true; shift 2 ;;
    --listen) listen="${2:?--listen needs HOST:PORT or unix:PATH}"; listen_given=true; shift 2 ;;
    --clean) clean=true; shift ;;
    -h|--help) usage ;;
    *) echo "cluster.sh: unknown option $1" >&2; usage ;;
  esac
done

if [[ ! -d "$dir" ]]; then
  case "$command_name" in
    start) mkdir -p "$dir" ;;
    stop) echo "No cluster in $dir." >&2; exit 0 ;;
    status) echo "No cluster in $dir."; exit 3 ;;
  esac
fi
dir="$(cd "$dir" && pwd)"
# Paths go unquoted into nginx's and PostgreSQL's configuration, and sockets have a short limit (107 bytes).
[[ "$dir" =~ ^[A-Za-z0-9._/@+-]+$ ]] || fail "use a --dir whose path has only letters, digits and ._/@+- (not '$dir')"
((${#dir} <= 80)) || fail "the --dir path is too long for the Unix sockets inside it (at most 80 characters): $dir"
as_root=false
if [[ $(id -u) -eq 0 ]]; then
  as_root=true
fi

timeout_seconds="${VOXGATE_CLUSTER_TIMEOUT:-120}"
[[ "$timeout_seconds" =~ ^[1-9][0-9]*$ ]] || fail "VOXGATE_CLUSTER_TIMEOUT takes whole seconds (not '$timeout_seconds')"
stop_seconds=40 # beyond a node's own 30 s for its streams to finish (the .NET host's shutdown timeout)

# --- processes ----------------------------------------------------------------------------------------------------

# The pid in a pid file, when that process is alive and is this cluster's (its command line names a path in DIR): a
# pid file left by a reboot may name some other process by now.
live_pid() {
  local file="$1" pid
  [[ -s "$file" ]] || return 1
  pid="$(head -n 1 "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/" || return 1
  echo "$pid"
}

# Waits up to $2 seconds for a process to end; true when it has.
wait_gone() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# SIGTERM (or $3), then SIGKILL if the process outlives $2 seconds.
terminate() {
  local pid="$1" grace="$2" signal="${3:-TERM}"
  kill "-$signal" "$pid" 2>/dev/null || return 0
  if ! wait_gone "$pid" "$grace"; then
    echo "  pid $pid still runs after ${grace}s: SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || true
  fi
}

node_names() {
  local file
  for file in "$dir"/node-*.pid; do
    if [[ -e "$file" ]]; then
      basename "$file" .pid
    fi
  done
}

# --- PostgreSQL ---------------------------------------------------------------------------------------------------

pg_bin() {
  local bin
  bin="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$bin" && -x "$bin/initdb" ]] || return 1
  echo "$bin"
}

# Runs a PostgreSQL program, as the postgres user under root (PostgreSQL refuses to run as root), from DIR (the
# postgres user may not enter the caller's working directory).
pg() {
  local tool="$1" bin
  shift
  bin="$(pg_bin)"
  if $as_root; then
    (cd "$dir" && runuser -u postgres -- "$bin/$tool" "$@")
  else
    (cd "$dir" && "$bin/$tool" "$@")
  fi
}

pg_running() {
  [[ -f "$dir/postgres/PG_VERSION" ]] && pg pg_ctl -D "$dir/postgres" status >/dev/null 2>&1
}

start_postgres() {
  if $as_root; then
    # The server creates its socket and lock file in DIR: its group may enter and write there.
    chgrp postgres "$dir"
    chmod 0770 "$dir"
    runuser -u postgres -- test -w "$dir" -a -x "$dir" \
      || fail "PostgreSQL runs as the postgres user and cannot reach $dir (a parent directory is closed to it); choose a --dir under /tmp, say"
  fi
  if [[ ! -f "$dir/postgres/PG_VERSION" ]]; then
    echo "Creating the PostgreSQL database in $dir/postgres" >&2
    mkdir -p "$dir/postgres"
    if $as_root; then
      chown postgres:postgres "$dir/postgres"
    fi
    chmod 0700 "$dir/postgres"
    pg initdb -D "$dir/postgres" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { tail -n 20 "$dir/initdb.log" >&2; fail "initdb failed (log: $dir/initdb.log)"; }
  fi
  # Only the Unix socket in DIR, no TCP. Connections: every node pools its own (up to 100 by default).
  pg pg_ctl -D "$dir/postgres" -l "$dir/postgres.log" -w -t "$timeout_seconds" \
    -o "-c listen_addresses='' -k $dir -c max_connections=300" start >/dev/null 2>&1 </dev/null \
    || { tail -n 20 "$dir/postgres.log" >&2; fail "PostgreSQL did not start (log: $dir/postgres.log)"; }
  # The role and database the nodes use: an owner, not a superuser.
  if [[ -z "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'voxgate'")" ]]; then
    psql_admin -qc "CREATE ROLE voxgate LOGIN" >/dev/null
  fi
  if [[ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'voxgate'")" ]]; then
    psql_admin -qc "CREATE DATABASE voxgate OWNER voxgate" >/dev/null
  fi
}

psql_admin() {
  pg psql -X -v ON_ERROR_STOP=1 -h "$dir" -U postgres -d postgres "$@"
}

stop_postgres() {
  if pg_running; then
    echo "Stopping PostgreSQL" >&2
    pg pg_ctl -D "$dir/postgres" -m fast -w -t 60 stop >/dev/null 2>&1 </dev/null || true
  fi
}

# --- Redis --------------------------------------------------------------------------------------------------------

redis_enabled() {
  [[ "$redis" == on ]]
}

start_redis() {
  # Limits only, nothing to keep: no port, no snapshots, no append-only file. (The log is read only once
  # redis-server has returned.)
  # shellcheck disable=SC2094
  redis-server --port 0 --unixsocket "$dir/redis.sock" --unixsocketperm 700 --save "" --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir" \
    </dev/null >>"$dir/redis.log" 2>&1 || { tail -n 20 "$dir/redis.log" >&2; fail "Redis did not start (log: $dir/redis.log)"; }
  local deadline=$((SECONDS + timeout_seconds))
  until [[ "$(redis-cli -s "$dir/redis.sock" ping 2>/dev/null)" == "PONG" ]]; do
    ((SECONDS < deadline)) || { tail -n 20 "$dir/redis.log" >&2; fail "Redis did not answer on $dir/redis.sock (log: $dir/redis.log)"; }
    sleep 0.2
  done
}

# --- nodes --------------------------------------------------------------------------------------------------------

voxgate_dll() {
  if [[ -n "${VOXGATE_DLL:-}" ]]; then
    [[ -f "$VOXGATE_DLL" ]] || fail "VOXGATE_DLL=$VOXGATE_DLL does not exist"
    (cd "$(dirname "$VOXGATE_DLL")" && echo "$(pwd)/$(basename "$VOXGATE_DLL")")
    return
  fi
  # ./voxgate installs missing runtime libraries and builds when the build is missing or older than the sources.
  "$root/voxgate" --version >/dev/null
  echo "$root/src/Voxgate/bin/Release/net10.0/voxgate.dll"
}

admin_key() {
  if [[ -n "${VOXGATE_ADMIN_KEY:-}" ]]; then
    echo "$VOXGATE_ADMIN_KEY"
    return
  fi
  if [[ ! -s "$dir/admin.key" ]]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/admin.key")
  fi
  chmod 600 "$dir/admin.key"
  cat "$dir/admin.key"
}

start_node() {
  local name="$1" dll="$2" key="$3"
  mkdir -p "$dir/$name"
  rm -f "$dir/$name.pid"
  local -a environment=(
    "VOXGATE_NODE=$name"
    "VOXGATE_DATA=$dir/$name"
    "VOXGATE_FILES=$dir/files"
    "VOXGATE_DATABASE=postgres:Host=$dir;Username=voxgate;Database=voxgate"
    "VOXGATE_ADMIN_KEY=$key"
    # Each log line with its request ids, so a line of nginx's access log (request_id=...) leads to the node's lines.
    "Logging__Console__FormatterOptions__IncludeScopes=${Logging__Console__FormatterOptions__IncludeScopes:-true}"
    # Only nginx reaches the nodes (their sockets are in DIR): its X-Forwarded-Proto makes the download links.
    "Voxgate__Proxy__TrustForwardedHeaders=true"
  )
  if redis_enabled; then
    environment+=("VOXGATE_REDIS=unix:$dir/redis.sock")
  fi
  # Its own session (no terminal's signals), its output in its log; the pid written by the process that becomes dotnet.
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  env -u VOXGATE_REDIS -u VOXGATE_HOST -u VOXGATE_PORT "${environment[@]}" \
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' node "$dir/$name.pid" \
    dotnet "$dll" serve --host "unix:$dir/$name.sock" </dev/null >>"$dir/$name.log" 2>&1 &
  local deadline=$((SECONDS + 10))
  until [[ -s "$dir/$name.pid" ]]; do
    ((SECONDS < deadline)) || fail "$name did not start (log: $dir/$name.log)"
    sleep 0.1
  done
}

# --- nginx --------------------------------------------------------------------------------------------------------

# The URL clients use.
client_url() {
  if [[ "$listen" == unix:* ]]; then
    echo "http://localhost/ over the socket ${listen#unix:}"
  else
    echo "http://$listen/"
  fi
}

# curl arguments that reach nginx (or a node's socket) for PATH.
curl_to() {
  local target="$1" path="$2"
  if [[ "$target" == unix:* ]]; then
    printf '%s\n' --unix-socket "${target#unix:}" "http://localhost$path"
  else
    printf '%s\n' "http://$target$path"
  fi
}

http_status() {
  local -a arguments
  mapfile -t arguments < <(curl_to "$1" "$2")
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${arguments[@]}" 2>/dev/null || true
}

write_nginx_conf() {
  local name k
  mkdir -p "$dir/voxgate" "$dir/nginx-temp"
  {
    echo "# Written by scripts/cluster.sh at every start: the nodes of this cluster."
    for ((k = 1; k <= nodes; k++)); do
      echo "server unix:$dir/node-$k.sock max_fails=2 fail_timeout=10s;"
    done
  } >"$dir/voxgate/nodes.conf"
  {
    echo "# Written by scripts/cluster.sh at every start."
    echo "listen $listen;"
    echo "access_log $dir/nginx-access.log voxgate;"
  } >"$dir/voxgate/server.conf"
  {
    echo "# Written by scripts/cluster.sh at every start: nginx confined to $dir, around $nginx_site."
    if $as_root; then
      # Workers run as root too, since the nodes' sockets are root's (only writable by their owner).
      echo "user root;"
    fi
    echo "daemon on;"
    echo "worker_processes 1;"
    echo "pid $dir/nginx.pid;"
    echo "lock_file $dir/nginx.lock;"
    echo "error_log $dir/nginx-error.log;"
    echo "events { worker_connections 1024; }"
    echo "http {"
    for name in client_body proxy fastcgi uwsgi scgi; do
      echo "    ${name}_temp_path $dir/nginx-temp/$name;"
    done
    echo "    include \"$nginx_site\";"
    echo "}"
  } >"$dir/nginx.conf"
}

start_nginx() {
  write_nginx_conf
  if [[ "$listen" == unix:* && -S "${listen#unix:}" ]]; then
    # A socket a killed nginx left: nginx would refuse to bind over it. One that answers belongs to someone else.
    [[ "$(http_status "$listen" /)" == "000" ]] || fail "something already listens on ${listen#unix:}"
    rm -f "${listen#unix:}"
  fi
  local -a nginx_command=(nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/nginx-error.log")
  "${nginx_command[@]}" -t -q </dev/null >>"$dir/nginx-error.log" 2>&1 \
    || { tail -n 20 "$dir/nginx-error.log" >&2; fail "nginx refuses the configuration $dir/nginx.conf"; }
  "${nginx_command[@]}" </dev/null >>"$dir/nginx-error.log" 2>&1 \
    || { tail -n 20 "$dir/nginx-error.log" >&2; fail "nginx did not start (log: $dir/nginx-error.log)"; }
}

# --- commands -----------------------------------------------------------------------------------------------------

require_tools() {
  local missing=() tool
  pg_bin >/dev/null || missing+=(postgresql)
  for tool in redis-server:redis-server redis-cli:redis-tools nginx:nginx-light curl:curl dotnet:dotnet; do
    if [[ "${tool%%:*}" == redis-* ]] && ! redis_enabled; then
      continue
    fi
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool#*:}")
  done
  if ((${#missing[@]})); then
    fail "missing: ${missing[*]}. scripts/ensure-deps.sh --test installs PostgreSQL, Redis and nginx from Debian's packages (note: on a machine with systemd, Debian starts their own system services on installation)"
  fi
}

# A setting the cluster in DIR was started with (cluster.env): nodes, listen or redis.
recorded() {
  sed -n "s/^$1=//p" "$dir/cluster.env"
}

# What runs now, one line per part; false when something does not.
report_status() {
  local all=true pid name k
  [[ -f "$dir/cluster.env" ]] || { echo "No cluster in $dir."; return 1; }
  nodes="$(recorded nodes)"
  listen="$(recorded listen)"
  redis="$(recorded redis)"
  echo "Voxgate cluster in $dir ($nodes nodes, nginx on $listen):"
  if pg_running; then
    echo "  postgres  running   socket in $dir, database voxgate"
  else
    echo "  postgres  stopped"; all=false
  fi
  if [[ "$redis" == on ]]; then
    if pid="$(live_pid "$dir/redis.pid")"; then
      echo "  redis     running   pid $pid, $dir/redis.sock"
    else
      echo "  redis     stopped"; all=false
    fi
  else
    echo "  redis     off       (VOXGATE_CLUSTER_REDIS=off: limits per node)"
  fi
  for ((k = 1; k <= nodes; k++)); do
    name="node-$k"
    if pid="$(live_pid "$dir/$name.pid")"; then
      echo "  $name    running   pid $pid, $dir/$name.sock, /readyz $(http_status "unix:$dir/$name.sock" /readyz)"
    else
      echo "  $name    stopped   (log: $dir/$name.log)"; all=false
    fi
  done
  if pid="$(live_pid "$dir/nginx.pid")"; then
    echo "  nginx     running   pid $pid, $(client_url), /readyz $(http_status "$listen" /readyz)"
  else
    echo "  nginx     stopped"; all=false
  fi
  $all
}

cluster_running() {
  local name
  pg_running && return 0
  live_pid "$dir/redis.pid" >/dev/null && return 0
  live_pid "$dir/nginx.pid" >/dev/null && return 0
  for name in $(node_names); do
    live_pid "$dir/$name.pid" >/dev/null && return 0
  done
  return 1
}

# Prints the end of a log, for the part that did not come up.
show_log() {
  echo "--- last lines of $1 ---" >&2
  tail -n 30 "$1" >&2 2>/dev/null || true
}

wait_ready() {
  local deadline=$((SECONDS + timeout_seconds)) pending name k
  while :; do
    pending=()
    for ((k = 1; k <= nodes; k++)); do
      name="node-$k"
      if ! live_pid "$dir/$name.pid" >/dev/null; then
        show_log "$dir/$name.log"
        fail "$name exited during start-up (log: $dir/$name.log)"
      fi
      [[ "$(http_status "unix:$dir/$name.sock" /readyz)" == 200 ]] || pending+=("$name")
    done
    if ((${#pending[@]} == 0)) && [[ "$(http_status "$listen" /readyz)" == 200 ]]; then
      return 0
    fi
    if ((SECONDS >= deadline)); then
      for name in "${pending[@]}"; do
        show_log "$dir/$name.log"
      done
      ((${#pending[@]})) || show_log "$dir/nginx-error.log"
      fail "not ready after ${timeout_seconds}s: ${pending[*]:-nginx}"
    fi
    sleep 0.5
  done
}

start() {
  local dll key k fresh=true recorded_nodes="" recorded_listen="" recorded_redis=""
  if [[ -f "$dir/cluster.env" ]]; then
    recorded_nodes="$(recorded nodes)"
    recorded_listen="$(recorded listen)"
    recorded_redis="$(recorded redis)"
    $nodes_given || nodes="$recorded_nodes"
    $listen_given || listen="$recorded_listen"
  elif [[ -n "$(ls -A "$dir")" ]]; then
    fail "$dir holds something that is not a cluster; choose an empty or new --dir"
  fi
  [[ "$nodes" =~ ^[1-9][0-9]?$ ]] || fail "--nodes takes a number from 1 to 99 (not '$nodes')"
  [[ "$listen" =~ ^unix:/.+ || "$listen" =~ ^[^/[:space:]]+:[0-9]+$ ]] || fail "--listen takes HOST:PORT or unix:/path (not '$listen')"
  if cluster_running; then
    # Completing a cluster that runs: its shape stays as it is.
    [[ "$nodes" == "$recorded_nodes" && "$listen" == "$recorded_listen" ]] \
      || fail "the cluster in $dir runs with $recorded_nodes nodes on $recorded_listen: scripts/cluster.sh stop --dir $dir first to change that"
    redis="$recorded_redis"
    fresh=false
  fi
  require_tools
  dll="$(voxgate_dll)"
  printf 'nodes=%s\nlisten=%s\nredis=%s\n' "$nodes" "$listen" "$redis" >"$dir/cluster.env"
  # Anything that fails from here stops what started (all of it, unless the cluster ran before); the logs stay.
  if $fresh; then
    trap 'echo "Stopping what started." >&2; stop_all >/dev/null 2>&1 || true' EXIT
  fi
  key="$(admin_key)"
  ((${#key} >= 16)) || fail "VOXGATE_ADMIN_KEY must be at least 16 characters"
  mkdir -p "$dir/files"

  pg_running || start_postgres
  if redis_enabled && ! live_pid "$dir/redis.pid" >/dev/null; then
    start_redis
  fi
  for ((k = 1; k <= nodes; k++)); do
    if ! live_pid "$dir/node-$k.pid" >/dev/null; then
      echo "Starting node-$k" >&2
      start_node "node-$k" "$dll" "$key"
    fi
  done
  live_pid "$dir/nginx.pid" >/dev/null || start_nginx
  wait_ready
  trap - EXIT

  echo "Voxgate cluster ready: $nodes nodes behind nginx, PostgreSQL$(redis_enabled && echo ", Redis") and shared files in $dir."
  echo "  URL:        $(client_url)"
  if [[ -n "${VOXGATE_ADMIN_KEY:-}" ]]; then
    echo "  admin key:  the VOXGATE_ADMIN_KEY given"
  else
    echo "  admin key:  $dir/admin.key"
  fi
  echo "  logs:       $dir/node-K.log, nginx-access.log, nginx-error.log, postgres.log$(redis_enabled && echo ", redis.log")"
  echo "  CLI:        VOXGATE_DATABASE='postgres:Host=$dir;Username=voxgate;Database=voxgate' VOXGATE_FILES=$dir/files ./voxgate accounts list"
  echo "  stop:       scripts/cluster.sh stop --dir $dir"
}

stop_all() {
  local pid name pids=()
  if pid="$(live_pid "$dir/nginx.pid")"; then
    echo "Stopping nginx" >&2
    # Fast shutdown: clients' connections close now; the nodes then settle what they had delivered.
    terminate "$pid" 10 TERM
  fi
  for name in $(node_names); do
    if pid="$(live_pid "$dir/$name.pid")"; then
      echo "Stopping $name" >&2
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    terminate "$pid" "$stop_seconds"
  done
  if pid="$(live_pid "$dir/redis.pid")"; then
    echo "Stopping Redis" >&2
    terminate "$pid" 20
  fi
  stop_postgres
  return 0
}

case "$command_name" in
  start) start ;;
  stop)
    stop_all
    if $clean; then
      [[ -f "$dir/cluster.env" ]] || fail "$dir is not a cluster's directory (no cluster.env); not removing it"
      rm -rf "$dir"
      echo "Removed $dir" >&2
    fi
    ;;
  status) report_status || exit 3 ;;
esac
