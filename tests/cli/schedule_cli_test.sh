#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# `stepwise schedule next`: fire times in ISO 8601 with the zone's offset, across a DST gap,
# and exit status 2 with the reason for an invalid expression, zone or option.
# Usage: schedule_cli_test.sh PATH_TO_STEPWISE
set -u
cli="$1"
fails=0 passes=0
check() {  # name, expected output, command...
  local name="$1" expected="$2"
  shift 2
  local got
  got="$("$@" 2>&1)"
  local rc=$?
  if [[ "$got" == "$expected" ]]; then passes=$((passes + 1)); else
    echo "FAIL $name (exit $rc):"; echo "  expected: $expected"; echo "  got:      $got"
    fails=$((fails + 1))
  fi
}
status() {  # name, expected exit status, command...
  local name="$1" expected="$2"
  shift 2
  "$@" >/dev/null 2>&1
  local rc=$?
  if [[ $rc -eq $expected ]]; then passes=$((passes + 1)); else
    echo "FAIL $name: exit $rc, expected $expected"; fails=$((fails + 1))
  fi
}

check "weekdays in Paris across the spring change" "2026-03-27T09:00:00+01:00
2026-03-30T09:00:00+02:00
2026-03-31T09:00:00+02:00" \
  "$cli" schedule next 'cron(0 9 ? * MON-FRI *)' --tz Europe/Paris --count 3 --after 2026-03-27T00:00:00Z
check "a time in the New York gap is skipped" "2026-03-07T02:30:00-05:00
2026-03-09T02:30:00-04:00" \
  "$cli" schedule next 'cron(30 2 * * ? *)' --tz America/New_York --count 2 --after 2026-03-07T00:00:00Z
check "a rate counts from --after" "2026-01-01T01:30:00+00:00
2026-01-01T03:00:00+00:00" \
  "$cli" schedule next 'rate(90 minutes)' --count 2 --after 2026-01-01T00:00:00Z
check "at() prints its one time" "2026-12-24T18:00:00+09:00" \
  "$cli" schedule next 'at(2026-12-24T18:00:00)' --tz Asia/Tokyo --after 2026-01-01T00:00:00Z
check "impossible date" "stepwise schedule: Invalid Schedule Expression cron(0 0 31 2 ? *): no date from 1970 to 2199 matches its day-of-month, month, day-of-week and year fields" \
  "$cli" schedule next 'cron(0 0 31 2 ? *)'
check "unknown zone" 'stepwise schedule: Invalid time zone "Mars/Olympus": Mars/Olympus not found in timezone database' \
  "$cli" schedule next 'rate(1 hour)' --tz Mars/Olympus
status "invalid expression exits 2" 2 "$cli" schedule next 'rate(1 hours)'
status "bad --count exits 2" 2 "$cli" schedule next 'rate(1 hour)' --count 0
status "bad --after exits 2" 2 "$cli" schedule next 'rate(1 hour)' --after yesterday
status "missing subcommand exits 2" 2 "$cli" schedule
status "--help exits 0" 0 "$cli" schedule --help

echo "schedule_cli_test: $passes passed, $fails failed"
[[ $fails -eq 0 ]]
