// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Stepping many executions inside a fixed-rate game loop, with a per-frame transition budget,
// so workflow work never takes more than its slice of a frame.
//
//   per player:  GrantDailyReward ──► Cooldown (Wait 2 s) ──► CheckStreak ─┬─► Bonus ──► Done
//                                                                           └─────────► Done
//
// 200 players each run the small reward workflow below. The loop runs at 60 frames per second
// on a virtual clock (one frame = 1/60 s); each frame calls `engine.step()` with a budget of
// 50 state transitions, so the work spreads over frames instead of stalling one.
#include <iostream>

#include "stepwise/stepwise.h"

namespace {

using nlohmann::json;
using namespace stepwise;

constexpr const char* kDefinition = R"({
  "StartAt": "GrantDailyReward",
  "States": {
    "GrantDailyReward": {"Type": "Task", "Resource": "arn:aws:states:::game:grantReward",
                         "ResultPath": "$.reward", "Next": "Cooldown"},
    "Cooldown": {"Type": "Wait", "Seconds": 2, "Next": "CheckStreak"},
    "CheckStreak": {"Type": "Choice",
                    "Choices": [{"Variable": "$.streak", "NumericGreaterThanEquals": 7,
                                 "Next": "Bonus"}],
                    "Default": "Done"},
    "Bonus": {"Type": "Pass", "Result": {"gems": 50}, "ResultPath": "$.bonus", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
})";

}  // namespace

int main() {
  ParseResult parsed = parse_state_machine(kDefinition);
  if (!parsed.ok()) return 2;

  auto clock = std::make_shared<ManualClock>();
  EngineOptions options;
  options.clock = clock;
  options.task_executor = std::make_shared<FunctionExecutor>([](const json& in) {
    return json{{"coins", 100 + in.at("streak").get<int>() * 10}};
  });
  Engine engine(std::move(options));

  constexpr int kPlayers = 200;
  for (int p = 0; p < kPlayers; ++p) {
    StartOptions start;
    start.name = "reward-player-" + std::to_string(p);
    start.record_history = false;  // Express-style: nothing kept after the end
    (void)engine.start(parsed.machine(), {{"player", p}, {"streak", p % 10}}, start);
  }

  constexpr std::int64_t kFrame = 1000000000LL / 60;
  constexpr std::size_t kBudget = 50;
  int frame = 0;
  std::size_t busiest = 0;
  for (;; ++frame) {
    StepReport report = engine.step({.max_transitions = kBudget});
    busiest = std::max(busiest, report.transitions);
    if (report.running == 0) break;
    clock->advance(kFrame);  // the rest of the frame: rendering, physics, ...
  }
  std::cout << kPlayers << " reward workflows finished after " << frame << " frames ("
            << frame / 60.0 << " s of game time); at most " << busiest
            << " transitions in any frame (budget " << kBudget << ")\n";
  return 0;
}
