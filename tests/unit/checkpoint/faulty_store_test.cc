// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// The fault-injecting store wrapper of tests/support, which the engine's fault tests rely on.
#include "support/faulty_store.h"

#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/checkpoint.h"
#include "support/status_matchers.h"
#include "unit/checkpoint/checkpoint_test_util.h"

namespace stepwise {
namespace {

using ::stepwise::checkpoint_test::batch;
using ::stepwise::testing_support::FaultyStore;
using ::stepwise::testing_support::IsOk;
using ::stepwise::testing_support::StatusIs;

TEST(FaultyStoreTest, FailsOnlyTheNthCommitAndWritesNothingForIt) {
  auto faulty = std::make_shared<FaultyStore>(make_memory_checkpoint_store());
  faulty->fail_commit(2, unavailable_error("injected"));
  ASSERT_THAT(faulty->commit(batch("x", 1)), IsOk());
  EXPECT_THAT(faulty->commit(batch("x", 2)), StatusIs(StatusCode::kUnavailable, "injected"));
  Result<StoredExecution> x = faulty->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 1u);
  EXPECT_THAT(faulty->commit(batch("x", 2)), IsOk());
  EXPECT_EQ(faulty->commit_count(), 3u);
  EXPECT_EQ(faulty->failed_commit_count(), 1u);
}

TEST(FaultyStoreTest, FailsEveryCommitFromTheNthUntilHealed) {
  auto faulty = std::make_shared<FaultyStore>(make_memory_checkpoint_store());
  faulty->fail_commits_from(2, data_loss_error("gone"));
  ASSERT_THAT(faulty->commit(batch("x", 1)), IsOk());
  EXPECT_THAT(faulty->commit(batch("x", 2)), StatusIs(StatusCode::kDataLoss, "gone"));
  EXPECT_THAT(faulty->commit(batch("x", 2)), StatusIs(StatusCode::kDataLoss, "gone"));
  faulty->heal();
  EXPECT_THAT(faulty->commit(batch("x", 2)), IsOk());
  EXPECT_EQ(faulty->failed_commit_count(), 2u);
}

TEST(FaultyStoreTest, AfterApplyModeCommitsTheBatchButReportsTheFailure) {
  // A lost reply: the batch is durable, the caller sees an error, and its retry of the same
  // version is refused as a conflict.
  auto faulty = std::make_shared<FaultyStore>(make_memory_checkpoint_store());
  faulty->set_fault_mode(FaultyStore::FaultMode::kAfterApply);
  faulty->fail_commit(2, unavailable_error("lost reply"));
  ASSERT_THAT(faulty->commit(batch("x", 1)), IsOk());
  EXPECT_THAT(faulty->commit(batch("x", 2)), StatusIs(StatusCode::kUnavailable, "lost reply"));
  Result<StoredExecution> x = faulty->load("x");
  ASSERT_THAT(x, IsOk());
  EXPECT_EQ(x->summary.version, 2u);
  EXPECT_THAT(faulty->commit(batch("x", 2)), StatusIs(StatusCode::kFailedPrecondition));
}

TEST(FaultyStoreTest, ForwardsListAndRemove) {
  auto faulty = std::make_shared<FaultyStore>(make_memory_checkpoint_store());
  ASSERT_THAT(faulty->commit(batch("x", 1)), IsOk());
  Result<std::vector<ExecutionSummary>> all = faulty->list({});
  ASSERT_THAT(all, IsOk());
  EXPECT_EQ(all->size(), 1u);
  EXPECT_THAT(faulty->remove("x"), IsOk());
  EXPECT_THAT(faulty->inner()->load("x"), StatusIs(StatusCode::kNotFound));
}

}  // namespace
}  // namespace stepwise
