#!/usr/bin/env bash
# Measures the preview loop: time from saving a content file to the reload event on /__tianshan/events,
# then a 10 s wrk load run against a few pages.
#
#   Benchmarks/preview-latency.sh                 the shipped site (Content/, Templates/), copied to a temp folder
#   Benchmarks/preview-latency.sh --pages 10000   the shipped site plus 10,000 generated Chinese case studies
#
# Options: --edits N (default 10), --port P (default 18080), --wrk-seconds S (default 10), --no-wrk;
# TIANSHAN_BIN=/path/to/tianshan measures that binary instead of building this checkout's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PAGES=0 EDITS=10 PORT=18080 WRK_SECONDS=10 RUN_WRK=1
while [ $# -gt 0 ]; do
  case "$1" in
    --pages) PAGES=$2; shift 2 ;;
    --edits) EDITS=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --wrk-seconds) WRK_SECONDS=$2; shift 2 ;;
    --no-wrk) RUN_WRK=0; shift ;;
    *) echo "usage: $0 [--pages N] [--edits N] [--port P] [--wrk-seconds S] [--no-wrk]" >&2; exit 2 ;;
  esac
done

# TIANSHAN_BIN=path measures that binary (for before/after runs) instead of building this checkout's.
if [ -n "${TIANSHAN_BIN:-}" ]; then
  BIN=$TIANSHAN_BIN
else
  BIN=.build/release/tianshan
  echo "== building $BIN (release)"
  swift build -c release --product tianshan 2>&1 | tail -1
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tianshan-bench-XXXXXX")
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -INT "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -d "$WORK/tmp" ] && [ -n "$(ls -A "$WORK/tmp")" ]; then echo "warning: preview left $(ls "$WORK/tmp") behind" >&2; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# Work on a copy, so the benchmark never edits the repository's own content.
cp -r Content "$WORK/Content"
cp -r Templates "$WORK/Templates"
if [ "$PAGES" -gt 0 ]; then
  echo "== generating $PAGES case studies"
  python3 Benchmarks/preview_latency.py generate --out "$WORK/Content" --pages "$PAGES"
  EDIT_FILE="$WORK/Content/cases/gen-00042.md"
  PAGE=/cases/gen-00042/
  LABEL="shipped site + $PAGES generated pages"
else
  EDIT_FILE="$WORK/Content/cases/herunxian.md"
  PAGE=/cases/herunxian/
  LABEL="shipped site"
fi

# A private TMPDIR shows that the preview removes its temporary build folder on exit.
mkdir -p "$WORK/tmp"
echo "== starting tianshan serve ($LABEL)"
TMPDIR="$WORK/tmp" "$BIN" serve --content "$WORK/Content" --templates "$WORK/Templates" --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
  grep -q "serving http" "$WORK/serve.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
  sleep 0.5
done
grep "tianshan:" "$WORK/serve.log"
URL=$(grep -o 'http://[^ ]*' "$WORK/serve.log" | head -1)

echo "== save → reload latency, $EDITS edits of ${EDIT_FILE#$WORK/}"
python3 Benchmarks/preview_latency.py measure --url "$URL" --file "$EDIT_FILE" --page "$PAGE" --edits "$EDITS"
BUILDS=$(grep -o 'pages in [0-9]* ms' "$WORK/serve.log" | tail -n +2 | grep -o '[0-9]* ms' | grep -o '[0-9]*' | sort -n | tr '\n' ' ')
echo "rebuild times reported by the server (ms, sorted): $BUILDS"

if [ "$RUN_WRK" = 1 ]; then
  if ! command -v wrk >/dev/null; then
    echo "== installing wrk"
    SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  cat >"$WORK/pages.lua" <<LUA
local paths = {"/", "/cases/", "$PAGE", "/about/", "/assets/site.css", "/tags/%E5%AD%B5%E5%8C%96%E5%99%A8/"}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
  echo "== wrk: ${WRK_SECONDS}s, 2 threads, 32 connections, rotating over 6 paths"
  wrk -t2 -c32 -d"${WRK_SECONDS}s" --latency -s "$WORK/pages.lua" "$URL" | tee "$WORK/wrk.txt"
  RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
  SOCKET=$(grep 'Socket errors' "$WORK/wrk.txt" || echo "Socket errors: none")
  NON2XX=$(awk '/Non-2xx/ {print $5}' "$WORK/wrk.txt")
  echo "wrk: $RPS requests/s; $SOCKET; non-2xx/3xx responses: ${NON2XX:-0}"
fi

echo "== stopping (SIGINT)"
kill -INT "$SERVER_PID"
wait "$SERVER_PID" && echo "server exited with status 0"
SERVER_PID=
if [ -z "$(ls -A "$WORK/tmp")" ]; then echo "no temporary folder left behind"; else echo "LEFT BEHIND: $(ls "$WORK/tmp")"; exit 1; fi
