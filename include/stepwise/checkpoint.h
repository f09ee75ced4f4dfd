// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Checkpoints of Standard executions (docs/guide.md section 9): the `CheckpointStore` interface a
// host implements over its own storage (Redis, PostgreSQL, a game's save system), and the
// in-memory store. The SQLite store is the separate target `stepwise::sqlite`
// (`stepwise/sqlite/checkpoint_store.h`). docs/checkpoints.md specifies the contract.
//
// An execution's checkpoint is a set of small records, one per part of the execution that
// changes independently (the execution itself, each running frame, each finished Map
// iteration...), plus its history. Each `step()` of the engine commits only what changed, as
// one atomic batch, so a commit costs what the step did, never the size of the execution.
#ifndef STEPWISE_CHECKPOINT_H_
#define STEPWISE_CHECKPOINT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/export.h"
#include "stepwise/status.h"

namespace stepwise {

// The version of the record layout the engine writes (docs/checkpoints.md). Stores keep it
// opaque; the engine refuses to resume a checkpoint written with another version.
inline constexpr int kCheckpointFormatVersion = 1;

// The execution-level row of a checkpoint: what `list` returns and what a host shows in a
// console. Replaced as a whole by each commit.
struct ExecutionSummary {
  std::string name;  // execution name: the key of the checkpoint
  std::string state_machine_name;
  std::string fingerprint;  // StateMachine::fingerprint() of the definition
  int format_version = kCheckpointFormatVersion;
  // "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT" or "ABORTED" (execution_status_name).
  std::string status = "RUNNING";
  std::int64_t start_time = 0;  // nanoseconds since the epoch
  std::int64_t stop_time = 0;   // 0 while running
  std::int64_t redrive_count = 0;
  // The states the execution is in (top-level frame first); informational.
  std::string current_state;
  // Incremented by every commit: 1 for the first. The fencing token that stops two engines
  // from advancing one execution (see `CheckpointStore::commit`).
  std::uint64_t version = 0;
};

// One record of a checkpoint. Keys are unique within an execution.
struct CheckpointRecord {
  std::string key;
  std::string value;  // opaque to the store (the engine writes JSON text)
};

// Everything one engine step changed in one execution. Applied atomically.
struct CheckpointBatch {
  // The new summary. `summary.version` is the stored version plus one (1 creates the
  // execution); the store refuses the batch otherwise.
  ExecutionSummary summary;
  // The definition's ASL JSON; set in the first batch of an execution only (a later batch
  // that sets it replaces the stored one).
  std::optional<std::string> definition;
  // Insert or replace, in order: a later put of the same key wins. Applied before `deletes`,
  // so a key in both ends up deleted (the engine does not send a key in both).
  std::vector<CheckpointRecord> puts;
  std::vector<std::string> deletes;  // keys; deleting a missing key is not an error
  // History events appended, as AWS's JSON text, in id order; ids continue the stored ones.
  std::vector<std::string> history;
};

// A whole checkpoint, as `load` returns it.
struct StoredExecution {
  ExecutionSummary summary;
  std::string definition;
  std::vector<CheckpointRecord> records;  // any order
  std::vector<std::string> history;       // in the order appended
};

// Selects summaries for `list`.
struct ExecutionFilter {
  // Only executions with this status ("RUNNING" finds those to resume). Empty: all.
  std::string status;
  // Only names starting with this. Empty: all.
  std::string name_prefix;
  // At most this many, in name order. 0: no limit.
  std::size_t limit = 0;
  // Only names after this one (exclusive): the last name of the previous page, to page
  // through many executions with `limit`. Empty: from the first name.
  std::string start_after;
};

// Durable storage of checkpoints.
//
// Host interface. The engine calls every method on the thread that calls `step()`/`resume()`;
// a store shared by several engines (or processes) must be safe for that use. Failures are
// reported as a non-OK `Status`; the engine stops the execution and never continues past an
// uncommitted step.
class STEPWISE_EXPORT CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  CheckpointStore() = default;
  CheckpointStore(const CheckpointStore&) = delete;  // an interface: share stores by pointer
  CheckpointStore& operator=(const CheckpointStore&) = delete;

  // Applies `batch` to execution `batch.summary.name` atomically: the summary, every put and
  // delete, and the history append all become durable together, or none does (a crash in the
  // middle leaves the previous checkpoint intact). When the call returns OK the batch must
  // survive a process crash (an OS crash too, if the store promises it).
  // Fails with kFailedPrecondition, changing nothing, when `batch.summary.version` is not the
  // stored version plus one (another engine advanced the execution; or version 1 for a name
  // that exists).
  virtual Status commit(const CheckpointBatch& batch) = 0;

  // The checkpoint of execution `name`; kNotFound when there is none, kDataLoss when the
  // stored data is unreadable.
  virtual Result<StoredExecution> load(std::string_view name) = 0;

  // Summaries of the stored executions that match `filter`, in name order (byte-wise, as
  // `std::string` compares).
  virtual Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) = 0;

  // Deletes execution `name` and its records and history. kNotFound when absent.
  virtual Status remove(std::string_view name) = 0;
};

// A store in memory: durable only while the process lives. For tests, and for hosts that
// checkpoint elsewhere. Thread-safe.
STEPWISE_EXPORT std::shared_ptr<CheckpointStore> make_memory_checkpoint_store();

}  // namespace stepwise

#endif  // STEPWISE_CHECKPOINT_H_
