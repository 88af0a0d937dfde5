#!/usr/bin/env bash
# Proves an optimisation changed no output byte: builds the shipped site (Content/ + Templates/) and a
# benchmark corpus with two tianshan binaries and compares the outputs file by file (search index and PDFs
# included; PDFs by their text). Exit 0 when they are identical, 1 when any file differs (the differing files are listed).
#
#   bash Benchmarks/same-output.sh --before BIN [--after BIN] [--pages N] [--seed S]
#   bash Benchmarks/same-output.sh --before-rev REV ...   # builds REV's binary in a worktree first
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BEFORE=""; AFTER="$REPO/.build/release/tianshan"; PAGES=1000; SEED=1; REV=""
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BEFORE="${2:?}"; shift 2 ;;
    --before-rev) REV="${2:?}"; shift 2 ;;
    --after) AFTER="${2:?}"; shift 2 ;;
    --pages) PAGES="${2:?}"; shift 2 ;;
    --seed) SEED="${2:?}"; shift 2 ;;
    -h|--help) sed -n 2,8p "$0"; exit 0 ;;
    *) echo "same-output.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
WORK="$(mktemp -d "${TMPDIR:-/tmp}/tianshan-same-output.XXXXXX")"
trap 'git -C "$REPO" worktree remove --force "$WORK/before-tree" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
if [ -n "$REV" ]; then
  git -C "$REPO" worktree add --detach "$WORK/before-tree" "$REV" >/dev/null
  (cd "$WORK/before-tree" && swift build -c release --product tianshan --scratch-path "$REPO/.build-before" >"$WORK/before-build.log" 2>&1) \
    || { tail -20 "$WORK/before-build.log" >&2; echo "same-output.sh: building $REV failed" >&2; exit 2; }
  BEFORE="$REPO/.build-before/release/tianshan"
fi
[ -x "$BEFORE" ] || { echo "same-output.sh: give --before BIN or --before-rev REV" >&2; exit 2; }
[ -x "$AFTER" ] || { echo "same-output.sh: no binary at $AFTER" >&2; exit 2; }
# Both binaries print PDFs with the same WeasyPrint (the one `make site` installed), wherever they live.
if [ -z "${TIANSHAN_WEASYPRINT:-}" ] && [ -x "$REPO/.build/pdf/bin/python3" ]; then export TIANSHAN_WEASYPRINT="$REPO/.build/pdf/bin/python3"; fi
python3 "$REPO/Benchmarks/generate_corpus.py" --pages "$PAGES" --seed "$SEED" --out "$WORK/corpus" --only tianshan >/dev/null
status=0
for site in shipped corpus; do
  if [ "$site" = shipped ]; then content="$REPO/Content"; templates="$REPO/Templates"
  else content="$WORK/corpus/tianshan/Content"; templates="$WORK/corpus/tianshan/Templates"; fi
  for side in before after; do
    bin=$BEFORE; [ "$side" = after ] && bin=$AFTER
    "$bin" build --quiet --content "$content" --templates "$templates" --output "$WORK/$site-$side"
  done
  # WeasyPrint subsets the embedded fonts differently from run to run (the same binary twice gives PDFs whose
  # font streams differ), so a PDF counts as the same when its text, page by page, is.
  diff -rq -x '*.pdf' "$WORK/$site-before" "$WORK/$site-after" >"$WORK/$site.diff" || true
  (cd "$WORK/$site-before" && find . -name '*.pdf') | sort >"$WORK/$site-before.pdfs"
  (cd "$WORK/$site-after" && find . -name '*.pdf') | sort >"$WORK/$site-after.pdfs"
  cmp -s "$WORK/$site-before.pdfs" "$WORK/$site-after.pdfs" || echo "the PDFs are not the same files" >>"$WORK/$site.diff"
  pdfs=0
  while read -r pdf; do
    [ -f "$WORK/$site-after/$pdf" ] || continue
    pdfs=$((pdfs + 1))
    cmp -s "$WORK/$site-before/$pdf" "$WORK/$site-after/$pdf" && continue
    command -v pdftotext >/dev/null 2>&1 || { echo "PDF $pdf differs (no pdftotext to compare its text)" >>"$WORK/$site.diff"; continue; }
    cmp -s <(pdftotext -layout "$WORK/$site-before/$pdf" -) <(pdftotext -layout "$WORK/$site-after/$pdf" -) \
      || echo "PDF $pdf: its text differs" >>"$WORK/$site.diff"
  done <"$WORK/$site-before.pdfs"
  if [ ! -s "$WORK/$site.diff" ]; then
    echo "same-output: $site: identical ($(find "$WORK/$site-after" -type f | wc -l) files; $pdfs PDF(s) by their text)"
  else
    echo "same-output: $site: $(wc -l <"$WORK/$site.diff") files differ:"; head -20 "$WORK/$site.diff"; status=1
  fi
done
exit $status
