// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#include "stepwise/spdlog_listener.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "stepwise/stepwise.h"

namespace stepwise {
namespace {

TEST(SpdlogListenerTest, LogsStatesAtInfoAndFailuresAtWarn) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>("workflows", sink);
  logger->set_pattern("%l %v");
  logger->set_level(spdlog::level::info);

  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.history_listeners.push_back(std::make_shared<SpdlogListener>(logger));
  Engine engine(std::move(options));
  ParseResult parsed = parse_state_machine(R"({"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Next": "F"},
      "F": {"Type": "Fail", "Error": "Demo.Failed", "Cause": "on purpose"}}})");
  ASSERT_TRUE(parsed.ok());
  StartOptions start;
  start.name = "demo";
  ExecutionResult r = *engine.run(parsed.machine(), nlohmann::json::object(), start);
  EXPECT_EQ(r.status, ExecutionStatus::kFailed);
  EXPECT_EQ(out.str(),
            "info [demo] #1 ExecutionStarted\n"
            "info [demo] #2 PassStateEntered P\n"
            "info [demo] #3 PassStateExited P\n"
            "info [demo] #4 FailStateEntered F\n"
            "warning [demo] #5 ExecutionFailed error=Demo.Failed cause=on purpose\n");
}

TEST(SpdlogListenerTest, RespectsTheLoggerLevel) {
  std::ostringstream out;
  auto logger = std::make_shared<spdlog::logger>(
      "quiet", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_level(spdlog::level::err);
  EngineOptions options;
  options.clock = std::make_shared<ManualClock>();
  options.history_listeners.push_back(std::make_shared<SpdlogListener>(logger));
  Engine engine(std::move(options));
  ParseResult parsed =
      parse_state_machine(R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(engine.run(parsed.machine(), nlohmann::json::object())->status,
            ExecutionStatus::kSucceeded);
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace stepwise
