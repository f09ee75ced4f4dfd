#!/usr/bin/env bash
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# Durable executions in PostgreSQL from the command line: `run --checkpoint-db postgresql://...`
# through a real crash (the task's command kills `stepwise` with SIGKILL) and `--resume`, the
# `postgres:CONNINFO` form, `executions` with its OWNER column, and clear errors for a server
# that is not there and a schema of another application. Starts a private PostgreSQL 15 on a
# Unix socket in a temporary directory (as the `postgres` user when run as root); exits 77
# (skipped) when PostgreSQL 15 is not installed.
# Usage: postgres_cli_test.sh PATH_TO_STEPWISE
set -u
cli="$1"
pgbin="${STEPWISE_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [[ ! -x "$pgbin/initdb" || ! -x "$pgbin/pg_ctl" ]]; then
  echo "SKIP: PostgreSQL 15 is not installed (no $pgbin/initdb; apt-get install postgresql-15)"
  exit 77
fi
if "$cli" executions --checkpoint-db 'postgres:host=/nonexistent' 2>&1 | grep -q "no PostgreSQL"; then
  echo "SKIP: this stepwise was built without the PostgreSQL store"
  exit 77
fi

work="$(mktemp -d)"
as_pg=()
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
stop_server() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -m fast -w -s stop >/dev/null 2>&1
  rm -rf "$work"
}
trap stop_server EXIT
"${as_pg[@]}" "$pgbin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --no-locale \
  --no-sync --no-instructions >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log"; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 30 -s \
  -o "-k $work -p 5432 -c listen_addresses= -c fsync=off" start || { cat "$work/server.log"; exit 1; }

fails=0 passes=0
expect() {  # name, condition result (0 = pass), details
  if [[ $2 -eq 0 ]]; then passes=$((passes + 1)); else echo "FAIL $1: $3"; fails=$((fails + 1)); fi
}
db="postgresql://postgres@${work//\//%2F}:5432/postgres"
conninfo="postgres:host=$work port=5432 user=postgres dbname=postgres"

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

# 1. A crash in the middle of a task, checkpointed in PostgreSQL.
out=$("$cli" run "$work/flow.asl.json" --virtual-time --checkpoint-db "$db" --name job-1 \
      --task 'Work=kill -9 $PPID' 2>&1)
rc=$?
expect "the crash kills stepwise" $([[ $rc -eq 137 ]]; echo $?) "exit $rc: $out"
list=$("$cli" executions --checkpoint-db "$db")
expect "executions shows it RUNNING in Work, with no owner" \
  $([[ "$list" == *"OWNER"*"job-1"*"RUNNING"*"Work"*"-" ]]; echo $?) "$list"

# 2. Resumed through the conninfo form: it ends without re-running Prepare or the Wait.
out=$("$cli" run --checkpoint-db "$conninfo" --resume job-1 --virtual-time \
      --task 'Work=cat' --history "$work/h.json" 2>&1)
rc=$?
expect "resume succeeds" \
  $([[ $rc -eq 0 && "$out" == '{"output":{"n":1},"status":"SUCCEEDED"}' ]]; echo $?) "exit $rc: $out"
entered=$(grep -c '"WaitStateEntered"' "$work/h.json")
expect "the Wait was entered once" $([[ "$entered" -eq 1 ]]; echo $?) "entered $entered times"
list=$("$cli" executions --checkpoint-db "$db" --status SUCCEEDED --json)
expect "executions --json lists it SUCCEEDED with a null owner" \
  $([[ "$list" == *'"name": "job-1"'* && "$list" == *'"owner": null'* ]]; echo $?) "$list"

# 3. Errors: no server there, a schema of another application (left untouched).
out=$("$cli" executions --checkpoint-db "postgresql://postgres@%2Fnonexistent:5432/postgres" 2>&1)
expect "an unreachable server is a clear error" \
  $([[ $? -eq 2 && "$out" == *"UNAVAILABLE"*"cannot connect"* ]]; echo $?) "$out"
"${as_pg[@]}" "$pgbin/psql" -q -h "$work" -U postgres -d postgres -c \
  "CREATE DATABASE other; " >/dev/null
"${as_pg[@]}" "$pgbin/psql" -q -h "$work" -U postgres -d other -c \
  "CREATE TABLE stepwise_history(id int); INSERT INTO stepwise_history VALUES (7);" >/dev/null
out=$("$cli" run "$work/flow.asl.json" --virtual-time --name x --task 'Work=cat' \
      --checkpoint-db "postgresql://postgres@${work//\//%2F}:5432/other" 2>&1)
expect "a database of another application is refused" \
  $([[ $? -eq 2 && "$out" == *"FAILED_PRECONDITION"*"another application"* ]]; echo $?) "$out"
kept=$("${as_pg[@]}" "$pgbin/psql" -At -h "$work" -U postgres -d other -c \
  "SELECT count(*) || ':' || max(id) FROM stepwise_history")
expect "and left as it was" $([[ "$kept" == "1:7" ]]; echo $?) "$kept"

echo "$passes passed, $fails failed"
[[ $fails -eq 0 ]]
