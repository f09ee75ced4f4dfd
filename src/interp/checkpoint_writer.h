// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `Checkpointer`: the engine's part that knows what a durable execution has changed since its
// last commit and how frames, data and failures are encoded as checkpoint records
// (docs/checkpoints.md). The run loop and the state pipelines mark frames and executions
// changed through `EngineImpl`'s one-line forwarders (`touch`, `mark_changed`, `put_record`,
// ...); a commit turns the changes into one `CheckpointBatch` (checkpoint_writer.cc). Reading
// the records back is checkpoint_loader.cc's job.
#ifndef STEPWISE_SRC_INTERP_CHECKPOINT_WRITER_H_
#define STEPWISE_SRC_INTERP_CHECKPOINT_WRITER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "interp/execution.h"
#include "stepwise/checkpoint.h"

namespace stepwise::internal {

class Checkpointer {
 public:
  // Marks `f` changed (level 1: frame record, 2: also its data record) for the next commit.
  void touch(Frame& f, std::uint8_t level) {
    Execution& ex = *f.execution;
    if (!ex.durable) return;
    if (f.ckpt->dirty < level) {
      if (f.ckpt->dirty == 0) ex.ckpt.mut().dirty_frames.insert(&f);
      f.ckpt.mut().dirty = level;
    }
    mark_changed(ex);
  }
  void mark_changed(Execution& ex) {
    if (!ex.durable || ex.changed) return;
    ex.changed = true;
    changed_.push_back(ex.id);
  }
  void put_record(Execution& ex, std::string key, std::string value) {
    if (!ex.durable) return;
    ex.ckpt.mut().pending_records[std::move(key)] = std::move(value);
    mark_changed(ex);
  }
  void delete_record(Execution& ex, std::string key) {
    if (!ex.durable) return;
    ex.ckpt.mut().pending_records[std::move(key)] = std::nullopt;
    mark_changed(ex);
  }
  // A frame is about to be destroyed: it leaves the dirty set.
  void forget_frame(Frame& f) {
    if (f.ckpt->dirty != 0) {
      f.execution->ckpt.mut().dirty_frames.erase(&f);
      f.ckpt.mut().dirty = 0;
    }
  }

  // A child ended for good (success, or a tolerated Map failure): its result record replaces
  // its frame records.
  void persist_child_done(Frame& parent, Frame& child);
  // Records of a child that did not succeed are kept (for a redrive) until the parent's state
  // exits or retries.
  void keep_child_records(Frame& parent, Frame& child);
  void drop_kept_records(Frame& f);

  // Executions with uncommitted changes, in the order they changed.
  const std::vector<ExecutionId>& changed() const { return changed_; }
  bool has_changes() const { return !changed_.empty(); }
  // Hands over the changed list (the caller commits each execution, see `commit`).
  std::vector<ExecutionId> take_changed() {
    std::vector<ExecutionId> ids;
    ids.swap(changed_);
    return ids;
  }

  // What a commit needs from the rest of the engine: the execution's context object (for the
  // "exec" record, written once) and the text of main-history event `i`.
  struct CommitSources {
    std::function<const nlohmann::json&(Execution&)> context;
    std::function<std::string(const Execution&, std::size_t)> event_text;
  };
  // Writes what `ex` changed since its last commit as one batch.
  Status commit(Execution& ex, CheckpointStore& store, const CommitSources& sources);
  // The commit failed for good: the uncommitted changes are dropped (the store keeps the last
  // commit) and nothing more is written for `ex`.
  void discard(Execution& ex);

  // Event type names and detail keys read back from a checkpoint (HistoryEvent holds
  // string_views into this set, which lives as long as the engine).
  std::string_view intern(const std::string& name) { return *interned_.insert(name).first; }

 private:
  std::vector<ExecutionId> changed_;
  std::unordered_set<std::string> interned_;
};

// Record encoding shared with the Map Run's checkpoint (state_distributed_map.cc).
// A failure as a checkpoint record stores it ({"e": error, "c": cause}, each if present), and
// back.
nlohmann::json failure_record(const Failure& f);
Failure failure_from_record(const nlohmann::json& j);

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_CHECKPOINT_WRITER_H_
