#!/usr/bin/env bash
# The figures of docs/benchmarks.md, "A NeurIPS-size conference": builds the scale demo at
# 2,000 and 10,000 papers on SQLite and PostgreSQL, measures every chair page, the reviewer's
# and the author's pages (scripts/bench_pages.py), then uploads at 1, 8 and 32 clients on
# both backends (scripts/bench_uploads.py, with a paper PDF the demo generated); at each size
# also the chair's "Compute a preview" (bench_pages.py --assign).
#
# usage: scripts/bench_scale.sh [OUT_DIR]      (default /tmp/cfp-scale-bench)
# needs: target/release/cfp (cargo build --release), python3, and for PostgreSQL a server at
# $PG (default postgres://postgres@127.0.0.1:5432, trust auth; databases cfp_scale_* are
# dropped and created). Set SIZES="2000" or BACKENDS="sqlite" to measure less.
# To measure again on conferences an earlier run of the same OUT_DIR built (after a code
# change that needs no new demo, or when something disturbed a step): REUSE=1 keeps them,
# ONLY="label,label" passes --only to bench_pages.py, ASSIGN=0 and UPLOADS=0 skip those steps;
# SUMMARY=FILE writes the summary elsewhere than OUT_DIR/summary.txt.
set -euo pipefail
OUT=${1:-/tmp/cfp-scale-bench}
BIN=${BIN:-target/release/cfp}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
SIZES=${SIZES:-"2000 10000"}
REUSE=${REUSE:-0}
ONLY=${ONLY:-}
ASSIGN=${ASSIGN:-1}
UPLOADS=${UPLOADS:-1}
BACKENDS=${BACKENDS:-"sqlite postgres"}
PORT=${PORT:-8311}
mkdir -p "$OUT"
SERVER=""

stop_server() {
  if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi
}
trap stop_server EXIT

# start_server DATA_DIR DB_URL WORKER_SECS
start_server() {
  CFP__DATA_DIR="$1" CFP__DATABASE__URL="$2" CFP__SERVER__BIND=127.0.0.1:$PORT \
  CFP__SERVER__BASE_URL=http://127.0.0.1:$PORT CFP__MAIL__WORKER_INTERVAL_SECS="$3" RUST_LOG=warn \
  CFP__SECURITY__VISITOR_EMAILS_PER_CLIENT_PER_HOUR=1000 \
    "$BIN" serve > "$OUT/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the server did not start; see $OUT/server.log" >&2
  exit 1
}

# query BACKEND URL DATA_DIR SQL: the first column of the first row
query() {
  if [ "$1" = postgres ]; then
    psql "$2" -Atc "$4" | head -1
  else
    python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$3/cfp.db" "$4"
  fi
}

# db_url BACKEND NAME DATA_DIR: a fresh database
db_url() {
  if [ "$1" = postgres ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $2" -c "CREATE DATABASE $2" > /dev/null
    echo "$PG/$2"
  else
    echo "sqlite://$3/cfp.db"
  fi
}

SUMMARY=${SUMMARY:-$OUT/summary.txt}
echo "$(date -u '+%F %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$SUMMARY"
for backend in $BACKENDS; do
  for size in $SIZES; do
    dir="$OUT/$backend-$size"
    if [ "$REUSE" = 1 ] && [ -f "$dir.demo.txt" ]; then
      if [ "$backend" = postgres ]; then url="$PG/cfp_scale_$size"; else url="sqlite://$dir/cfp.db"; fi
      echo "== $backend, $size papers: the demo built earlier in $dir" | tee -a "$SUMMARY"
    else
      rm -rf "$dir"
      url=$(db_url "$backend" "cfp_scale_$size" "$dir")
      echo "== $backend, $size papers: building the demo" | tee -a "$SUMMARY"
      start=$(date +%s)
      CFP__DATA_DIR="$dir" CFP__DATABASE__URL="$url" "$BIN" demo --size "$size" --stage decided \
        > "$dir.demo.txt" 2>&1
      echo "built in $(( $(date +%s) - start )) s; $(grep 'engine assigned' "$dir.demo.txt")" | tee -a "$SUMMARY"
    fi
    chair=$(sed -n 's/^  chair: *//p' "$dir.demo.txt")
    author=$(sed -n 's/^  author: *\([^ ]*\).*/\1/p' "$dir.demo.txt" | head -1)
    reviewer=$(query "$backend" "$url" "$dir" "SELECT reviewer_email FROM assignments ORDER BY reviewer_email LIMIT 1")
    if [ -z "${pdf:-}" ]; then
      # A 5-page paper of the paper track (content and references), for the upload benchmark.
      sha=$(query "$backend" "$url" "$dir" "SELECT d.sha256 FROM documents d JOIN submissions s ON s.id = d.submission_id WHERE s.track = 'paper' AND d.pages = 5 ORDER BY s.number LIMIT 1")
      pdf="$OUT/paper-5-pages.pdf"
      cp "$dir/files/${sha:0:2}/$sha" "$pdf"
    fi
    start_server "$dir" "$url" 0
    python3 scripts/bench_pages.py "http://127.0.0.1:$PORT" "$SERVER" --chair "$chair" \
      --reviewer "$reviewer" --author "$author" --json "$OUT/pages-$backend-$size.json" \
      ${ONLY:+--only "$ONLY"} | tee -a "$SUMMARY"
    # The chair's "Compute a preview" on the whole conference (the engine, in the background
    # from 1,000 papers on; the script polls the assignment page every 2 s until it is stored).
    if [ "$ASSIGN" = 1 ]; then
      echo "== $backend, $size papers: compute a preview" | tee -a "$SUMMARY"
      python3 scripts/bench_pages.py "http://127.0.0.1:$PORT" "$SERVER" --chair "$chair" \
        --reviewer "$reviewer" --author "$author" --clients 0 --only none --assign \
        | grep 'compute a preview' | tee -a "$SUMMARY"
    fi
    stop_server
  done
done

# Uploads: the 5-page paper the demo generated, padded to 300 KB by the script;
# UPLOADS_TOTAL (default 256) uploads per run, shared by the clients.
TOTAL=${UPLOADS_TOTAL:-256}
if [ "$UPLOADS" = 1 ]; then
for backend in $BACKENDS; do
  for clients in 1 8 32; do
    dir="$OUT/uploads-$backend-$clients"
    rm -rf "$dir"
    url=$(db_url "$backend" "cfp_scale_uploads" "$dir")
    start_server "$dir" "$url" 1
    per=$(( TOTAL / clients )); [ "$clients" = 1 ] && [ "$per" -gt 64 ] && per=64
    echo "== uploads, $backend, $clients clients × $per" | tee -a "$SUMMARY"
    python3 scripts/bench_uploads.py "http://127.0.0.1:$PORT" "$dir" "$SERVER" "$pdf" \
      --clients "$clients" --per-client "$per" | tee -a "$SUMMARY"
    stop_server
  done
done
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$SUMMARY"
