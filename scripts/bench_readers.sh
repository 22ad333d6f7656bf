#!/usr/bin/env bash
# The reader pages (reviewer's paper page, my reviews, my submissions, author's paper page, home)
# at 8 concurrent clients on SQLite and PostgreSQL, ROUNDS times, alternating backends so both
# meet the same machine: PostgreSQL within 1.5× of SQLite (issue 17). Runs on the conferences an
# earlier `scripts/bench_scale.sh OUT_DIR` built (its SQLite folders, demo.txt files and
# PostgreSQL databases cfp_scale_SIZE); PostgreSQL's own CPU per request is printed too
# (bench_pages.py --pg-db). Quote the median of the rounds.
#
# usage: scripts/bench_readers.sh [OUT_DIR] [ROUNDS]   (defaults /tmp/cfp-scale-bench, 3)
set -euo pipefail
OUT=${1:-/tmp/cfp-scale-bench}
ROUNDS=${2:-3}
BIN=${BIN:-target/release/cfp}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
SIZES=${SIZES:-"10000 2000"}
PORT=${PORT:-8320}
PAGES="reviewer: paper page,reviewer: my reviews,author: my submissions,author: paper page,home"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; true' EXIT
for round in $(seq "$ROUNDS"); do
  for size in $SIZES; do
    # The reviewer as bench_scale.sh picks it (the demos are the same on both backends).
    reviewer=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT reviewer_email FROM assignments ORDER BY reviewer_email LIMIT 1').fetchone()[0])" "$OUT/sqlite-$size/cfp.db")
    for backend in sqlite postgres; do
      dir="$OUT/$backend-$size"
      if [ "$backend" = postgres ]; then url="$PG/cfp_scale_$size"; pg=(--pg-db "cfp_scale_$size"); else url="sqlite://$dir/cfp.db"; pg=(); fi
      chair=$(sed -n 's/^  chair: *//p' "$dir.demo.txt")
      author=$(sed -n 's/^  author: *\([^ ]*\).*/\1/p' "$dir.demo.txt" | head -1)
      CFP__DATA_DIR="$dir" CFP__DATABASE__URL="$url" CFP__SERVER__BIND=127.0.0.1:$PORT \
        CFP__SERVER__BASE_URL=http://127.0.0.1:$PORT CFP__MAIL__WORKER_INTERVAL_SECS=0 RUST_LOG=warn \
        "$BIN" serve > "$OUT/readers-server.log" 2>&1 &
      SERVER=$!
      for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/api/health" > /dev/null && break; sleep 0.2; done
      echo "== round $round, $backend, $size papers, load average $(cut -d' ' -f1-3 /proc/loadavg)"
      python3 scripts/bench_pages.py "http://127.0.0.1:$PORT" "$SERVER" --chair "$chair" \
        --reviewer "$reviewer" --author "$author" --only concurrent --seconds 4 \
        --concurrent "$PAGES" "${pg[@]}" | grep "at 8 clients"
      kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    done
  done
done
