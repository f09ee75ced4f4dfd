// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The worked example of docs/checkpoints.md ("A store over a key-value database"), verbatim
// between the BEGIN/END markers: a `CheckpointStore` over a generic key-value database with
// atomic conditional write batches. store_contract_test.cc runs the contract suite against
// it, so the example in the documentation is known to be correct.
#ifndef STEPWISE_TESTS_UNIT_CHECKPOINT_KV_EXAMPLE_STORE_H_
#define STEPWISE_TESTS_UNIT_CHECKPOINT_KV_EXAMPLE_STORE_H_

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "stepwise/checkpoint.h"

// BEGIN docs/checkpoints.md
namespace stepwise {  // the summary as JSON (its name is in the key)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ExecutionSummary, state_machine_name, fingerprint,
                                   format_version, status, start_time, stop_time, redrive_count,
                                   current_state, version)
}  // namespace stepwise

namespace kv_example {
using namespace stepwise;  // NOLINT

// The host's database: ordered keys, prefix scans, and atomic write batches that apply only
// if one key still holds an expected value (etcd transactions, FoundationDB, Redis
// WATCH/MULTI, DynamoDB condition expressions all offer this).
class KvDb {
 public:
  struct Write {
    std::string key;
    std::optional<std::string> value;  // nullopt deletes the key
  };
  virtual ~KvDb() = default;
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  // Every key starting with `prefix`, in key order.
  virtual Result<std::vector<std::pair<std::string, std::string>>> scan_prefix(
      std::string_view prefix) = 0;
  // Applies every write, or none: none when `key` does not hold `expected` (nullopt: absent),
  // returning kFailedPrecondition.
  virtual Status write(const std::vector<Write>& writes, const std::string& key,
                       const std::optional<std::string>& expected) = 0;
};

// Key layout, for execution N (L = N's length in decimal, so that no N is a prefix of another):
//   x/N                  summary, JSON (with "history_length")
//   d/N                  definition
//   r/L:N/<key>          one record
//   h/L:N/<16 hex>       history event number <seq>; hex digits sort like the numbers
class KvCheckpointStore final : public CheckpointStore {
 public:
  explicit KvCheckpointStore(std::shared_ptr<KvDb> db) : db_(std::move(db)) {}

  Status commit(const CheckpointBatch& batch) override {
    const ExecutionSummary& s = batch.summary;
    const std::string summary_key = "x/" + s.name;
    auto old = db_->get(summary_key);
    if (!old.ok()) return old.status();
    std::uint64_t stored = 0, history_length = 0;
    if (*old) {
      nlohmann::json j = nlohmann::json::parse(**old);
      stored = j["version"];
      history_length = j["history_length"];
    }
    if (s.version != stored + 1) {
      return failed_precondition_error("execution " + s.name + ": expected version " +
                                       std::to_string(stored + 1) + ", found " +
                                       std::to_string(s.version));
    }
    nlohmann::json j = s;
    j["history_length"] = history_length + batch.history.size();
    std::vector<KvDb::Write> writes = {{summary_key, j.dump()}};
    if (batch.definition) writes.push_back({"d/" + s.name, *batch.definition});
    for (const auto& r : batch.puts) writes.push_back({prefix('r', s.name) + r.key, r.value});
    for (const auto& key : batch.deletes) writes.push_back({prefix('r', s.name) + key, {}});
    for (const auto& event : batch.history) {
      writes.push_back({history_key(s.name, ++history_length), event});
    }
    // The condition is the fencing: a concurrent commit changes the summary, so this fails.
    return db_->write(writes, summary_key, *old);
  }

  Result<StoredExecution> load(std::string_view name) override {
    // (A database with snapshots should read these four in one snapshot.)
    auto summary = db_->get("x/" + std::string(name));
    if (!summary.ok()) return summary.status();
    if (!*summary) return not_found_error("no execution \"" + std::string(name) + "\"");
    StoredExecution out;
    out.summary = parse_summary(name, **summary);
    auto definition = db_->get("d/" + std::string(name));
    if (!definition.ok()) return definition.status();
    out.definition = definition->value_or("");
    const std::string records = prefix('r', name), history = prefix('h', name);
    auto rows = db_->scan_prefix(records);
    if (!rows.ok()) return rows.status();
    for (auto& [key, value] : *rows) out.records.push_back({key.substr(records.size()), value});
    auto events = db_->scan_prefix(history);
    if (!events.ok()) return events.status();
    for (auto& [key, event] : *events) out.history.push_back(std::move(event));
    return out;
  }

  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& f) override {
    auto rows = db_->scan_prefix("x/" + f.name_prefix);
    if (!rows.ok()) return rows.status();
    std::vector<ExecutionSummary> out;
    for (const auto& [key, value] : *rows) {
      ExecutionSummary s = parse_summary(std::string_view(key).substr(2), value);
      if (!f.start_after.empty() && s.name <= f.start_after) continue;
      if (!f.status.empty() && s.status != f.status) continue;
      out.push_back(std::move(s));
      if (f.limit != 0 && out.size() == f.limit) break;
    }
    return out;
  }

  Status remove(std::string_view name) override {
    const std::string summary_key = "x/" + std::string(name);
    auto old = db_->get(summary_key);
    if (!old.ok()) return old.status();
    if (!*old) return not_found_error("no execution \"" + std::string(name) + "\"");
    std::vector<KvDb::Write> writes = {{summary_key, {}}, {"d/" + std::string(name), {}}};
    for (char kind : {'r', 'h'}) {
      auto rows = db_->scan_prefix(prefix(kind, name));
      if (!rows.ok()) return rows.status();
      for (const auto& row : *rows) writes.push_back({row.first, {}});
    }
    return db_->write(writes, summary_key, *old);
  }

 private:
  static std::string prefix(char kind, std::string_view name) {
    return std::string(1, kind) + "/" + std::to_string(name.size()) + ":" + std::string(name) + "/";
  }
  static std::string history_key(std::string_view name, std::uint64_t seq) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(seq));
    return prefix('h', name) + hex;
  }
  static ExecutionSummary parse_summary(std::string_view name, const std::string& text) {
    ExecutionSummary s = nlohmann::json::parse(text).get<ExecutionSummary>();
    s.name = std::string(name);  // not in the JSON: it is in the key
    return s;
  }

  std::shared_ptr<KvDb> db_;
};
}  // namespace kv_example
// END docs/checkpoints.md

#endif  // STEPWISE_TESTS_UNIT_CHECKPOINT_KV_EXAMPLE_STORE_H_
