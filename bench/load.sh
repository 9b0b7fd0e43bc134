#!/usr/bin/env bash
# HTTP load run of POST /api/v1/flows/{id}/execute at concurrency 1 and 32.
# Starts target/release/flowhost on a free loopback port with a throw-away data
# dir, creates a 3-node flow (ChatInput -> Prompt -> ChatOutput) and drives it
# with wrk. Usage: bench/load.sh [seconds-per-run]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-10}"
BIN=target/release/flowhost

if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)"
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
[ -x "$BIN" ] || make build

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export FLOWHOST_SUPERUSER=admin FLOWHOST_SUPERUSER_PASSWORD=bench-password-123
RUST_LOG=warn "$BIN" serve --port "$PORT" --data-dir "$WORK/data" --plugins-dir "$WORK/plugins" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done

TOKEN=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/login" -H 'content-type: application/json' \
    -d '{"username":"admin","password":"bench-password-123"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
AUTH="Authorization: Bearer $TOKEN"

node() { # id type template-json
    echo "{\"id\":\"$1\",\"type\":\"genericNode\",\"data\":{\"id\":\"$1\",\"type\":\"$2\",\"node\":{\"template\":$3}}}"
}
edge() { # source output target field input-types-json
    echo "{\"source\":\"$1\",\"target\":\"$3\",\"data\":{\"sourceHandle\":{\"id\":\"$1\",\"name\":\"$2\",\"output_types\":[\"Message\"]},\"targetHandle\":{\"id\":\"$3\",\"fieldName\":\"$4\",\"inputTypes\":$5,\"type\":\"str\"}}}"
}
FLOW="{\"name\":\"bench\",\"data\":{\"nodes\":[$(node ChatInput-1 ChatInput '{"input_value":{"value":"hi"}}'),$(node Prompt-1 Prompt '{"template":{"value":"Answer: {question}"}}'),$(node ChatOutput-1 ChatOutput '{}')],\"edges\":[$(edge ChatInput-1 message Prompt-1 question '["Message","Text"]'),$(edge Prompt-1 prompt ChatOutput-1 input_value '["Data","DataFrame","Message"]')]}}"
FLOW_ID=$(curl -sf -X POST "http://127.0.0.1:$PORT/api/v1/flows/" -H "$AUTH" -H 'content-type: application/json' -d "$FLOW" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
URL="http://127.0.0.1:$PORT/api/v1/flows/$FLOW_ID/execute"
curl -sf -X POST "$URL" -H "$AUTH" -H 'content-type: application/json' -d '{"input_value":"What is Flowhost?"}' >/dev/null

cat > "$WORK/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.body = '{"input_value":"What is Flowhost?"}'
LUA
for CONNS in 1 32; do
    THREADS=$(( CONNS < 2 ? 1 : 2 ))
    echo "== POST /execute, 3-node flow, ${CONNS} connection(s), ${DURATION}s"
    wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$WORK/post.lua" "$URL"
done
