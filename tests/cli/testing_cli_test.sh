#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# End-to-end checks of the testing commands of `stepwise`: `run --mock-config` (Step Functions
# Local mock files) and `test-state` (AWS's TestState API). Usage: testing_cli_test.sh STEPWISE
set -u
cli="$1"
dir="$(cd "$(dirname "$0")" && pwd)/mock"
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

check "run --mock-config serves the test case" 0 \
  '{"output":{"charge":{"ok":true},"ship":"shipped"},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/orders.asl.json" --virtual-time --mock-config "$dir/orders.mocks.json" --test-case HappyPath
check "retries count as invocations" 0 \
  '{"output":{"charge":{"attempts":3,"ok":true},"ship":"shipped"},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/orders.asl.json" --virtual-time --mock-config "$dir/orders.mocks.json" --test-case RetryPath
check "unmocked tasks go to --task (hybrid)" 0 \
  '{"output":{"charge":{"ok":true},"ship":{"charge":{"ok":true}}},"status":"SUCCEEDED"}' \
  "$cli" run "$dir/orders.asl.json" --virtual-time --mock-config "$dir/orders.mocks.json" \
  --test-case HybridPath --task 'Ship=echo'
check "a missing invocation fails the execution" 1 \
  '{"cause":"No mocked response for invocation 2 of state '"'"'Charge'"'"' in test case '"'"'OutOfResponses'"'"': its mocked response defines invocations 0-1","error":"States.Runtime","status":"FAILED"}' \
  "$cli" run "$dir/orders.asl.json" --virtual-time --mock-config "$dir/orders.mocks.json" --test-case OutOfResponses
check "SFN_MOCK_CONFIG names the mock file" 0 \
  '{"output":{"charge":{"ok":true},"ship":"shipped"},"status":"SUCCEEDED"}' \
  env SFN_MOCK_CONFIG="$dir/orders.mocks.json" "$cli" run "$dir/orders.asl.json" --virtual-time --test-case HappyPath
check "an unknown test case is an error with its location" 2 \
  "$dir/orders.mocks.json:/StateMachines/orders/TestCases/Nope: no test case named \"Nope\" for state machine \"orders\" (it has: HappyPath, HybridPath, OutOfResponses, RetryPath)" \
  "$cli" run "$dir/orders.asl.json" --mock-config "$dir/orders.mocks.json" --test-case Nope
check "an unknown state machine is an error" 2 \
  "$dir/orders.mocks.json:/StateMachines/billing: no state machine named \"billing\" in the mock configuration (it has: orders)" \
  "$cli" run "$dir/orders.asl.json" --mock-config "$dir/orders.mocks.json" --test-case HappyPath --state-machine billing
check "a malformed mock file names the pointer" 2 \
  "$dir/bad.mocks.json:/StateMachines/orders/TestCases/T/Charge: no mocked response named \"Missing\" in /MockedResponses" \
  "$cli" run "$dir/orders.asl.json" --mock-config "$dir/bad.mocks.json" --test-case T
check "test-state runs one state and reports the next state" 0 \
  '{"nextState":"Charge","output":{"order":{"id":7,"status":"new"}},"status":"SUCCEEDED"}' \
  "$cli" test-state --definition "$dir/state.json" --input '{"order":{"id":7}}'
check "test-state DEBUG adds inspection data" 0 \
  '{"inspectionData":{"afterInputPath":{"id":7},"afterParameters":{"id":7,"status":"new"},"afterResultPath":{"order":{"id":7,"status":"new"}},"afterResultSelector":{"id":7,"status":"new"},"input":{"order":{"id":7}}},"nextState":"Charge","output":{"order":{"id":7,"status":"new"}},"status":"SUCCEEDED"}' \
  "$cli" test-state --definition "$dir/state.json" --input '{"order":{"id":7}}' --inspection-level DEBUG
check "test-state picks a state of a machine and mocks its error" 1 \
  '{"cause":"try again","error":"Payments.Busy","status":"RETRIABLE"}' \
  "$cli" test-state --definition "$dir/orders.asl.json" --state Charge \
  --mock '{"errorOutput":{"error":"Payments.Busy","cause":"try again"}}'
check "test-state exits 1 when retries are exhausted" 1 \
  '{"cause":"try again","error":"Payments.Busy","status":"FAILED"}' \
  "$cli" test-state --definition "$dir/orders.asl.json" --state Charge \
  --mock '{"errorOutput":{"error":"Payments.Busy","cause":"try again"}}' \
  --state-configuration '{"retrierRetryCount":3}'
check "test-state with an unknown state is a usage error" 2 \
  "stepwise test-state: no state named 'Nope' in the state machine" \
  "$cli" test-state --definition "$dir/orders.asl.json" --state Nope

echo "cli testing: $passes passed, $fails failed"
echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
