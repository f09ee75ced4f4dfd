// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The executions an engine holds, by id and by name, with the machine deadlines
// (TimeoutSeconds) of the running ones in a heap. Looking an execution up, starting one and
// stepping cost the same whether the engine holds ten executions or a hundred thousand.
#ifndef STEPWISE_SRC_INTERP_EXECUTION_TABLE_H_
#define STEPWISE_SRC_INTERP_EXECUTION_TABLE_H_

#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "interp/execution.h"

namespace stepwise::internal {

class ExecutionTable {
 public:
  // A fresh id; ids are never reused within an engine.
  ExecutionId next_id() { return next_id_++; }

  // Holds `ex`; a running one counts as running and its deadline is watched.
  Execution& add(std::unique_ptr<Execution> ex);
  void erase(ExecutionId id);
  // The execution `id`, or null.
  Execution* get(ExecutionId id) const;
  // The running execution named `name`, or (unless `running_only`) the most recently started
  // one, or null.
  Execution* find(std::string_view name, bool running_only) const;
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (const auto& [id, ex] : by_id_) fn(*ex);
  }
  std::size_t size() const { return by_id_.size(); }

  // Running executions: counted when they start or are loaded running, uncounted when they
  // end.
  void count_started() { ++running_; }
  void count_ended() { --running_; }
  std::size_t running() const { return running_; }

  // Queues the execution's machine deadline (Execution::deadline, when set).
  void watch_deadline(const Execution& ex);
  // A running execution whose deadline is at or before `now`, taken off the heap; null when
  // none is due.
  Execution* pop_expired(std::int64_t now);
  // The soonest deadline of a running execution.
  std::optional<std::int64_t> next_deadline();

 private:
  using Deadline = std::pair<std::int64_t, ExecutionId>;
  // True when the heap entry no longer names a running execution with that deadline. Stale
  // entries are dropped when they reach the top, and the heap is rebuilt when they outnumber
  // the live ones.
  bool stale(const Deadline& entry) const;

  std::unordered_map<ExecutionId, std::unique_ptr<Execution>> by_id_;
  // A view of Execution::name; several when finished ones are retained. Generated names
  // ("execution-<id>") are not indexed: `find` reads the id from them.
  std::unordered_multimap<std::string_view, ExecutionId> by_name_;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  ExecutionId next_id_ = 1;
  std::size_t running_ = 0;
};

}  // namespace stepwise::internal

#endif  // STEPWISE_SRC_INTERP_EXECUTION_TABLE_H_
