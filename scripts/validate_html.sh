#!/usr/bin/env bash
# Validates the HTML of a running cfp demo with the Nu HTML Checker (vnu.jar, from the npm
# package vnu-jar; needs Java). Usage:
#   cfp demo --stage released && cfp serve &
#   scripts/validate_html.sh path/to/vnu.jar [http://127.0.0.1:8080] [chair-email] [author-email]
# The chair and author are the ones `cfp demo` prints; the password is the demo's.
set -euo pipefail
vnu=$1
base=${2:-http://127.0.0.1:8080}
chair=${3:-bgoncalves@uct.ac.za}
author=${4:-thao.hoang@caltech.edu}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fetch_as() { # email path...
    local jar; jar=$(mktemp)
    local csrf; csrf=$(curl -s -c "$jar" -b "$jar" "$base/signin" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
    curl -s -c "$jar" -b "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "email=$1" --data-urlencode "password=dlde-demo-2027" "$base/signin"
    local who=$1; shift
    for p in "$@"; do curl -s -b "$jar" "$base$p" > "$out/${who%%@*}$(echo "$p" | tr '/?=&' '____').html"; done
}
curl -s "$base/" > "$out/home.html"
for p in /accepted /program; do
    curl -sf "$base$p" > "$out/public$(echo $p | tr / _).html" || rm -f "$out/public$(echo $p | tr / _).html"
done
fetch_as "$chair" /chair /chair/settings /chair/submissions /chair/assignment /chair/reviewers /chair/conflicts \
    /chair/reviews /chair/decisions /chair/decisions/release /chair/letters /chair/letters/log /chair/mail /submissions/1
fetch_as "$chair" /chair/program /chair/letters/log
fetch_as "$author" /submissions /submissions/1 /reviews /bids /reviewer/profile
java -jar "$vnu" --errors-only "$out"/*.html && echo "all $(ls "$out" | wc -l) pages valid"
