// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// `FaultyStore`: a `CheckpointStore` wrapper that makes chosen commits fail, for fault-injection
// tests of the engine (STYLE.md section 10: "a store that fails its Nth write").
//
//   auto store = std::make_shared<FaultyStore>(stepwise::make_memory_checkpoint_store());
//   store->fail_commit(3, stepwise::unavailable_error("disk unplugged"));  // the 3rd only
//   store->fail_commits_from(5, stepwise::data_loss_error("gone"));       // the 5th and after
//   store->set_fault_mode(FaultyStore::FaultMode::kAfterApply);           // reply lost
#ifndef STEPWISE_TESTS_SUPPORT_FAULTY_STORE_H_
#define STEPWISE_TESTS_SUPPORT_FAULTY_STORE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stepwise/checkpoint.h"
#include "stepwise/status.h"

namespace stepwise::testing_support {

// Forwards every call to the wrapped store, except the commits chosen to fail. Commits are
// numbered from 1 in the order they reach the wrapper, failed ones included.
//
// Thread-safe: all methods may be called concurrently (when the wrapped store is).
class FaultyStore final : public CheckpointStore {
 public:
  enum class FaultMode {
    // The failed commit never reaches the wrapped store: nothing is written.
    kBeforeApply,
    // The wrapped store applies the batch, then the caller is told it failed: the ambiguous
    // outcome of a commit whose reply is lost (a timeout, a dropped connection).
    kAfterApply,
  };

  explicit FaultyStore(std::shared_ptr<CheckpointStore> inner) : inner_(std::move(inner)) {}

  // The `n`th commit (1-based) fails with `status`; the others go through.
  void fail_commit(std::uint64_t n, Status status) {
    std::lock_guard lock(mu_);
    fail_at_ = n;
    fail_from_.reset();
    status_ = std::move(status);
  }

  // Every commit from the `n`th on (1-based) fails with `status`.
  void fail_commits_from(std::uint64_t n, Status status) {
    std::lock_guard lock(mu_);
    fail_from_ = n;
    fail_at_.reset();
    status_ = std::move(status);
  }

  // Stops failing commits.
  void heal() {
    std::lock_guard lock(mu_);
    fail_at_.reset();
    fail_from_.reset();
  }

  // Default: kBeforeApply.
  void set_fault_mode(FaultMode mode) {
    std::lock_guard lock(mu_);
    mode_ = mode;
  }

  // Commits that reached the wrapper, failed ones included.
  std::uint64_t commit_count() const {
    std::lock_guard lock(mu_);
    return commits_;
  }
  // Commits that were made to fail.
  std::uint64_t failed_commit_count() const {
    std::lock_guard lock(mu_);
    return failed_;
  }

  const std::shared_ptr<CheckpointStore>& inner() const { return inner_; }

  Status commit(const CheckpointBatch& batch) override {
    std::optional<Status> fault;
    FaultMode mode;
    {
      std::lock_guard lock(mu_);
      const std::uint64_t n = ++commits_;
      if ((fail_at_ && n == *fail_at_) || (fail_from_ && n >= *fail_from_)) {
        fault = status_;
        ++failed_;
      }
      mode = mode_;
    }
    if (!fault) return inner_->commit(batch);
    if (mode == FaultMode::kAfterApply) {
      Status applied = inner_->commit(batch);
      if (!applied.ok()) return applied;
    }
    return *fault;
  }

  Result<StoredExecution> load(std::string_view name) override { return inner_->load(name); }
  Result<std::vector<ExecutionSummary>> list(const ExecutionFilter& filter) override {
    return inner_->list(filter);
  }
  Status remove(std::string_view name) override { return inner_->remove(name); }

 private:
  const std::shared_ptr<CheckpointStore> inner_;
  mutable std::mutex mu_;
  std::optional<std::uint64_t> fail_at_;                          // GUARDED_BY(mu_)
  std::optional<std::uint64_t> fail_from_;                        // GUARDED_BY(mu_)
  Status status_ = unavailable_error("injected commit failure");  // GUARDED_BY(mu_)
  FaultMode mode_ = FaultMode::kBeforeApply;                      // GUARDED_BY(mu_)
  std::uint64_t commits_ = 0;                                     // GUARDED_BY(mu_)
  std::uint64_t failed_ = 0;                                      // GUARDED_BY(mu_)
};

}  // namespace stepwise::testing_support

#endif  // STEPWISE_TESTS_SUPPORT_FAULTY_STORE_H_
