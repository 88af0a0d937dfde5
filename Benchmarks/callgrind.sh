#!/usr/bin/env bash
# Instruction counts of one cold build (valgrind --tool=callgrind): repeatable for the same binary and corpus
# however busy the machine is, so an optimisation can be measured where wall time is noise.
#
#   bash Benchmarks/callgrind.sh [--tianshan BIN] [--pages N] [--seed S] [--out FILE] [--top K]
#
# Prints the total instructions and the K functions with the most (self) instructions. valgrind 3.19 cannot
# read the DWARF 5 debug info Swift writes, so a copy of the binary with its debug sections stripped (symbols
# kept) is profiled.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$REPO/.build/release/tianshan"; PAGES=1000; SEED=1; OUT=""; TOP=25
while [ $# -gt 0 ]; do
  case "$1" in
    --tianshan) BIN="${2:?}"; shift 2 ;;
    --pages) PAGES="${2:?}"; shift 2 ;;
    --seed) SEED="${2:?}"; shift 2 ;;
    --out) OUT="${2:?}"; shift 2 ;;
    --top) TOP="${2:?}"; shift 2 ;;
    -h|--help) sed -n 2,9p "$0"; exit 0 ;;
    *) echo "callgrind.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
command -v valgrind >/dev/null 2>&1 || {
  echo "callgrind.sh: installing valgrind" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
}
[ -x "$BIN" ] || { echo "callgrind.sh: no binary at $BIN (make build)" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tianshan-callgrind.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
OUT="${OUT:-$WORK/callgrind.out}"
cp "$BIN" "$WORK/tianshan" && strip --strip-debug "$WORK/tianshan"
python3 "$REPO/Benchmarks/generate_corpus.py" --pages "$PAGES" --seed "$SEED" --out "$WORK/corpus" --only tianshan >/dev/null
valgrind --tool=callgrind --callgrind-out-file="$OUT" "$WORK/tianshan" build --quiet \
  --content "$WORK/corpus/tianshan/Content" --templates "$WORK/corpus/tianshan/Templates" --output "$WORK/output" \
  2>"$WORK/valgrind.log" || { tail -20 "$WORK/valgrind.log" >&2; echo "callgrind.sh: the build under valgrind failed" >&2; exit 1; }
total=$(sed -n 's/^==[0-9]*== Collected : //p' "$WORK/valgrind.log")
echo "callgrind: $PAGES pages, seed $SEED, cold build: $total instructions ($(basename "$BIN"), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'))"
callgrind_annotate --inclusive=no "$OUT" 2>/dev/null | grep -E '^ *[0-9,]+ +\(' | sed -n "2,$((TOP + 1))p" | cut -c1-200
