#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# End-to-end checks of the `stepwise` command line: output formats and exit codes of
# validate, run, jsonata and help. Usage: run_cli_test.sh PATH_TO_STEPWISE
set -u
cli="$1"
dir="$(cd "$(dirname "$0")" && pwd)"
fails=0 passes=0
check() {  # name, expected exit, expected output (exact), command...
  local name="$1" want_rc="$2" want_out="$3"
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $want_rc || "$out" != "$want_out" ]]; then
    echo "FAIL $name: exit $rc (want $want_rc), output:"
    echo "$out"
    echo "want:"
    echo "$want_out"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}
contains() {  # name, expected exit, expected substring, command...
  local name="$1" want_rc="$2" want="$3"
  shift 3
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  if [[ $rc -ne $want_rc || "$out" != *"$want"* ]]; then
    echo "FAIL $name: exit $rc (want $want_rc), output: $out"
    fails=$((fails + 1))
  else
    passes=$((passes + 1))
  fi
}

check "validate accepts a valid file" 0 "" "$cli" validate "$dir/valid.asl.json"
check "validate reports FILE:POINTER: CODE: message" 1 \
"$dir/invalid.asl.json:/States/Charge/Next: MISSING_TRANSITION_TARGET: Missing 'Next' target: Chrage
$dir/invalid.asl.json:/States/Done: MISSING_TRANSITION_TARGET: State \"Done\" is not reachable." \
  "$cli" validate "$dir/invalid.asl.json"
contains "validate fails when any file is invalid" 1 "MISSING_TRANSITION_TARGET" \
  "$cli" validate "$dir/valid.asl.json" "$dir/invalid.asl.json"
contains "validate reports an unreadable file" 1 "cannot read" "$cli" validate "$dir/missing.json"
contains "validate --help explains itself" 0 "FILE:POINTER: CODE: message" "$cli" validate --help
contains "--help lists the commands" 0 "stepwise validate FILE" "$cli" --help
contains "an unknown command is a usage error" 2 "unknown command" "$cli" frobnicate
check "run prints the result" 0 '{"output":{"greeting":"hi"},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/valid.asl.json"
contains "run with an invalid definition exits 2" 2 "MISSING_TRANSITION_TARGET" \
  "$cli" run "$dir/invalid.asl.json"
contains "run rejects input that is not JSON" 2 "not JSON" \
  "$cli" run "$dir/valid.asl.json" --input '{oops'
check "run --task echo serves a Task in-process" 0 '{"output":{"n":3},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/task.asl.json" --input '{"n":3}' --task '*=echo'
check "run --task runs a shell command" 0 '{"output":{"doubled":6},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/task.asl.json" --input '{"n":3}' \
  --task "arn:aws:states:::shell:work=sed -e 's/\"n\":3/\"doubled\":6/'"
check "a failing command fails the task" 1 \
  '{"cause":"boom","error":"Shell.Failed","status":"FAILED"}' \
  "$cli" run "$dir/task.asl.json" --task 'Work=echo {\"Error\":\"Shell.Failed\",\"Cause\":\"boom\"} >&2; exit 3'
check "jsonata evaluates an expression" 0 "6" "$cli" jsonata '$sum(a)' --data '{"a":[1,2,3]}'
check "jsonata reports undefined" 0 "undefined" "$cli" jsonata 'missing' --data '{}'
contains "jsonata reports a coded error" 1 "error S0" "$cli" jsonata '[1, 2'
check "run with virtual time finishes a long Wait at once" 0 '{"output":{},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/wait.asl.json" --virtual-time

# Bad input (issue 13): JSON nested 100,000 deep, as an input file and as a task's output, is
# refused with a clear message and exit code instead of overflowing the stack.
deep_dir=$(mktemp -d)
trap 'rm -rf "$deep_dir"' EXIT
{ printf '%100000s' '' | tr ' ' '['; printf '%100000s' '' | tr ' ' ']'; } > "$deep_dir/deep.json"
check "run refuses an input nested 100,000 deep" 2 \
  "stepwise run: the input is nested deeper than the maximum of 1000 levels" \
  "$cli" run "$dir/task.asl.json" --input "@$deep_dir/deep.json" --task '*=echo'
check "a task result nested 100,000 deep fails with States.DataLimitExceeded" 1 \
  '{"cause":"The task result is nested deeper than the maximum of 1000 levels.","error":"States.DataLimitExceeded","status":"FAILED"}' \
  "$cli" run "$dir/task.asl.json" --input '{"n":3}' --task "*=cat $deep_dir/deep.json"

echo "cli: $passes passed, $fails failed"
echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
