#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# Durable executions from the command line: `run --checkpoint-db`, a real crash (the task's
# command kills `stepwise` with SIGKILL), `--resume`, `--redrive` and `executions`.
# Usage: durable_cli_test.sh PATH_TO_STEPWISE
set -u
cli="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fails=0 passes=0
expect() {  # name, condition result (0 = pass), details
  if [[ $2 -eq 0 ]]; then passes=$((passes + 1)); else echo "FAIL $1: $3"; fails=$((fails + 1)); fi
}

if ! "$cli" executions --help >/dev/null 2>&1; then
  echo "SKIP: this stepwise has no executions command"
  exit 77
fi

cat > "$work/flow.asl.json" <<'JSON'
{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Result": {"n": 1}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 3600, "Next": "Work"},
    "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}
  }
}
JSON
db="$work/runs.db"

# 1. The task's command kills stepwise itself: a crash in the middle of a task.
out=$("$cli" run "$work/flow.asl.json" --virtual-time --checkpoint-db "$db" --name job-1 \
      --task 'Work=kill -9 $PPID' 2>&1)
rc=$?
expect "the crash kills stepwise" $([[ $rc -eq 137 ]]; echo $?) "exit $rc: $out"
list=$("$cli" executions --checkpoint-db "$db")
expect "executions shows it RUNNING in Work" \
  $([[ "$list" == *"job-1"*"RUNNING"*"Work"* ]]; echo $?) "$list"

# 2. Resume with a working task: it ends, without re-running Prepare or the Wait.
out=$("$cli" run --checkpoint-db "$db" --resume job-1 --virtual-time \
      --task 'Work=cat' --history "$work/h.json" 2>&1)
rc=$?
expect "resume succeeds" $([[ $rc -eq 0 && "$out" == '{"output":{"n":1},"status":"SUCCEEDED"}' ]]; echo $?) "exit $rc: $out"
entered=$(grep -c '"WaitStateEntered"' "$work/h.json")
expect "the Wait was entered once" $([[ "$entered" -eq 1 ]]; echo $?) "entered $entered times"

# 3. A failure, then a redrive that succeeds.
cat > "$work/fail_once.sh" <<SH
#!/usr/bin/env bash
if [[ ! -e "$work/once" ]]; then touch "$work/once"; exit 1; fi
cat
SH
chmod +x "$work/fail_once.sh"
out=$("$cli" run "$work/flow.asl.json" --virtual-time --checkpoint-db "$db" --name job-2 \
      --task "Work=$work/fail_once.sh" 2>&1)
expect "the first run fails" $([[ $? -eq 1 && "$out" == *'"FAILED"'* ]]; echo $?) "$out"
out=$("$cli" run --checkpoint-db "$db" --redrive job-2 --virtual-time \
      --task "Work=$work/fail_once.sh" 2>&1)
expect "the redrive succeeds" $([[ $? -eq 0 && "$out" == *'"SUCCEEDED"'* ]]; echo $?) "$out"
list=$("$cli" executions --checkpoint-db "$db" --json)
expect "executions lists the redrive count" \
  $([[ "$list" == *'"redriveCount": 1'* ]]; echo $?) "$list"
out=$("$cli" run --checkpoint-db "$db" --redrive job-2 2>&1)
expect "a succeeded execution cannot be redriven" \
  $([[ $? -eq 2 && "$out" == *"SUCCEEDED and cannot be redriven"* ]]; echo $?) "$out"

# 4. Bad input: another definition, a missing name, a file that is not a database.
echo '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}' > "$work/other.asl.json"
( "$cli" run "$work/flow.asl.json" --virtual-time --checkpoint-db "$db" --name job-3 \
  --task 'Work=kill -9 $PPID' >/dev/null 2>&1 ) 2>/dev/null
out=$("$cli" run "$work/other.asl.json" --checkpoint-db "$db" --resume job-3 2>&1)
expect "resume under another definition is refused" \
  $([[ $? -eq 2 && "$out" == *"another definition"* ]]; echo $?) "$out"
out=$("$cli" run --checkpoint-db "$db" --resume nobody 2>&1)
expect "resume of an unknown name" $([[ $? -eq 2 && "$out" == *"NOT_FOUND"* ]]; echo $?) "$out"
echo "this is not a database" > "$work/junk.db"
out=$("$cli" executions --checkpoint-db "$work/junk.db" 2>&1)
expect "a junk file is refused" $([[ $? -eq 2 ]]; echo $?) "$out"
expect "and left as it was" $([[ "$(cat "$work/junk.db")" == "this is not a database" ]]; echo $?) "changed"

echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
