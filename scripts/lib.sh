# shellcheck shell=bash disable=SC2034  # constants here are used by the scripts that source this file
# Shared functions for scripts/up, scripts/down, scripts/test and scripts/check-deploy.
# Source it; it defines functions and a few constants and changes nothing on its own.

HUB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The five services, in start order, and their default ports (the contract's defaults).
HUB_SERVICES=(catalog-service connection-service oauth-service sync-worker webhook-service)
# The web console serves pages over those services' APIs: started, stopped and given ports with
# them, but it has no API contract of its own (scripts/check-contract walks HUB_SERVICES only).
HUB_ALL_SERVICES=("${HUB_SERVICES[@]}" web-console)

# A fixed organization for local development, so tokens and data from earlier runs line up.
HUB_DEMO_ORG="00000000-0000-4000-8000-00000000d3e0"
HUB_DEMO_SUB="demo-user"

# The system user that runs PostgreSQL and Redis when a script runs as root
# (PostgreSQL refuses to run as root).
HUB_SERVICE_USER_NAME="hubpg"

# Debian 12 packages: the servers, the C library the Redis client links, and what a Swift 6
# toolchain needs to build and link on Debian 12 (swift.org's list for the platform).
HUB_RUNTIME_PACKAGES=(postgresql-15 postgresql-client-15 redis-server redis-tools libhiredis-dev pkg-config curl ca-certificates nginx jq)
HUB_SWIFT_BUILD_PACKAGES=(binutils git libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev libpython3-dev
    libsqlite3-0 libstdc++-12-dev libxml2-dev libncurses-dev libz3-dev zlib1g-dev tzdata)
HUB_DEPLOY_CHECK_PACKAGES=(docker-compose python3 python3-venv)
# Every Swift source the formatter checks (scripts/test lints them with .swift-format).
HUB_SWIFT_SOURCES=(Package.swift Shared Services Tools Tests)

# ---------------------------------------------------------------------------------------------
# Output

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
    _hub_bold=$'\033[1m' _hub_red=$'\033[31m' _hub_yellow=$'\033[33m' _hub_reset=$'\033[0m'
else
    _hub_bold='' _hub_red='' _hub_yellow='' _hub_reset=''
fi

hub_log() { printf '%s==>%s %s\n' "$_hub_bold" "$_hub_reset" "$*"; }
hub_info() { printf '    %s\n' "$*"; }
hub_warn() { printf '%swarning:%s %s\n' "$_hub_yellow" "$_hub_reset" "$*" >&2; }
hub_die() {
    printf '%serror:%s %s\n' "$_hub_red" "$_hub_reset" "$*" >&2
    exit 1
}

# Seconds since the epoch with milliseconds, and the time elapsed since such a stamp ("12.3s").
hub_now() { date +%s.%N; }
hub_elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1fs", e - s }'; }

# ---------------------------------------------------------------------------------------------
# Privileges

hub_is_root() { [[ "$(id -u)" == 0 ]]; }

# Run a command as root: directly when root, else through sudo (non-interactively under CI).
hub_as_root() {
    if hub_is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if [[ -t 0 && -z "${CI:-}" ]]; then sudo "$@"; else sudo -n "$@"; fi
    else
        hub_die "need root for: $* (run as root, or install sudo)"
    fi
}

# The user PostgreSQL and Redis run as: the dedicated system user when root, else ourselves.
hub_service_user() {
    if hub_is_root; then echo "$HUB_SERVICE_USER_NAME"; else id -un; fi
}

hub_ensure_service_user() {
    hub_is_root || return 0
    id -u "$HUB_SERVICE_USER_NAME" >/dev/null 2>&1 && return 0
    hub_log "creating system user $HUB_SERVICE_USER_NAME (runs PostgreSQL and Redis; PostgreSQL refuses root)"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$HUB_SERVICE_USER_NAME"
}

# Run a command as the service user.
hub_as_service_user() {
    if hub_is_root; then
        runuser -u "$HUB_SERVICE_USER_NAME" -- "$@"
    else
        "$@"
    fi
}

# Create a directory owned by the service user, mode 700 unless told otherwise.
hub_service_dir() {
    local dir="$1" mode="${2:-700}"
    mkdir -p "$dir"
    if hub_is_root; then chown "$HUB_SERVICE_USER_NAME:$HUB_SERVICE_USER_NAME" "$dir"; fi
    chmod "$mode" "$dir"
}

# Where the service user's files go when it cannot reach the state directory (see scripts/up).
hub_state_alt_dir() {
    echo "/var/lib/integration-hub/$(printf '%s' "$1" | sha256sum | cut -c1-16)"
}

# Create (or keep) a file the service user can append to, e.g. a server log.
hub_service_file() {
    local file="$1"
    touch "$file"
    if hub_is_root; then chown "$HUB_SERVICE_USER_NAME:$HUB_SERVICE_USER_NAME" "$file"; fi
    chmod 640 "$file"
}

# ---------------------------------------------------------------------------------------------
# Debian packages

# Print the packages from the arguments that are not installed.
hub_missing_packages() {
    local installed
    installed="$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
        awk '$2 == "ii" { print $1 }' || true)"
    local pkg
    for pkg in "$@"; do
        grep -qxF -- "${pkg%%:*}" <<<"$installed" || echo "$pkg"
    done
}

# Install whatever of the arguments is missing: apt-get update once (per process tree), then
# apt-get install --no-install-recommends. Quick and silent when everything is present.
hub_ensure_packages() {
    command -v dpkg-query >/dev/null 2>&1 || hub_die "this script installs its prerequisites with apt-get: Debian 12 (or a derivative) expected"
    local missing=()
    mapfile -t missing < <(hub_missing_packages "$@")
    ((${#missing[@]} == 0)) && return 0
    if ! hub_is_root && ! command -v sudo >/dev/null 2>&1; then
        hub_die "missing Debian packages: ${missing[*]} (install them, or run as root / with sudo)"
    fi
    hub_log "installing Debian packages: ${missing[*]}"
    local apt=(env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l apt-get -o DPkg::Lock::Timeout=300 -y -q)
    local log started
    log="$(mktemp "${TMPDIR:-/tmp}/hub-apt.XXXXXX")"
    started="$(hub_now)"
    if [[ -z "${HUB_APT_UPDATED:-}" ]]; then
        if ! hub_as_root "${apt[@]}" update >"$log" 2>&1; then
            tail -n 20 "$log" >&2
            hub_die "apt-get update failed (full log: $log)"
        fi
        export HUB_APT_UPDATED=1
    fi
    # RUNLEVEL=1 keeps Debian's sysv maintainer scripts from starting the distribution's own
    # PostgreSQL/Redis instances, which we never use (ours run on other ports anyway).
    if ! hub_as_root env RUNLEVEL=1 "${apt[@]}" install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        hub_die "apt-get install failed for: ${missing[*]} (full log: $log)"
    fi
    rm -f "$log"
    hub_info "installed in $(hub_elapsed "$started")"
}

# ---------------------------------------------------------------------------------------------
# Randomness (secrets are generated, never written into the repository)

hub_rand_hex() { od -An -N"${1:-32}" -tx1 /dev/urandom | tr -d ' \n'; }
hub_rand_b64() { head -c "${1:-32}" /dev/urandom | base64 -w0; }

# ---------------------------------------------------------------------------------------------
# Ports and processes

# True when something accepts TCP connections on 127.0.0.1:$1.
hub_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Sets variable $1 to a port nobody listens on, below the kernel's ephemeral range and away from
# the `up` defaults. A port is not listened on until its program starts, so the ports this shell
# has already handed out are skipped too: two picks in one script are never the same port. Call
# it in the script's own shell (not in `$(...)`), or the record of handed-out ports is lost.
_hub_ports_given=" "
hub_take_port() {
    local _hub_port _hub_tries=0
    while ((_hub_tries++ < 100)); do
        _hub_port=$((20000 + RANDOM % 12000))
        [[ "$_hub_ports_given" == *" $_hub_port "* ]] && continue
        hub_port_in_use "$_hub_port" && continue
        _hub_ports_given+="$_hub_port "
        printf -v "$1" '%s' "$_hub_port"
        return 0
    done
    hub_die "found no free TCP port on 127.0.0.1"
}

# True when process $1 is alive and (if given) its command line contains $2.
hub_pid_alive() {
    local pid="$1" name="${2:-}"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || [[ -d "/proc/$pid" ]] || return 1
    [[ -z "$name" ]] && return 0
    local cmdline
    cmdline="$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null || true)"
    [[ "$cmdline" == *"$name"* ]]
}

# Run "$@" as the leader of a new session and wait for it; its status is returned. A benchmark
# that dies without stopping the services it started (a Swift runtime trap runs no `defer`)
# leaves them in that session (each in a process group of its own), and hub_stop_session stops
# them.
_hub_session=""
hub_run_session() {
    setsid "$@" &
    _hub_session=$!
    local rc=0
    wait "$_hub_session" || rc=$?
    return "$rc"
}

# The pids in session $1, read from /proc (no procps on a bare machine).
_hub_session_pids() {
    local stat rest pid session
    for stat in /proc/[0-9]*/stat; do
        rest="$(cat "$stat" 2>/dev/null)" || continue
        rest="${rest##*) }" # after the command's name: state ppid pgrp session ...
        read -r _ _ _ session _ <<<"$rest"
        if [[ "$session" == "$1" ]]; then
            pid="${stat#/proc/}"
            echo "${pid%/stat}"
        fi
    done
}

# TERM to whatever is left of hub_run_session's session, then KILL after 5 s.
hub_stop_session() {
    [[ -n "$_hub_session" ]] || return 0
    local pids waited=0
    pids="$(_hub_session_pids "$_hub_session")"
    [[ -n "$pids" ]] || return 0
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    while [[ -n "$(_hub_session_pids "$_hub_session")" ]] && ((waited < 50)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    pids="$(_hub_session_pids "$_hub_session")"
    # shellcheck disable=SC2086
    [[ -z "$pids" ]] || kill -KILL $pids 2>/dev/null || true
}

# Stop the process whose pid is in file $1 if its command line contains $2: TERM, wait up to
# $3 seconds (default 20), then KILL. Removes the pid file. Returns 0 if it stopped something.
hub_stop_pidfile() {
    local pidfile="$1" name="$2" timeout="${3:-20}" pid
    [[ -f "$pidfile" ]] || return 1
    pid="$(head -n1 "$pidfile" 2>/dev/null || true)"
    if ! hub_pid_alive "$pid" "$name"; then
        rm -f "$pidfile"
        return 1
    fi
    kill -TERM "$pid" 2>/dev/null || true
    local waited=0
    while hub_pid_alive "$pid" "$name" && ((waited < timeout * 10)); do
        sleep 0.1
        waited=$((waited + 1))
    done
    if hub_pid_alive "$pid" "$name"; then
        hub_warn "$name (pid $pid) ignored SIGTERM for ${timeout}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    return 0
}

# Wait until $1 answers HTTP 200, for at most $2 seconds; give up early if pid $3 (optional)
# dies. Returns 0 when ready.
hub_wait_http() {
    local url="$1" timeout="$2" pid="${3:-}" deadline
    deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
        if [[ -n "$pid" ]] && ! hub_pid_alive "$pid"; then return 1; fi
        sleep 0.25
    done
    return 1
}

# ---------------------------------------------------------------------------------------------
# Services

# catalog-service -> CATALOG, sync-worker -> SYNC_WORKER (the suffix of HUB_SERVICE_URL_*).
hub_service_key() {
    local key="${1%-service}"
    key="${key//-/_}"
    echo "${key^^}"
}

hub_service_default_port() {
    case "$1" in
    catalog-service) echo 8081 ;;
    connection-service) echo 8082 ;;
    oauth-service) echo 8083 ;;
    sync-worker) echo 8084 ;;
    webhook-service) echo 8085 ;;
    web-console) echo 8086 ;;
    front-door) echo 8080 ;;
    provider-sandbox) echo 8090 ;;
    *) hub_die "unknown service $1" ;;
    esac
}

# The port `scripts/up` uses for a service: HUB_PORT_<KEY> if set, else the default.
hub_service_port() {
    local var
    var="HUB_PORT_$(hub_service_key "$1")"
    echo "${!var:-$(hub_service_default_port "$1")}"
}

# ---------------------------------------------------------------------------------------------
# The front door (nginx, configured from deploy/front-door/routes by scripts/front_door.py)

hub_nginx_bin() {
    command -v nginx 2>/dev/null || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || hub_die "nginx is not installed"
}

# hub_front_door_start DIR LISTEN SERVICE=HOST:PORT...: renders DIR/nginx.conf and starts nginx
# (daemonized; its pid in DIR/nginx.pid, logs in DIR), then waits for its /healthz.
hub_front_door_start() {
    local dir="$1" listen="$2" upstream args=()
    shift 2
    for upstream in "$@"; do args+=(--upstream "$upstream"); done
    mkdir -p "$dir"
    python3 "$HUB_ROOT/scripts/front_door.py" nginx --listen "$listen" --state "$dir" "${args[@]}" >"$dir/nginx.conf" || return 1
    "$(hub_nginx_bin)" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" || return 1
    hub_wait_http "http://$listen/healthz" 20
}

# hub_front_door_stop DIR: stops the nginx started in DIR, if it runs.
hub_front_door_stop() {
    local pid
    pid="$(cat "$1/nginx.pid" 2>/dev/null || true)"
    [[ -n "$pid" ]] || return 1
    kill -QUIT "$pid" 2>/dev/null || return 1
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL (a private cluster: TCP on loopback only, no Unix socket, run as the service user)

hub_pg_bin() {
    local dir
    for dir in "${HUB_PG_BIN:-}" /usr/lib/postgresql/15/bin; do
        if [[ -n "$dir" && -x "$dir/pg_ctl" && -x "$dir/initdb" && -x "$dir/postgres" ]]; then
            echo "$dir"
            return 0
        fi
    done
    local pgctl
    pgctl="$(command -v pg_ctl 2>/dev/null || true)"
    [[ -n "$pgctl" ]] || hub_die "PostgreSQL 15 server binaries not found (package postgresql-15; or set HUB_PG_BIN)"
    dirname "$(readlink -f "$pgctl")"
}

hub_psql_bin() {
    local bin
    bin="$(hub_pg_bin)"
    if [[ -x "$bin/psql" ]]; then echo "$bin/psql"; else command -v psql; fi
}

# hub_pg_init DATADIR SUPERUSER PASSWORD: initdb with password (SCRAM) authentication over TCP.
hub_pg_init() {
    local data="$1" superuser="$2" password="$3" bin pwfile
    bin="$(hub_pg_bin)"
    pwfile="$(dirname "$data")/.pwfile"
    (umask 077 && printf '%s\n' "$password" >"$pwfile")
    if hub_is_root; then chown "$HUB_SERVICE_USER_NAME" "$pwfile"; fi
    if ! hub_as_service_user "$bin/initdb" -D "$data" -U "$superuser" --pwfile="$pwfile" \
        --auth-host=scram-sha-256 --auth-local=peer -E UTF8 --locale=C.UTF-8 \
        --no-sync --no-instructions >"$(dirname "$data")/initdb.log" 2>&1; then
        rm -f "$pwfile"
        cat "$(dirname "$data")/initdb.log" >&2
        hub_die "initdb failed for $data"
    fi
    rm -f "$pwfile"
    printf "\n# Settings for this checkout's servers live in hub.conf (rewritten on each start).\ninclude_if_exists = 'hub.conf'\n" \
        >>"$data/postgresql.conf"
}

# hub_pg_configure DATADIR PORT [EXTRA_SETTING...]: (re)write hub.conf.
hub_pg_configure() {
    local data="$1" port="$2"
    shift 2
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = ''"
        echo "max_connections = 200"
        echo "password_encryption = scram-sha-256"
        local setting
        for setting in "$@"; do echo "$setting"; done
    } >"$data/hub.conf"
    if hub_is_root; then chown "$HUB_SERVICE_USER_NAME:$HUB_SERVICE_USER_NAME" "$data/hub.conf"; fi
    chmod 600 "$data/hub.conf"
}

hub_pg_running() {
    local bin
    bin="$(hub_pg_bin)"
    [[ -f "$1/postmaster.pid" ]] && hub_as_service_user "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# The port a running cluster listens on (line 4 of postmaster.pid).
hub_pg_running_port() { sed -n 4p "$1/postmaster.pid" 2>/dev/null || true; }

# hub_pg_start DATADIR LOGFILE: start and wait until it accepts connections.
hub_pg_start() {
    local data="$1" logfile="$2" bin
    bin="$(hub_pg_bin)"
    hub_service_file "$logfile"
    # 9>&-: fd 9 holds the scripts' lock (see scripts/up); a daemon must not inherit it.
    if ! hub_as_service_user "$bin/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start >/dev/null 9>&-; then
        tail -n 20 "$logfile" >&2 || true
        return 1
    fi
}

# hub_pg_stop DATADIR [MODE]: stop if running (mode fast by default; immediate for throwaways).
hub_pg_stop() {
    local data="$1" mode="${2:-fast}" bin
    bin="$(hub_pg_bin)"
    hub_pg_running "$data" || return 1
    if ! hub_as_service_user "$bin/pg_ctl" -D "$data" -m "$mode" -w -t 60 stop >/dev/null 2>&1; then
        local pid
        pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)"
        hub_warn "pg_ctl stop failed; killing postmaster $pid"
        if hub_pid_alive "$pid" postgres; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    return 0
}

# hub_psql PORT USER PASSWORD DB [psql args...]: psql over TCP on loopback.
hub_psql() {
    local port="$1" user="$2" password="$3" db="$4" psql
    shift 4
    psql="$(hub_psql_bin)"
    PGPASSWORD="$password" PGSSLMODE=disable PGCONNECT_TIMEOUT=5 \
        "$psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$user" -d "$db" "$@"
}

# hub_pg_ensure_role_db PORT SUPERUSER SUPERPASS ROLE ROLEPASS DB [ROLE_ATTRS]: idempotent.
hub_pg_ensure_role_db() {
    local port="$1" su="$2" supw="$3" role="$4" rolepw="$5" db="$6" attrs="${7:-}"
    hub_psql "$port" "$su" "$supw" postgres -v role="$role" -v pw="$rolepw" <<SQL
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN $attrs PASSWORD %L', :'role', :'pw') \gexec
SQL
    hub_psql "$port" "$su" "$supw" postgres -v role="$role" -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

# ---------------------------------------------------------------------------------------------
# Redis (loopback only, run as the service user)

hub_redis_server_bin() {
    command -v redis-server 2>/dev/null || echo /usr/bin/redis-server
}

# hub_redis_start DIR PORT LOGFILE PERSIST(yes|no): daemonized, pid in DIR/redis.pid.
hub_redis_start() {
    local dir="$1" port="$2" logfile="$3" persist="$4" server
    server="$(hub_redis_server_bin)"
    [[ -x "$server" ]] || hub_die "redis-server not found (package redis-server)"
    hub_service_file "$logfile"
    local save=(--save "")
    [[ "$persist" == yes ]] && save=(--save "3600 1 300 100 60 10000")
    hub_as_service_user "$server" --port "$port" --bind 127.0.0.1 --protected-mode yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$logfile" --daemonize yes \
        --appendonly no "${save[@]}" 9>&- || return 1
    local i
    for ((i = 1; i <= 100; i++)); do
        if [[ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null || true)" == PONG ]]; then return 0; fi
        if ((i > 10)) && ! hub_redis_running "$dir"; then break; fi
        sleep 0.1
    done
    tail -n 20 "$logfile" >&2 || true
    return 1
}

hub_redis_running() {
    local pid
    pid="$(head -n1 "$1/redis.pid" 2>/dev/null || true)"
    hub_pid_alive "$pid" redis-server
}

hub_redis_stop() { hub_stop_pidfile "$1/redis.pid" redis-server "${2:-20}"; }
