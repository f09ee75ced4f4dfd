// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Event records (interp/event_record.h): the kind table, and each compact shape's details as
// AWS's JSON.
#include "interp/event_record.h"

#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "stepwise/engine.h"

namespace stepwise::internal {
namespace {

using nlohmann::json;

constexpr StateType kAllTypes[] = {StateType::kTask,     StateType::kPass,    StateType::kChoice,
                                   StateType::kWait,     StateType::kSucceed, StateType::kFail,
                                   StateType::kParallel, StateType::kMap};
constexpr const char* kTypeNames[] = {"Task",    "Pass", "Choice",   "Wait",
                                      "Succeed", "Fail", "Parallel", "Map"};

TEST(EventRecordTest, IsFortyBytes) { EXPECT_EQ(sizeof(EventRecord), 40u); }

TEST(EventRecordTest, EnteredAndExitedKindsFollowTheStateTypes) {
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(kind_name(entered_kind(kAllTypes[i])).type,
              std::string(kTypeNames[i]) + "StateEntered");
    EXPECT_EQ(kind_name(entered_kind(kAllTypes[i])).details_key, "stateEnteredEventDetails");
    EXPECT_EQ(kind_name(exited_kind(kAllTypes[i])).type,
              std::string(kTypeNames[i]) + "StateExited");
    EXPECT_EQ(kind_name(exited_kind(kAllTypes[i])).details_key, "stateExitedEventDetails");
  }
}

TEST(EventRecordTest, EveryRowIsFoundByItsTypeAndDetailsMember) {
  for (std::size_t i = 0; i < kEventKinds.size(); ++i) {
    SCOPED_TRACE(kEventKinds[i].type);
    EXPECT_EQ(find_event_kind(kEventKinds[i].type, kEventKinds[i].details_key),
              static_cast<EventKind>(i));
    if (!kEventKinds[i].details_key.empty()) {
      // The details member is part of the row: the same type without it is another event.
      EXPECT_TRUE(kEventKinds[i].details_key.ends_with("EventDetails"));
      EXPECT_EQ(find_event_kind(kEventKinds[i].type, ""), EventKind::kOther);
    }
  }
  EXPECT_EQ(find_event_kind("SomeFutureEvent", "someFutureEventDetails"), EventKind::kOther);
}

class RecordDetailsTest : public ::testing::Test {
 protected:
  RecordDetailsTest() {
    task_.name = "Call";
    task_.resource = "arn:aws:states:::sqs:sendMessage";
    ResourceInfo info;
    info.kind = ResourceInfo::Kind::kService;
    info.service = "sqs";
    info.action = "sendMessage";
    task_.resource_info = std::move(info);
    options_.region = "eu-west-1";
    options_.role_arn = "arn:aws:iam::1:role/r";
  }
  json details(RecordShape shape, std::string_view text, std::uint64_t n = 0) {
    return record_details(shape, &task_, text, n, options_);
  }
  State task_;
  EngineOptions options_;
};

TEST_F(RecordDetailsTest, BuildsEachShapeAsAws) {
  EXPECT_EQ(
      details(RecordShape::kStateEntered, R"({"a":1})"),
      json::parse(R"({"name":"Call","input":"{\"a\":1}","inputDetails":{"truncated":false}})"));
  EXPECT_EQ(details(RecordShape::kStateExited, "2"),
            json::parse(R"({"name":"Call","output":"2","outputDetails":{"truncated":false}})"));
  EXPECT_EQ(details(RecordShape::kTaskScheduled, "{}", 30),
            json::parse(R"({"resourceType":"sqs","resource":"sendMessage","region":"eu-west-1",
                            "parameters":"{}","timeoutInSeconds":30})"));
  EXPECT_EQ(details(RecordShape::kTaskScheduled, "{}"),
            json::parse(R"({"resourceType":"sqs","resource":"sendMessage","region":"eu-west-1",
                            "parameters":"{}"})"));
  EXPECT_EQ(details(RecordShape::kLambdaScheduled, "{}", 5),
            json::parse(R"({"resource":"arn:aws:states:::sqs:sendMessage","input":"{}",
                            "inputDetails":{"truncated":false},"timeoutInSeconds":5})"));
  EXPECT_EQ(details(RecordShape::kTaskStarted, ""),
            json::parse(R"({"resourceType":"sqs","resource":"sendMessage"})"));
  EXPECT_EQ(details(RecordShape::kTaskSucceeded, "[]"),
            json::parse(R"({"resourceType":"sqs","resource":"sendMessage","output":"[]",
                            "outputDetails":{"truncated":false}})"));
  EXPECT_EQ(details(RecordShape::kMapIteration, "", 12),
            json::parse(R"({"name":"Call","index":12})"));
  EXPECT_EQ(details(RecordShape::kExecutionStarted, "{}"),
            json::parse(R"({"input":"{}","inputDetails":{"truncated":false},
                            "roleArn":"arn:aws:iam::1:role/r"})"));
  EXPECT_EQ(details(RecordShape::kOutput, "null"),
            json::parse(R"({"output":"null","outputDetails":{"truncated":false}})"));
  EXPECT_EQ(details(RecordShape::kMapStateStarted, "", 0), json::parse(R"({"length":0})"));
}

TEST_F(RecordDetailsTest, FailureKeepsOnlyThePartsThatArePresent) {
  std::string both = std::string("E") + '\0' + "the cause";
  EXPECT_EQ(details(RecordShape::kFailure, both,
                    kFailureHasError | kFailureHasCause | kFailureHasResource),
            json::parse(R"({"resourceType":"sqs","resource":"sendMessage","error":"E",
                            "cause":"the cause"})"));
  EXPECT_EQ(details(RecordShape::kFailure, both, kFailureHasCause),
            json::parse(R"({"cause":"the cause"})"));
  EXPECT_EQ(details(RecordShape::kFailure, std::string("E") + '\0', kFailureHasError),
            json::parse(R"({"error":"E"})"));
  EXPECT_EQ(
      details(RecordShape::kFailure, std::string(1, '\0'), kFailureHasError | kFailureHasCause),
      json::parse(R"({"error":"","cause":""})"));
}

}  // namespace
}  // namespace stepwise::internal
