#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# Browser test of the execution page: runs the viewer's test workflow through the CLI with
# --view, opens the page in headless Chromium with `#select=Charge card` (which runs the same
# handler as a click on that state), and checks in the DOM after the scripts ran that the graph
# was drawn, the panel shows the state's entries with their input, and the timeline is filled.
# Saves a screenshot as WORK_DIR/view.png. When Chromium is missing it tries
# `apt-get install -y chromium` (as root, or through passwordless sudo) and otherwise exits 77,
# which CTest reports as skipped.
# Usage: chromium_test.sh PATH_TO_STEPWISE WORK_DIR
set -u
cli="$1"
work="$2"
dir="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work"

find_browser() {
  for b in chromium chromium-browser google-chrome; do
    if command -v "$b" > /dev/null 2>&1; then
      command -v "$b"
      return 0
    fi
  done
  return 1
}

browser=$(find_browser)
if [[ -z "$browser" ]]; then
  echo "chromium_test: Chromium is not installed; trying: apt-get install -y chromium"
  as_root=""
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
      as_root="sudo -n"
    fi
  fi
  if [[ $(id -u) -eq 0 || -n "$as_root" ]]; then
    DEBIAN_FRONTEND=noninteractive timeout 600 $as_root apt-get install -y --no-install-recommends \
      chromium > "$work/apt.log" 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive timeout 300 $as_root apt-get update > /dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive timeout 600 $as_root apt-get install -y \
          --no-install-recommends chromium >> "$work/apt.log" 2>&1; }
  fi
  browser=$(find_browser)
  if [[ -z "$browser" ]]; then
    echo "SKIP chromium_test: Chromium is not installed and could not be installed" \
      "(needs root or passwordless sudo and the Debian package 'chromium'; see $work/apt.log)"
    exit 77
  fi
fi
echo "chromium_test: using $browser"

fails=0
fail() {
  echo "FAIL $*"
  fails=$((fails + 1))
}

page="$work/view.html"
rm -f "$page" "$work/view.png" "$work/dom.html"
"$cli" run "$dir/workflow.asl.json" --virtual-time \
  --input '{"items":[{"card":"ok"},{"card":"bad"},{"card":"busy"},{"card":"</script><!--x"}]}' \
  --task "arn:aws:states:::payments:charge=$dir/charge.sh" --view "$page" > "$work/run.out" ||
  fail "stepwise run --view failed: $(cat "$work/run.out")"
[[ -s "$page" ]] || { echo "FAIL the page was not written"; exit 1; }

flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-extensions --disable-background-networking --user-data-dir="$work/chromium-profile")
url="file://$page#select=Charge%20card"
timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" > "$work/dom.html" 2> "$work/chromium.log" ||
  fail "chromium --dump-dom failed (see $work/chromium.log)"
dom="$work/dom.html"
flat="$work/dom-flat.html"
tr -d '\n' < "$dom" > "$flat"

has() {  # description, fixed string (newlines in the DOM are removed before matching)
  grep -qF -- "$2" "$flat" || fail "$1: the DOM has no: $2"
}
has "the scripts ran" 'data-ready="true"'
has "the graph is drawn" '<svg id="graph"'
nodes=$(grep -o 'class="node st-' "$dom" | wc -l)
[[ $nodes -ge 10 ]] || fail "the graph has $nodes state nodes, expected 10"
has "the selected state is marked" 'class="node st-caught selected"'
has "the panel names the state" '<h2 id="panel-title">Charge card</h2>'
has "the panel lists every entry" '4 entries'
has "the panel shows an entry's input" '<pre class="io input">{  "card": "bad"}</pre>'
has "the panel shows the entry's Map iteration" 'in Process "items" #1'
has "the panel shows retries" '3 attempts'
has "the panel keeps payload text as text" '"card": "&lt;/script&gt;&lt;!--x"'
has "the timeline is filled" '<tr id="event-1">'
has "the timeline lists the last event" 'ExecutionSucceeded'

timeout 120 "$browser" "${flags[@]}" --hide-scrollbars --window-size=1400,1000 \
  --screenshot="$work/view.png" "$url" >> "$work/chromium.log" 2>&1 ||
  fail "chromium --screenshot failed (see $work/chromium.log)"
[[ -s "$work/view.png" ]] || fail "no screenshot was written"

if [[ $fails -ne 0 ]]; then
  echo "chromium_test: $fails failed (DOM in $dom)"
  exit 1
fi
echo "chromium_test: passed; screenshot in $work/view.png"
