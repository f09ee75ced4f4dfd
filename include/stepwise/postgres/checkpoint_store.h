// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The PostgreSQL checkpoint store (target `stepwise::postgres`): checkpoints in a PostgreSQL
// database (version 12 or later) that many processes on many hosts share, with the fleet
// operations of `stepwise/fleet.h`. docs/fleet.md describes the schema and the lease model.
//
//   auto store = stepwise::make_postgres_checkpoint_store("postgresql://app@db:5432/stepwise");
//   if (!store.ok()) return fail(store.status());  // "UNAVAILABLE: ...: connection refused"
//   options.checkpoint_store = *store;
//
// Design choices:
// - One commit is one call of a server-side function, in one round trip: the version check
//   (and, for `commit_fenced`, the lease check), the summary, the definition, every put and
//   delete and the history append, passed as binary arrays. Its cost is that of the batch.
// - The store creates its tables itself (in one transaction, under an advisory lock so that
//   processes starting together do not collide), and identifies them by a `stepwise_meta`
//   table: a schema of another application or of a newer Stepwise is refused, untouched.
// - Names, record keys and values, definitions and events are `bytea`: opaque and
//   binary-safe, compared byte-wise.
// - One connection, shared by the store's threads under a mutex, reconnected with backoff when
//   lost; a second one for `wait_for_notification`.
#ifndef STEPWISE_POSTGRES_CHECKPOINT_STORE_H_
#define STEPWISE_POSTGRES_CHECKPOINT_STORE_H_

#include <chrono>
#include <memory>
#include <string>

#include "stepwise/checkpoint.h"
#include "stepwise/export.h"
#include "stepwise/fleet.h"
#include "stepwise/status.h"

namespace stepwise {

// The schema version this build reads and writes (the `schema_version` row of the
// `stepwise_meta` table). Values are persisted; do not reuse.
inline constexpr int kPostgresCheckpointSchemaVersion = 1;

// The `application` row of the `stepwise_meta` table of a Stepwise schema.
inline constexpr const char* kPostgresCheckpointApplication = "stepwise checkpoints";

struct PostgresStoreOptions {
  // --- Behaviour ---

  // The schema (namespace) holding the store's tables (stepwise_meta, stepwise_executions,
  // ...), created when missing. Empty: the connection's current schema (the first existing
  // schema of its search_path, usually "public").
  // Default: empty.
  std::string schema;

  // Creates the tables when the schema has none; otherwise such a schema is kNotFound.
  // Default: true.
  bool create_if_missing = true;

  // The fleet's name: nodes of one fleet wake each other on the channel
  // "stepwise.<schema>.<fleet>" (at most 63 bytes in all).
  // Default: "default".
  std::string fleet = "default";

  // Whether an OK commit waits for the server to flush it to disk (PostgreSQL's
  // `synchronous_commit`). false: an OK commit survives a crash of the client, but the last
  // ones may be lost if the server crashes; faster.
  // Default: true.
  bool synchronous_commit = true;

  // --- Connections ---

  // Seconds to wait for a connection (libpq's connect_timeout), unless the connection string
  // gives one.
  // Default: 10.
  int connect_timeout_seconds = 10;

  // After a lost connection, each call reconnects first; when that fails, calls fail at once
  // with kUnavailable until the backoff has passed, which doubles from the minimum up to the
  // maximum with each failed attempt (and is reset by a successful one).
  // Default: 100 ms and 5 s.
  std::chrono::milliseconds reconnect_min_backoff{100};
  std::chrono::milliseconds reconnect_max_backoff{5000};
};

// Connects to the database given by `conninfo` (a libpq URI, "postgresql://user@host:port/db",
// or a key=value connection string, "host=db dbname=stepwise") and opens the store in it,
// creating the schema when it has none (see `options`).
//
// Fails with:
// - kInvalidArgument when `conninfo` cannot be parsed, or the channel name is too long;
// - kUnavailable when the server cannot be reached or refuses the connection (wrong
//   credentials, no such database), with libpq's message;
// - kFailedPrecondition when the schema holds tables of another application named like the
//   store's, or a Stepwise schema of another version (both left untouched);
// - kNotFound when the schema has no tables and `options.create_if_missing` is false;
// - kDataLoss when the schema is Stepwise's but damaged (a table missing, an unreadable
//   version).
//
// Thread-safe: all methods may be called concurrently (they are serialized on one
// connection). Any number of stores, in any number of processes and hosts, may use one
// database and schema.
STEPWISE_EXPORT Result<std::shared_ptr<FleetStore>> make_postgres_checkpoint_store(
    std::string conninfo, PostgresStoreOptions options = {});

}  // namespace stepwise

#endif  // STEPWISE_POSTGRES_CHECKPOINT_STORE_H_
