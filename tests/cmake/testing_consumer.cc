// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A host's workflow test written against the installed stepwise::testing package: the
// fixture, the scripted executor, a mock file and the matchers, through public headers only.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepwise/testing/testing.h"

namespace {

using stepwise::testing::FailedWith;
using stepwise::testing::ScriptedExecutor;
using stepwise::testing::StateEnteredTimes;
using stepwise::testing::Succeeded;

class ConsumerTest : public stepwise::testing::WorkflowTest {};

constexpr const char* kDefinition = R"({"StartAt": "Work", "States": {
  "Work": {"Type": "Task", "Resource": "arn:aws:states:::jobs:work",
           "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 10}], "End": true}}})";

TEST_F(ConsumerTest, ScriptedRetrySucceedsOnVirtualTime) {
  tasks().fail_then_succeed("Work", 1, "Busy", "later", {{"done", true}});
  stepwise::ExecutionResult r = run(load(kDefinition));
  EXPECT_THAT(r, Succeeded());
  EXPECT_THAT(history(), StateEnteredTimes("Work", 1));
  EXPECT_EQ(tasks().calls_to("Work").size(), 2u);
}

TEST_F(ConsumerTest, MockFileServesTheTask) {
  use_mock_document(nlohmann::json::parse(R"({
    "StateMachines": {"m": {"TestCases": {"Down": {"Work": "Down"}}}},
    "MockedResponses": {"Down": {"0-3": {"Throw": {"Error": "Busy", "Cause": "down"}}}}})"),
                    "m", "Down");
  EXPECT_THAT(run(load(kDefinition)), FailedWith("Busy", "down"));
}

}  // namespace
