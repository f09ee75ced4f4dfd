// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `make_memory_checkpoint_store()`: the `CheckpointStore` contract (docs/checkpoints.md) over
// ordered maps behind one mutex. A commit checks the version before touching anything, so a
// refused batch changes nothing; it then costs what the batch holds (log n per record).
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checkpoint/batch_check.h"
#include "stepwise/checkpoint.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace {

class MemoryCheckpointStore final : public CheckpointStore {
 public:
  Status commit(const CheckpointBatch& batch) override {
    internal::MutexLock lock(mu_);
    const std::string& name = batch.summary.name;
    auto it = executions_.find(name);
    STEPWISE_RETURN_IF_ERROR(internal::check_batch_version(
        name, batch.summary.version,
        it == executions_.end() ? std::nullopt : std::optional(it->second.summary.version)));
    if (it == executions_.end()) {
      // A new execution is built aside and inserted at the end, so that nothing is left
      // behind if an allocation fails.
      Entry entry;
      apply(batch, entry);
      executions_.emplace(name, std::move(entry));
    } else {
      apply(batch, it->second);
    }
    return {};
  }

  Result<StoredExecution> load(std::string_view name) override {
    internal::MutexLock lock(mu_);
    auto it = executions_.find(name);
    if (it == executions_.end()) return not_found_error(no_execution(name));
    const Entry& e = it->second;
    StoredExecution out;
    out.summary = e.summary;
    out.definition = e.definition;
    out.records.reserve(e.records.size());
    for (const auto& [key, value] : e.records) out.records.push_back({key, value});
    out.history = e.history;
    return out;
  }

  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override {
    internal::MutexLock lock(mu_);
    std::vector<ExecutionSummary> out;
    auto it = executions_.lower_bound(filter.name_prefix);
    if (!filter.start_after.empty() && filter.start_after >= filter.name_prefix) {
      it = executions_.upper_bound(filter.start_after);
    }
    const std::optional<std::string> end = internal::prefix_successor(filter.name_prefix);
    for (; it != executions_.end(); ++it) {
      if (end && it->first >= *end) break;
      if (!filter.status.empty() && it->second.summary.status != filter.status) continue;
      out.push_back(it->second.summary);
      if (filter.limit != 0 && out.size() == filter.limit) break;
    }
    return out;
  }

  Status remove(std::string_view name) override {
    internal::MutexLock lock(mu_);
    auto it = executions_.find(name);
    if (it == executions_.end()) return not_found_error(no_execution(name));
    executions_.erase(it);
    return {};
  }

 private:
  struct Entry {
    ExecutionSummary summary;
    std::string definition;
    std::map<std::string, std::string, std::less<>> records;
    std::vector<std::string> history;
  };

  static std::string no_execution(std::string_view name) {
    std::string m = "no checkpoint of execution \"";
    m.append(name);
    m += '"';
    return m;
  }

  // Puts in order (a later put of a key wins), then deletes, then the history append.
  static void apply(const CheckpointBatch& batch, Entry& e) {
    e.summary = batch.summary;
    if (batch.definition) e.definition = *batch.definition;
    for (const CheckpointRecord& r : batch.puts) e.records.insert_or_assign(r.key, r.value);
    for (const std::string& key : batch.deletes) {
      auto it = e.records.find(key);
      if (it != e.records.end()) e.records.erase(it);
    }
    e.history.insert(e.history.end(), batch.history.begin(), batch.history.end());
  }

  internal::Mutex mu_;
  std::map<std::string, Entry, std::less<>> executions_ GUARDED_BY(mu_);
};

}  // namespace

std::shared_ptr<CheckpointStore> make_memory_checkpoint_store() {
  return std::make_shared<MemoryCheckpointStore>();
}

}  // namespace stepwise
