#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# End-to-end checks of `stepwise graph`, `stepwise view` and `stepwise run --view`: output
# formats, warnings and exit codes. Usage: view_cli_test.sh PATH_TO_STEPWISE WORK_DIR
set -u
cli="$1"
work="$2"
dir="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$work"
fails=0 passes=0
check() {  # name, expected exit, expected substring of stdout+stderr, command...
  local name="$1" want_rc="$2" want="$3"
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $want_rc || "$out" != *"$want"* ]]; then
    echo "FAIL $name: exit $rc (want $want_rc), output: ${out:0:2000}"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}
file_has() {  # name, file, expected substring
  if grep -qF -- "$3" "$2" 2>/dev/null; then
    passes=$((passes + 1))
  else
    echo "FAIL $1: $2 does not contain: $3"
    fails=$((fails + 1))
  fi
}

wf="$dir/workflow.asl.json"
input='{"items":[{"card":"ok"},{"card":"bad"},{"card":"busy"}]}'
task="arn:aws:states:::payments:charge=$dir/charge.sh"

check "graph writes DOT by default" 0 'digraph "stepwise" {' "$cli" graph "$wf"
check "graph draws Catch edges dashed" 0 'label="Card.Declined, Card.Busy", style=dashed' \
  "$cli" graph "$wf"
check "graph --format mermaid writes a flowchart" 0 'flowchart TD' \
  "$cli" graph "$wf" --format mermaid
check "graph escapes quotes for Mermaid" 0 'Process #quot;items#quot;' \
  "$cli" graph "$wf" --format mermaid
check "graph --collapse draws a Map as one node" 0 'Map: 3 states (collapsed)' \
  "$cli" graph "$wf" --collapse 2
check "graph rejects an unknown format" 2 "--format must be dot or mermaid" \
  "$cli" graph "$wf" --format svg
check "graph reports an invalid definition" 2 "MISSING_TRANSITION_TARGET" \
  "$cli" graph "$dir/../cli/invalid.asl.json"
check "graph --help explains itself" 0 "Usage: stepwise graph" "$cli" graph --help
check "graph -o writes a file" 0 "" "$cli" graph "$wf" -o "$work/graph.dot"
file_has "graph -o file holds the graph" "$work/graph.dot" 'digraph "stepwise" {'

rm -f "$work/run.html" "$work/history.json"
out=$("$cli" run "$wf" --virtual-time --input "$input" --task "$task" --history "$work/history.json" \
  --view "$work/run.html" 2>"$work/run.err")
rc=$?
if [[ $rc -ne 0 || "$out" != *'"status":"SUCCEEDED"'* ]]; then
  echo "FAIL run --view: exit $rc, output: $out"; fails=$((fails + 1))
else
  passes=$((passes + 1))
fi
if [[ -s "$work/run.err" ]]; then
  echo "FAIL run prints nothing on stderr when it is not a terminal: $(cat "$work/run.err")"
  fails=$((fails + 1))
else
  passes=$((passes + 1))
fi
file_has "run --view writes the page" "$work/run.html" '<svg id="graph"'
file_has "run --view colours caught states" "$work/run.html" 'class="node st-caught"'

check "view renders a history" 0 "" \
  "$cli" view "$work/history.json" --definition "$wf" -o "$work/view.html"
file_has "view page embeds the data" "$work/view.html" 'id="stepwise-data"'
file_has "view page has the timeline" "$work/view.html" 'id="timeline-table"'
check "view warns about a history from another definition" 0 \
  "not in the definition" \
  "$cli" view "$work/history.json" --definition "$dir/../cli/valid.asl.json" -o "$work/other.html"
file_has "the other-definition page has a banner" "$work/other.html" 'class="banner"'
check "view shows a truncated history as incomplete" 0 "no terminal event" \
  "$cli" view "$dir/truncated.history.json" --definition "$wf" -o "$work/truncated.html"
file_has "the truncated page says INCOMPLETE" "$work/truncated.html" 's-INCOMPLETE">INCOMPLETE'
echo '{"events": [' > "$work/broken.json"
check "view rejects malformed JSON with exit 2" 2 "is not JSON" \
  "$cli" view "$work/broken.json" --definition "$wf" -o "$work/broken.html"
echo '{"executionArn": "x"}' > "$work/noevents.json"
check "view rejects JSON that is not a history" 2 'without "events"' \
  "$cli" view "$work/noevents.json" --definition "$wf" -o "$work/noevents.html"
check "view needs --definition" 2 "--definition FILE" "$cli" view "$work/history.json" -o x.html
check "view reports a missing history file" 2 "cannot read" \
  "$cli" view "$work/missing.json" --definition "$wf" -o "$work/missing.html"
check "--help lists graph and view" 0 "stepwise view HISTORY" "$cli" --help

echo "view_cli_test: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
