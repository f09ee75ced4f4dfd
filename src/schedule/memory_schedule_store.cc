// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The in-memory `ScheduleStore` (stepwise/schedule.h): a map under a mutex, with the same
// version check as the durable stores.
#include <map>
#include <memory>
#include <string>

#include "stepwise/schedule.h"
#include "util/thread_annotations.h"

namespace stepwise {
namespace internal {

// The version rule every schedule store applies (kFailedPrecondition text shared by them).
Status check_schedule_version(const StoredScheduleState& state,
                              std::optional<std::uint64_t> stored) {
  const std::uint64_t expected = stored ? *stored + 1 : 1;
  if (state.version == expected) return {};
  return failed_precondition_error(
      "schedule state \"" + state.name + "\" was written with version " +
      std::to_string(state.version) + " but the stored version is " +
      (stored ? std::to_string(*stored) : std::string("none")) + " (another scheduler updated it)");
}

namespace {

class MemoryScheduleStore final : public ScheduleStore {
 public:
  Result<std::optional<StoredScheduleState>> load(std::string_view name) override {
    MutexLock lock(mu_);
    auto it = states_.find(std::string(name));
    if (it == states_.end()) return std::optional<StoredScheduleState>();
    return std::optional<StoredScheduleState>(it->second);
  }

  Status put(const StoredScheduleState& state) override {
    MutexLock lock(mu_);
    auto it = states_.find(state.name);
    std::optional<std::uint64_t> stored;
    if (it != states_.end()) stored = it->second.version;
    STEPWISE_RETURN_IF_ERROR(check_schedule_version(state, stored));
    states_[state.name] = state;
    return {};
  }

  Status remove(std::string_view name) override {
    MutexLock lock(mu_);
    states_.erase(std::string(name));
    return {};
  }

 private:
  Mutex mu_;
  std::map<std::string, StoredScheduleState> states_ GUARDED_BY(mu_);
};

}  // namespace
}  // namespace internal

std::shared_ptr<ScheduleStore> make_memory_schedule_store() {
  return std::make_shared<internal::MemoryScheduleStore>();
}

}  // namespace stepwise
