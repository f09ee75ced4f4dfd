// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Small builders shared by the checkpoint store tests.
#ifndef STEPWISE_TESTS_UNIT_CHECKPOINT_CHECKPOINT_TEST_UTIL_H_
#define STEPWISE_TESTS_UNIT_CHECKPOINT_CHECKPOINT_TEST_UTIL_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "stepwise/checkpoint.h"

namespace stepwise::checkpoint_test {

// A batch for execution `name` at `version`, with a summary that is otherwise default.
inline CheckpointBatch batch(std::string name, std::uint64_t version,
                             std::vector<CheckpointRecord> puts = {},
                             std::vector<std::string> deletes = {},
                             std::vector<std::string> history = {}) {
  CheckpointBatch b;
  b.summary.name = std::move(name);
  b.summary.state_machine_name = "Machine";
  b.summary.fingerprint = "fp";
  b.summary.version = version;
  b.puts = std::move(puts);
  b.deletes = std::move(deletes);
  b.history = std::move(history);
  return b;
}

inline ExecutionFilter filter(std::string status = "", std::string name_prefix = "",
                              std::string start_after = "", std::size_t limit = 0) {
  ExecutionFilter f;
  f.status = std::move(status);
  f.name_prefix = std::move(name_prefix);
  f.start_after = std::move(start_after);
  f.limit = limit;
  return f;
}

// The records of `e` by key (stores return them in any order).
inline std::map<std::string, std::string> record_map(const StoredExecution& e) {
  std::map<std::string, std::string> m;
  for (const CheckpointRecord& r : e.records) m.emplace(r.key, r.value);
  return m;
}

}  // namespace stepwise::checkpoint_test

#endif  // STEPWISE_TESTS_UNIT_CHECKPOINT_CHECKPOINT_TEST_UTIL_H_
