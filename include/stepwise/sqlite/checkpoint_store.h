// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The SQLite checkpoint store (target `stepwise::sqlite`): every checkpoint in one database
// file, which several processes may share. docs/checkpoints.md describes the schema.
//
//   auto store = stepwise::open_sqlite_checkpoint_store("/var/lib/app/checkpoints.db");
//   if (!store.ok()) return fail(store.status());  // "DATA_LOSS: ...: file is not a database"
//   options.checkpoint_store = *store;
//
// Design choices:
// - WAL journal: readers never block the writer, and a commit appends to the log instead of
//   rewriting pages in place. Each `commit` is one `BEGIN IMMEDIATE` transaction, so
//   processes queue for the write lock (up to `busy_timeout_ms`) instead of failing.
// - Records are rows of a `WITHOUT ROWID` table keyed by (execution, key): a commit writes
//   the rows its batch names, whatever the number of records stored.
// - The summary's `version` is checked inside the write transaction: it is the fencing token
//   that stops two processes from both advancing one execution.
// - The file carries an application id and a schema version; a file of another application
//   or version is refused before anything is written to it.
#ifndef STEPWISE_SQLITE_CHECKPOINT_STORE_H_
#define STEPWISE_SQLITE_CHECKPOINT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "stepwise/checkpoint.h"
#include "stepwise/export.h"
#include "stepwise/status.h"

namespace stepwise {

// The schema version this build reads and writes (`PRAGMA user_version` of the file, and the
// `schema_version` row of its `meta` table). Values are persisted; do not reuse.
inline constexpr int kSqliteCheckpointSchemaVersion = 1;

// `PRAGMA application_id` of a Stepwise checkpoint database: "SWCK".
inline constexpr std::int32_t kSqliteCheckpointApplicationId = 0x5357434B;

struct SqliteStoreOptions {
  // --- Behaviour ---

  // Creates the file (and the schema) when it does not exist; otherwise opening a missing
  // file fails with kNotFound.
  // Default: true.
  bool create_if_missing = true;

  // How hard a commit pushes its data to the disk before returning OK.
  enum class Synchronous {
    // Every commit is synced: a committed batch survives a power loss or OS crash.
    kFull,
    // The log is synced only at checkpoints of the WAL: a committed batch survives a crash
    // of the process, but the last commits may be lost on a power loss or OS crash. Faster.
    kNormal,
  };
  // Default: kFull.
  Synchronous synchronous = Synchronous::kFull;

  // Upper bound on the size of the database file, in bytes (rounded down to whole pages). A
  // commit that would grow the file beyond it fails with kResourceExhausted and changes
  // nothing, as when the disk is full. 0: no bound beyond SQLite's own.
  // Default: 0.
  std::int64_t max_size_bytes = 0;

  // --- Performance ---

  // How long an operation waits for another connection (thread or process) to release the
  // database before failing with kUnavailable, in milliseconds.
  // Default: 5000.
  int busy_timeout_ms = 5000;
};

// Opens (creating it if allowed and missing) the checkpoint database at `path`.
//
// Fails, without writing to the file, with:
// - kNotFound when `path` does not exist and `options.create_if_missing` is false;
// - kDataLoss when the file is not a SQLite database, or is corrupted or truncated;
// - kFailedPrecondition when it is a SQLite database of another application, or a Stepwise
//   checkpoint database of another schema version;
// - kUnavailable when it cannot be opened (permissions, missing directory) or stays locked.
//
// The store holds one connection. Thread-safe: all methods may be called concurrently (they
// are serialized). Any number of stores, in any number of processes, may open the same file;
// the file must be on a local file system (SQLite's WAL needs shared memory, which network
// file systems do not provide).
STEPWISE_EXPORT Result<std::shared_ptr<CheckpointStore>> open_sqlite_checkpoint_store(
    const std::string& path, const SqliteStoreOptions& options = {});

}  // namespace stepwise

#endif  // STEPWISE_SQLITE_CHECKPOINT_STORE_H_
