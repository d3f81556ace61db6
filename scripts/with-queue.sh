#!/usr/bin/env bash
# Run a web server command with a task-queue consumer beside it; stop both together.
# Usage: scripts/with-queue.sh FLASK_COMMAND WEB_COMMAND [ARGS...]
#   e.g. scripts/with-queue.sh ".venv/bin/flask --app coalition" .venv/bin/flask --app coalition run
# Ctrl-C reaches both (one process group): the consumer lets running jobs finish.
set -euo pipefail
FLASK=$1; shift
$FLASK queue &
CONSUMER=$!
stop() {
  kill -INT "$CONSUMER" 2>/dev/null || true
  wait "$CONSUMER" 2>/dev/null || true
}
trap stop EXIT
"$@"
