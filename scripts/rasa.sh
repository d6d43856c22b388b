#!/usr/bin/env bash
# The real Rasa 3.6.21 server for the `rasa` NLU engine (docs/nlu.md, "The Rasa engine").
#
#   scripts/rasa.sh install   .rasa-venv with Python 3.10 and rasa==3.6.21 (skipped when there)
#   scripts/rasa.sh train     rasa data validate + rasa train nlu on nlu/ (skipped when the data hash is unchanged)
#   scripts/rasa.sh serve     install, train, then `rasa run --enable-api` in the foreground
#   scripts/rasa.sh start     install, train, serve in the background; waits until /status answers
#   scripts/rasa.sh stop      stops the server that `start` started (by its pid file)
#   scripts/rasa.sh wait      waits until /status answers (RASA_WAIT seconds)
#
# Rasa pins SQLAlchemy<1.5, pydantic<1.10.10 and Python<3.11, so it lives in its own venv; the bot only
# speaks HTTP to it. Settings come from the environment; the defaults are below.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

RASA_VERSION=3.6.21
RASA_VENV=${RASA_VENV:-.rasa-venv}
RASA_HOST=${RASA_HOST:-127.0.0.1}
RASA_PORT=${RASA_PORT:-5005}
RASA_MODELS=${RASA_MODELS:-var/rasa-models}
RASA_MODEL_NAME=${RASA_MODEL_NAME:-werkpad}
RASA_LOG=${RASA_LOG:-var/rasa-server.log}
RASA_PIDFILE=${RASA_PIDFILE:-var/rasa-server.pid}
RASA_WAIT=${RASA_WAIT:-300}
# The server's working directory: models trained through `POST /model/train` land in its models/.
RASA_WORKDIR=${RASA_WORKDIR:-var/rasa-server}
CONSTRAINTS=scripts/rasa-constraints.txt

export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
# Rasa's training cache (.rasa/cache by default) goes under var/ with the models.
export RASA_CACHE_DIRECTORY=${RASA_CACHE_DIRECTORY:-$ROOT/var/rasa-cache}
export SQLALCHEMY_SILENCE_UBER_WARNING=1

abs() { case $1 in /*) echo "$1" ;; *) echo "$ROOT/$1" ;; esac; }

STAMP="$RASA_VENV/.installed-rasa-$RASA_VERSION-$(cksum <"$CONSTRAINTS" | cut -d' ' -f1)"
MODEL="$RASA_MODELS/$RASA_MODEL_NAME.tar.gz"
HASHFILE="$RASA_MODELS/$RASA_MODEL_NAME.sha256"
RASA="$(abs "$RASA_VENV")/bin/rasa"

log() { echo "rasa.sh: $*" >&2; }

find_python310() {
    local candidate
    for candidate in "${RASA_PYTHON:-}" python3.10 "$(pyenv root 2>/dev/null)"/versions/3.10*/bin/python3.10 \
        /usr/bin/python3.10 /usr/local/bin/python3.10; do
        [ -n "$candidate" ] || continue
        # A pyenv shim exists even when 3.10 is not the active version; `-c` proves it runs.
        if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    PYENV_VERSION=$(pyenv versions --bare 2>/dev/null | grep '^3\.10' | tail -1) \
        python3.10 -c 'import sys; print(sys.executable)' 2>/dev/null && return 0
    log "Python 3.10 not found (Rasa $RASA_VERSION needs >=3.8,<3.11): install it or set RASA_PYTHON"
    return 1
}

cmd_install() {
    if [ -f "$STAMP" ] && "$RASA_VENV/bin/python" -c 'import rasa' 2>/dev/null; then
        log "rasa $RASA_VERSION already installed in $RASA_VENV"
        return 0
    fi
    local python start
    python=$(find_python310)
    start=$SECONDS
    log "installing rasa $RASA_VERSION into $RASA_VENV with $python (about 2.5 min, 2.7 GB)"
    rm -rf "$RASA_VENV"
    "$python" -m venv "$RASA_VENV"
    # 2.7 GB that must never be committed, whatever the repository's .gitignore says.
    echo '*' >"$RASA_VENV/.gitignore"
    # (grep: some machines' pip.conf names local indexes that pip warns about once per package.)
    "$RASA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "rasa==$RASA_VERSION" \
        -c "$CONSTRAINTS" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
    "$RASA_VENV/bin/python" -m pip check
    touch "$STAMP"
    log "installed in $((SECONDS - start)) s"
}

# sha256 over the training files (names and contents), the config, the domain and the Rasa version.
data_hash() {
    {
        echo "rasa $RASA_VERSION"
        for f in nlu/*.yml; do
            echo "== $f"
            cat "$f"
        done
    } | sha256sum | cut -d' ' -f1
}

cmd_train() {
    cmd_install
    local want
    want=$(data_hash)
    if [ -f "$MODEL" ] && [ -f "$HASHFILE" ] && [ "$(cat "$HASHFILE")" = "$want" ]; then
        log "model $MODEL is up to date (data ${want:0:12})"
        return 0
    fi
    mkdir -p "$RASA_MODELS"
    log "validating nlu/"
    "$RASA" data validate --data nlu --domain nlu/domain.yml --config nlu/config.yml --fail-on-warnings
    log "training $MODEL (data ${want:0:12})"
    local start=$SECONDS
    rm -f "$HASHFILE"
    "$RASA" train nlu --config nlu/config.yml --nlu nlu --domain nlu/domain.yml \
        --out "$RASA_MODELS" --fixed-model-name "$RASA_MODEL_NAME"
    echo "$want" >"$HASHFILE"
    echo $((SECONDS - start)) >"$RASA_MODELS/$RASA_MODEL_NAME.train-seconds"
    log "trained in $((SECONDS - start)) s"
}

url() { echo "http://$RASA_HOST:$RASA_PORT"; }

is_up() { curl -fs -o /dev/null --max-time 2 "$(url)/status"; }

run_server() {
    local model
    model=$(abs "$MODEL")
    mkdir -p "$RASA_WORKDIR"
    cd "$RASA_WORKDIR"
    exec "$RASA" run --enable-api -m "$model" -i "$RASA_HOST" -p "$RASA_PORT"
}

cmd_serve() {
    cmd_train
    log "serving $MODEL on $(url)"
    run_server
}

running_pid() {
    local pid
    [ -f "$RASA_PIDFILE" ] || return 1
    pid=$(cat "$RASA_PIDFILE")
    kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

cmd_wait() {
    local deadline=$((SECONDS + RASA_WAIT))
    until is_up; do
        if [ -f "$RASA_PIDFILE" ] && ! running_pid >/dev/null; then
            log "the server exited; see $RASA_LOG"
            tail -20 "$RASA_LOG" >&2 || true
            return 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            log "no answer from $(url)/status after $RASA_WAIT s; see $RASA_LOG"
            return 1
        fi
        sleep 2
    done
    log "server up at $(url)"
}

cmd_start() {
    if running_pid >/dev/null; then
        log "already running (pid $(running_pid))"
        cmd_wait
        return
    fi
    if is_up; then
        log "something already answers on $(url); not starting another server"
        return 1
    fi
    cmd_train
    mkdir -p "$(dirname "$RASA_LOG")"
    log "starting the server in the background; log in $RASA_LOG"
    nohup "$0" _run >"$RASA_LOG" 2>&1 </dev/null &
    echo $! >"$RASA_PIDFILE"
    local start=$SECONDS
    cmd_wait
    log "started in $((SECONDS - start)) s (pid $(cat "$RASA_PIDFILE"))"
}

cmd_stop() {
    local pid
    if ! pid=$(running_pid); then
        log "not running"
        rm -f "$RASA_PIDFILE"
        return 0
    fi
    kill "$pid"
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    rm -f "$RASA_PIDFILE"
    log "stopped (pid $pid)"
}

case "${1:-}" in
    install) cmd_install ;;
    train) cmd_train ;;
    serve) cmd_serve ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    wait) cmd_wait ;;
    hash) data_hash ;;
    _run) run_server ;;
    *) echo "usage: $0 install|train|serve|start|stop|wait|hash" >&2; exit 2 ;;
esac
