// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: API requests as `POST /` answers them after authentication
// (`Server::handle`). The first byte picks the action (or a bad target), the rest is the
// request body. Every answer must be a status with a JSON body, and an error must have AWS's
// shape (`__type` and `message`); no input may crash, hang or grow without bound. A state
// machine and an activity exist, so that starts, describes and polls reach deep code. The
// server is remade every 256 inputs to bound what the inputs create.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "stepwise/clock.h"
#include "stepwise/server.h"

namespace {

constexpr const char* kActions[] = {
    "CreateStateMachine",
    "DescribeStateMachine",
    "UpdateStateMachine",
    "DeleteStateMachine",
    "ListStateMachines",
    "ValidateStateMachineDefinition",
    "PublishStateMachineVersion",
    "ListStateMachineVersions",
    "CreateStateMachineAlias",
    "DescribeStateMachineAlias",
    "UpdateStateMachineAlias",
    "DeleteStateMachineAlias",
    "ListStateMachineAliases",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "TestState",
    "StartExecution",
    "StartSyncExecution",
    "DescribeExecution",
    "DescribeStateMachineForExecution",
    "ListExecutions",
    "StopExecution",
    "RedriveExecution",
    "GetExecutionHistory",
    "ListMapRuns",
    "DescribeMapRun",
    "SendTaskSuccess",
    "SendTaskFailure",
    "SendTaskHeartbeat",
    "CreateActivity",
    "DescribeActivity",
    "ListActivities",
    "DeleteActivity",
    "GetActivityTask",
};
constexpr std::size_t kActionCount = sizeof(kActions) / sizeof(kActions[0]);

std::unique_ptr<stepwise::Server> make_server() {
  stepwise::ServerOptions options;
  options.port = 0;
  options.clock = std::make_shared<stepwise::ManualClock>();  // a Wait never sleeps
  options.activity_poll_ms = 0;                               // a poll never waits
  auto server = stepwise::Server::create(std::move(options));
  if (!server.ok()) __builtin_trap();
  std::unique_ptr<stepwise::Server> s = std::move(*server);
  for (const char* type : {"STANDARD", "EXPRESS"}) {
    s->call("CreateStateMachine",
            {{"name", std::string("m-") + type},
             {"type", type},
             {"roleArn", "arn:aws:iam::123456789012:role/r"},
             {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","Next":"W"},
                              "W":{"Type":"Wait","Seconds":5,"End":true}}})"}});
  }
  s->call("CreateActivity", {{"name", "a"}});
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::unique_ptr<stepwise::Server> server;
  static int uses = 0;
  if (!server || ++uses % 256 == 0) server = make_server();
  if (size == 0) return 0;
  std::size_t pick = data[0];
  std::string target = pick < kActionCount ? std::string("AWSStepFunctions.") + kActions[pick]
                       : pick == 255       ? std::string()
                                           : std::string("AWSStepFunctions.Nope");
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto [status, answer] = server->handle(target, body);
  if (!answer.is_object()) __builtin_trap();
  if (status != 200) {
    if (!answer.contains("__type") || !answer["__type"].is_string() ||
        !answer.contains("message") || !answer["message"].is_string()) {
      __builtin_trap();
    }
    if (status < 400 || status > 599) __builtin_trap();
  }
  (void)answer.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
