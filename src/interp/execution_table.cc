// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// ExecutionTable: executions by id and name, and the heap of machine deadlines.
#include "interp/execution_table.h"

#include <charconv>
#include <string_view>

namespace stepwise::internal {
namespace {

constexpr std::string_view kAutoPrefix = "execution-";

// The id that the generated name `name` ("execution-<id>", EngineImpl::start) encodes; 0 when
// `name` is not of that form.
ExecutionId id_in_generated_name(std::string_view name) {
  if (!name.starts_with(kAutoPrefix)) return 0;
  std::string_view digits = name.substr(kAutoPrefix.size());
  if (digits.empty() || digits.size() > 19 || digits[0] == '0') return 0;
  ExecutionId id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  return ec == std::errc() && end == digits.data() + digits.size() ? id : 0;
}

// True when `ex`'s name is the one generated from its id: such names are not indexed, as the
// name leads to the id (most hosts never name their executions, and an index node per held
// execution costs memory and a cache miss per start).
bool has_generated_name(const Execution& ex) { return id_in_generated_name(ex.name) == ex.id; }

}  // namespace

Execution& ExecutionTable::add(std::unique_ptr<Execution> ex) {
  Execution& e = *ex;
  by_id_.emplace(e.id, std::move(ex));
  if (!has_generated_name(e)) by_name_.emplace(std::string_view(e.name), e.id);
  if (e.status == ExecutionStatus::kRunning) watch_deadline(e);
  return e;
}

void ExecutionTable::erase(ExecutionId id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  if (has_generated_name(*it->second)) {
    by_id_.erase(it);
    return;
  }
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
  if (ExecutionId id = id_in_generated_name(name)) {
    Execution* ex = get(id);
    if (ex != nullptr && ex->name == name) {
      if (ex->status == ExecutionStatus::kRunning) return ex;
      if (!running_only) found = ex;
    }
  }
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
