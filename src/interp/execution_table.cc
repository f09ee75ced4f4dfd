// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ExecutionTable: executions by id and name, and the heap of machine deadlines.
#include "interp/execution_table.h"

namespace stepwise::internal {

Execution& ExecutionTable::add(std::unique_ptr<Execution> ex) {
  Execution& e = *ex;
  by_id_.emplace(e.id, std::move(ex));
  by_name_.emplace(std::string_view(e.name), e.id);
  if (e.status == ExecutionStatus::kRunning) watch_deadline(e);
  return e;
}

void ExecutionTable::erase(ExecutionId id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  auto [first, last] = by_name_.equal_range(std::string_view(it->second->name));
  for (auto n = first; n != last; ++n) {
    if (n->second == id) {
      by_name_.erase(n);
      break;
    }
  }
  by_id_.erase(it);
}

Execution* ExecutionTable::get(ExecutionId id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

Execution* ExecutionTable::find(std::string_view name, bool running_only) const {
  Execution* found = nullptr;
  auto [first, last] = by_name_.equal_range(name);
  for (auto n = first; n != last; ++n) {
    Execution* ex = by_id_.at(n->second).get();
    if (ex->status == ExecutionStatus::kRunning) return ex;
    if (!running_only && (found == nullptr || ex->id > found->id)) found = ex;
  }
  return found;
}

bool ExecutionTable::stale(const Deadline& entry) const {
  Execution* ex = get(entry.second);
  return ex == nullptr || ex->status != ExecutionStatus::kRunning || ex->deadline != entry.first;
}

void ExecutionTable::watch_deadline(const Execution& ex) {
  if (ex.deadline <= 0) return;
  // Entries of finished executions stay until they reach the top; when they outnumber the
  // running executions, rebuild (amortized O(1) per push, memory bounded by the running ones).
  if (deadlines_.size() >= 2 * running_ + 64) {
    std::vector<Deadline> live;
    while (!deadlines_.empty()) {
      if (!stale(deadlines_.top())) live.push_back(deadlines_.top());
      deadlines_.pop();
    }
    for (auto& entry : live) deadlines_.push(entry);
  }
  deadlines_.emplace(ex.deadline, ex.id);
}

Execution* ExecutionTable::pop_expired(std::int64_t now) {
  while (!deadlines_.empty() && deadlines_.top().first <= now) {
    Deadline entry = deadlines_.top();
    deadlines_.pop();
    if (!stale(entry)) return get(entry.second);
  }
  return nullptr;
}

std::optional<std::int64_t> ExecutionTable::next_deadline() {
  while (!deadlines_.empty() && stale(deadlines_.top())) deadlines_.pop();
  if (deadlines_.empty()) return std::nullopt;
  return deadlines_.top().first;
}

}  // namespace stepwise::internal
