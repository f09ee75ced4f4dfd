// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The SQL of the PostgreSQL store's schema, version 1 (docs/fleet.md gives it with comments).
// `{s}` stands for the quoted schema name and a dot; the store substitutes it.
//
// Names, summary strings, record keys and values, definitions and events are bytea: the store
// treats them as opaque bytes (the contract allows any byte in a name, and a database's
// encoding may refuse some), and bytea compares byte-wise, as `std::string` does.
#ifndef STEPWISE_SRC_CHECKPOINT_POSTGRES_SCHEMA_H_
#define STEPWISE_SRC_CHECKPOINT_POSTGRES_SCHEMA_H_

namespace stepwise::internal {

// The tables (and indexes) of schema version 1; a schema holding any of these without our
// stepwise_meta table belongs to someone else.
inline constexpr const char* kPostgresTables[] = {
    "stepwise_meta",    "stepwise_executions", "stepwise_definitions", "stepwise_records",
    "stepwise_history", "stepwise_leases",     "stepwise_queue",
};

// Creates schema version 1; run in the transaction that holds the creation lock.
inline constexpr const char* kPostgresCreateSchema = R"sql(
CREATE TABLE {s}stepwise_meta(
  key text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO {s}stepwise_meta(key, value) VALUES ('application', 'stepwise checkpoints'),
                                               ('schema_version', '1');
CREATE TABLE {s}stepwise_executions(
  name bytea PRIMARY KEY,
  state_machine_name bytea NOT NULL,
  fingerprint bytea NOT NULL,
  format_version integer NOT NULL,
  status bytea NOT NULL,
  start_time bigint NOT NULL,
  stop_time bigint NOT NULL,
  redrive_count bigint NOT NULL,
  current_state bytea NOT NULL,
  version bigint NOT NULL,
  history_length bigint NOT NULL
);
CREATE INDEX stepwise_executions_by_status ON {s}stepwise_executions(status, name);
CREATE TABLE {s}stepwise_definitions(
  execution bytea PRIMARY KEY,
  definition bytea NOT NULL
);
CREATE TABLE {s}stepwise_records(
  execution bytea NOT NULL,
  key bytea NOT NULL,
  value bytea NOT NULL,
  PRIMARY KEY (execution, key)
);
CREATE TABLE {s}stepwise_history(
  execution bytea NOT NULL,
  seq bigint NOT NULL,
  event bytea NOT NULL,
  PRIMARY KEY (execution, seq)
);
CREATE TABLE {s}stepwise_leases(
  execution bytea PRIMARY KEY,
  node text NOT NULL,
  epoch bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  acquired_at timestamptz NOT NULL
);
CREATE INDEX stepwise_leases_by_expiry ON {s}stepwise_leases(expires_at);
CREATE TABLE {s}stepwise_queue(
  execution bytea PRIMARY KEY,
  id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  payload bytea NOT NULL,
  enqueued_at timestamptz NOT NULL DEFAULT now()
);

-- One commit, one call: the lease check (p_node not null), the version check, then the
-- batch. outcome 0: applied; 1: version conflict (stored_version: the stored version, null
-- when none); 2: lease lost (holder, holder_epoch, holder_live: the lease found, if any).
CREATE FUNCTION {s}stepwise_commit_v1(
    p_name bytea, p_machine bytea, p_fingerprint bytea, p_format integer, p_status bytea,
    p_start bigint, p_stop bigint, p_redrive bigint, p_current bytea, p_version bigint,
    p_definition bytea, p_put_keys bytea[], p_put_values bytea[], p_deletes bytea[],
    p_history bytea[], p_node text, p_epoch bigint,
    OUT outcome integer, OUT stored_version bigint, OUT holder text, OUT holder_epoch bigint,
    OUT holder_live boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_events bigint := coalesce(cardinality(p_history), 0);
  v_base bigint;
BEGIN
  IF p_node IS NOT NULL THEN
    -- FOR SHARE: a takeover (an UPDATE of the row) waits for this commit, and this commit
    -- waits for a takeover in progress, then sees its new epoch.
    SELECT l.node, l.epoch, l.expires_at > now() INTO holder, holder_epoch, holder_live
      FROM {s}stepwise_leases l WHERE l.execution = p_name FOR SHARE;
    IF NOT FOUND OR holder <> p_node OR holder_epoch <> p_epoch OR NOT holder_live THEN
      outcome := 2;
      RETURN;
    END IF;
  END IF;
  IF p_version = 1 THEN
    INSERT INTO {s}stepwise_executions(name, state_machine_name, fingerprint, format_version,
        status, start_time, stop_time, redrive_count, current_state, version, history_length)
      VALUES (p_name, p_machine, p_fingerprint, p_format, p_status, p_start, p_stop, p_redrive,
              p_current, 1, v_events)
      ON CONFLICT (name) DO NOTHING;
    IF NOT FOUND THEN
      SELECT e.version INTO stored_version FROM {s}stepwise_executions e WHERE e.name = p_name;
      outcome := 1;
      RETURN;
    END IF;
    v_base := 0;
    DELETE FROM {s}stepwise_queue WHERE execution = p_name;
  ELSE
    UPDATE {s}stepwise_executions e SET state_machine_name = p_machine,
        fingerprint = p_fingerprint, format_version = p_format, status = p_status,
        start_time = p_start, stop_time = p_stop, redrive_count = p_redrive,
        current_state = p_current, version = p_version,
        history_length = e.history_length + v_events
      WHERE e.name = p_name AND e.version = p_version - 1
      RETURNING e.history_length - v_events INTO v_base;
    IF NOT FOUND THEN
      SELECT e.version INTO stored_version FROM {s}stepwise_executions e WHERE e.name = p_name;
      outcome := 1;
      RETURN;
    END IF;
  END IF;
  IF p_definition IS NOT NULL THEN
    INSERT INTO {s}stepwise_definitions(execution, definition) VALUES (p_name, p_definition)
      ON CONFLICT (execution) DO UPDATE SET definition = excluded.definition;
  END IF;
  IF cardinality(p_put_keys) > 0 THEN
    INSERT INTO {s}stepwise_records(execution, key, value)
      SELECT p_name, u.k, u.v FROM unnest(p_put_keys, p_put_values) AS u(k, v)
      ON CONFLICT (execution, key) DO UPDATE SET value = excluded.value;
  END IF;
  IF cardinality(p_deletes) > 0 THEN
    DELETE FROM {s}stepwise_records WHERE execution = p_name AND key = ANY (p_deletes);
  END IF;
  IF v_events > 0 THEN
    INSERT INTO {s}stepwise_history(execution, seq, event)
      SELECT p_name, v_base + u.n, u.e FROM unnest(p_history) WITH ORDINALITY AS u(e, n);
  END IF;
  outcome := 0;
  stored_version := p_version;
END
$fn$;

-- Removes an execution; false when there is none. The summary row goes first: its row lock
-- waits for a commit in progress, and the later statements see what that commit wrote.
CREATE FUNCTION {s}stepwise_remove_v1(p_name bytea) RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM {s}stepwise_executions WHERE name = p_name;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  DELETE FROM {s}stepwise_records WHERE execution = p_name;
  DELETE FROM {s}stepwise_history WHERE execution = p_name;
  DELETE FROM {s}stepwise_definitions WHERE execution = p_name;
  RETURN true;
END
$fn$;
)sql";

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_CHECKPOINT_POSTGRES_SCHEMA_H_
