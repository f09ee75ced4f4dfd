// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// gMock matchers for execution results and histories, and small history helpers. Part of
// `stepwise::testing`.
//
//   EXPECT_THAT(result, Succeeded());
//   EXPECT_THAT(result, SucceededWith(R"({"rows": 3})"_json));
//   EXPECT_THAT(result, FailedWith("Etl.BadBatch"));
//   EXPECT_THAT(history, EnteredStates("Extract", "Transform", "Load"));
//   EXPECT_THAT(history, StateEnteredTimes("Load", 1));
//   EXPECT_THAT(history, HasEvent("TaskFailed"));
#ifndef STEPWISE_TESTING_MATCHERS_H_
#define STEPWISE_TESTING_MATCHERS_H_

#include <cstddef>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "stepwise/engine.h"
#include "stepwise/history.h"

namespace stepwise::testing {

using stepwise::History;

// The result's status is SUCCEEDED.
::testing::Matcher<const ExecutionResult&> Succeeded();
// SUCCEEDED with exactly this output (compared as JSON values).
::testing::Matcher<const ExecutionResult&> SucceededWith(nlohmann::json output);
// FAILED with this error name (and, in the second form, this cause).
::testing::Matcher<const ExecutionResult&> FailedWith(std::string error);
::testing::Matcher<const ExecutionResult&> FailedWith(std::string error, std::string cause);
// The status is `status` (e.g. ExecutionStatus::kTimedOut).
::testing::Matcher<const ExecutionResult&> HasStatus(ExecutionStatus status);

// The states entered, in history order (Map iterations and Parallel branches included),
// are exactly `names`.
::testing::Matcher<const History&> EnteredStatesList(std::vector<std::string> names);
template <typename... Names>
::testing::Matcher<const History&> EnteredStates(Names... names) {
  return EnteredStatesList(std::vector<std::string>{std::string(names)...});
}
// The state `name` was entered exactly `times` times.
::testing::Matcher<const History&> StateEnteredTimes(std::string name, std::size_t times);
// The history has at least one event of `type` (e.g. "TaskFailed", "MapIterationFailed").
::testing::Matcher<const History&> HasEvent(std::string type);

// History helpers.
// Names of the states entered, in order.
std::vector<std::string> entered_states(const History& history);
// The `type` of each event, in order.
std::vector<std::string> event_types(const History& history);
// How many events have `type`.
std::size_t count_events(const History& history, std::string_view type);

}  // namespace stepwise::testing

#endif  // STEPWISE_TESTING_MATCHERS_H_
