#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# `stepwise run --task` through ProcessExecutor: commands of a Map run concurrently (bounded by
# --task-concurrency), a hanging command is killed at TimeoutSeconds with States.Timeout, also
# under --virtual-time where a Wait after it stays instant, and the options are checked.
# Usage: process_cli_test.sh PATH_TO_STEPWISE. Takes about 4 s.
set -u
cli="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 passes=0
expect() {  # name, condition (0 = pass), details
  if [[ $2 -eq 0 ]]; then passes=$((passes + 1)); else echo "FAIL $1: $3"; fails=$((fails + 1)); fi
}
ms() { date +%s%3N; }

cat > "$work/map.asl.json" <<'JSON'
{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "Work", "States": {
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::shell:work", "End": true}}}}}}
JSON
cat > "$work/timeout.asl.json" <<'JSON'
{"StartAt": "Work", "States": {
  "Work": {"Type": "Task", "Resource": "arn:aws:states:::shell:work", "TimeoutSeconds": 1,
           "Next": "Nap"},
  "Nap": {"Type": "Wait", "Seconds": 3600, "End": true}}}
JSON
cat > "$work/then_wait.asl.json" <<'JSON'
{"StartAt": "Work", "States": {
  "Work": {"Type": "Task", "Resource": "arn:aws:states:::shell:work", "TimeoutSeconds": 30,
           "Next": "Nap"},
  "Nap": {"Type": "Wait", "Seconds": 3600, "End": true}}}
JSON

# 1. Four commands of 1 s each in a Map: together well under their 4 s in a row.
t0=$(ms)
out=$("$cli" run "$work/map.asl.json" --input '[1,2,3,4]' --task 'Work=sleep 1; cat' 2>&1)
rc=$? t=$(( $(ms) - t0 ))
expect "a Map runs its commands concurrently" \
  $([[ $rc -eq 0 && "$out" == '{"output":[1,2,3,4],"status":"SUCCEEDED"}' && $t -lt 3000 ]]; echo $?) \
  "exit $rc after $t ms: $out"

# 2. --task-concurrency 1 runs them one at a time (in order).
out=$("$cli" run "$work/map.asl.json" --input '[1,2,3]' --task-concurrency 1 \
  --task "Work=cat >> $work/order; echo >> $work/order; cat $work/order | wc -l" 2>&1)
expect "--task-concurrency 1 runs commands one at a time" \
  $([[ "$out" == '{"output":[1,2,3],"status":"SUCCEEDED"}' && "$(cat "$work/order")" == $'1\n2\n3' ]]; echo $?) \
  "$out / $(cat "$work/order")"

# 3. A hanging command is killed at TimeoutSeconds: real time, then virtual time.
for flags in "" "--virtual-time"; do
  t0=$(ms)
  out=$("$cli" run "$work/timeout.asl.json" $flags --task 'Work=sleep 60' 2>&1)
  rc=$? t=$(( $(ms) - t0 ))
  expect "sleep 60 with TimeoutSeconds 1 times out ($flags)" \
    $([[ $rc -eq 1 && "$out" == '{"error":"States.Timeout","status":"FAILED"}' && $t -ge 950 && $t -lt 5000 ]]; echo $?) \
    "exit $rc after $t ms: $out"
done

# 4. Under --virtual-time a one-hour Wait after a command is instant.
t0=$(ms)
out=$("$cli" run "$work/then_wait.asl.json" --virtual-time --task 'Work=echo 5' 2>&1)
rc=$? t=$(( $(ms) - t0 ))
expect "a Wait after a command takes no real time under --virtual-time" \
  $([[ $rc -eq 0 && "$out" == '{"output":5,"status":"SUCCEEDED"}' && $t -lt 3000 ]]; echo $?) \
  "exit $rc after $t ms: $out"

# 5. Heartbeat lines and the error object on stderr.
out=$("$cli" run "$work/then_wait.asl.json" --virtual-time \
  --task 'Work=echo "{\"Heartbeat\":true}" >&2; echo "{\"Error\":\"Job.Failed\",\"Cause\":\"disk\"}" >&2; exit 1' 2>&1)
expect "a command's error object names the error" \
  $([[ "$out" == '{"cause":"disk","error":"Job.Failed","status":"FAILED"}' ]]; echo $?) "$out"

# 6. Bad option values are usage errors.
out=$("$cli" run "$work/map.asl.json" --task-concurrency 0 2>&1)
expect "--task-concurrency 0 is refused" \
  $([[ $? -eq 2 && "$out" == "stepwise run: --task-concurrency needs a whole number from 1 to 4096" ]]; echo $?) "$out"
out=$("$cli" run "$work/map.asl.json" --kill-grace soon 2>&1)
expect "--kill-grace needs seconds" \
  $([[ $? -eq 2 && "$out" == "stepwise run: --kill-grace needs a number of seconds from 0 to 3600" ]]; echo $?) "$out"

# 7. A missing program.
out=$("$cli" run "$work/then_wait.asl.json" --virtual-time --task 'Work=/nonexistent/prog' 2>&1)
expect "a missing program fails the task" \
  $([[ "$out" == '{"cause":"'"'"'/bin/sh'"'"' exited with status 127; stderr: /bin/sh: 1: /nonexistent/prog: not found","error":"States.TaskFailed","status":"FAILED"}' ]]; echo $?) "$out"

echo "process cli: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
