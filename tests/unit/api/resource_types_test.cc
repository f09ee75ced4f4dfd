// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Public types that own a resource (a thread, a handle, a raw pointer, a lock) cannot be
// copied or moved into a double free: checked at compile time. Interfaces are not copyable
// either, so a host cannot slice an implementation by copying it through its base. Value
// types that share what they own (TaskCompletion) copy safely, and history events are plain
// values.
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "stepwise/jsonata.h"
#include "stepwise/stepwise.h"
#include "stepwise/testing/scripted_executor.h"
#include "stepwise/tools.h"

namespace stepwise {
namespace {

template <typename T>
constexpr bool kNeitherCopiedNorMoved =
    !std::is_copy_constructible_v<T> && !std::is_copy_assignable_v<T> &&
    !std::is_move_constructible_v<T> && !std::is_move_assignable_v<T>;

// Owners of a thread, a handle or a raw pointer.
static_assert(kNeitherCopiedNorMoved<SystemClock>);
static_assert(kNeitherCopiedNorMoved<ManualClock>);
static_assert(kNeitherCopiedNorMoved<ThreadPoolExecutor>);
static_assert(kNeitherCopiedNorMoved<Engine>);
static_assert(kNeitherCopiedNorMoved<MockTaskExecutor>);
static_assert(kNeitherCopiedNorMoved<LocalObjectStore>);
static_assert(kNeitherCopiedNorMoved<testing::ScriptedExecutor>);

// Interfaces.
static_assert(kNeitherCopiedNorMoved<Clock>);
static_assert(kNeitherCopiedNorMoved<TaskExecutor>);
static_assert(kNeitherCopiedNorMoved<FunctionExecutor>);
static_assert(kNeitherCopiedNorMoved<FutureExecutor>);
static_assert(kNeitherCopiedNorMoved<ExecutorRouter>);
static_assert(kNeitherCopiedNorMoved<HistoryListener>);
static_assert(kNeitherCopiedNorMoved<CheckpointStore>);
static_assert(kNeitherCopiedNorMoved<ObjectStore>);
static_assert(kNeitherCopiedNorMoved<ObjectReader>);
static_assert(kNeitherCopiedNorMoved<ObjectWriter>);

// Move-only owners: a move leaves the source empty, never shared.
static_assert(!std::is_copy_constructible_v<jsonata::Bindings>);
static_assert(!std::is_copy_assignable_v<jsonata::Bindings>);
static_assert(std::is_nothrow_move_constructible_v<jsonata::Bindings>);

// Sharing values.
static_assert(std::is_copy_constructible_v<TaskCompletion>);

// Plain values: a history is a vector of events that own what they hold.
static_assert(std::is_copy_constructible_v<HistoryEvent>);
static_assert(std::is_nothrow_move_constructible_v<HistoryEvent>);
static_assert(std::is_same_v<History, std::vector<HistoryEvent>>);

TEST(ResourceTypesTest, SystemClockIsUsedThroughASharedPointer) {
  std::shared_ptr<Clock> clock = std::make_shared<SystemClock>();
  std::shared_ptr<Clock> other = clock;  // shared, never copied
  EXPECT_GT(other->now(), 0);
  EXPECT_FALSE(clock->is_virtual());
}

}  // namespace
}  // namespace stepwise
