// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
// Placeholder in-memory store (replaced by the full implementation).
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "stepwise/checkpoint.h"

namespace stepwise {
namespace {

class MemoryStore final : public CheckpointStore {
 public:
  Status commit(const CheckpointBatch& b) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = data_.find(b.summary.name);
    std::uint64_t have = it == data_.end() ? 0 : it->second.summary.version;
    if (b.summary.version != have + 1) {
      return failed_precondition_error(fmt::format("version conflict: expected {}, found {}",
                                                   b.summary.version - 1, have));
    }
    Entry& e = data_[b.summary.name];
    e.summary = b.summary;
    if (b.definition) e.definition = *b.definition;
    for (const auto& k : b.deletes) e.records.erase(k);
    for (const auto& r : b.puts) e.records[r.key] = r.value;
    for (const auto& h : b.history) e.history.push_back(h);
    return {};
  }
  Result<StoredExecution> load(std::string_view name) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = data_.find(std::string(name));
    if (it == data_.end()) return not_found_error(fmt::format("no execution '{}'", name));
    StoredExecution s;
    s.summary = it->second.summary;
    s.definition = it->second.definition;
    for (auto& [k, v] : it->second.records) s.records.push_back({k, v});
    s.history = it->second.history;
    return s;
  }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<ExecutionSummary> out;
    for (auto& [k, e] : data_) {
      if (!f.status.empty() && e.summary.status != f.status) continue;
      if (k.rfind(f.name_prefix, 0) != 0) continue;
      out.push_back(e.summary);
      if (f.limit != 0 && out.size() >= f.limit) break;
    }
    return out;
  }
  Status remove(std::string_view name) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (data_.erase(std::string(name)) == 0) return not_found_error("no such execution");
    return {};
  }

 private:
  struct Entry {
    ExecutionSummary summary;
    std::string definition;
    std::map<std::string, std::string> records;
    std::vector<std::string> history;
  };
  std::mutex mu_;
  std::map<std::string, Entry, std::less<>> data_;
};

}  // namespace

std::shared_ptr<CheckpointStore> make_memory_checkpoint_store() {
  return std::make_shared<MemoryStore>();
}

}  // namespace stepwise
