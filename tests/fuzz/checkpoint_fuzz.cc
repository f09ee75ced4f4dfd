// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// Fuzz target: arbitrary bytes as the stored records of a durable execution. The input is
// split at NUL bytes; a piece `KEY=VALUE` is a record (keys as docs/checkpoints.md gives them:
// "exec", "run", "f:0", "d:0", ...), any other piece a history event. They are committed to an
// in-memory store under a known definition, and `resume` and `redrive` must either load the
// execution or fail with a Status; stepping what loads must not crash. The seeds are the
// records of real executions of that definition.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stepwise/checkpoint.h"
#include "stepwise/clock.h"
#include "stepwise/engine.h"
#include "stepwise/parser.h"
#include "stepwise/task_executor.h"

namespace {

constexpr std::string_view kDefinition = R"({"StartAt": "W", "States": {
  "W": {"Type": "Wait", "Seconds": 5, "Next": "T"},
  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P"},
  "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}],
        "End": true}}})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::shared_ptr<const stepwise::StateMachine> machine =
      stepwise::parse_state_machine(kDefinition).machine();
  std::vector<std::string> pieces(1);
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      pieces.emplace_back();
    } else {
      pieces.back().push_back(static_cast<char>(data[i]));
    }
  }
  auto store = stepwise::make_memory_checkpoint_store();
  stepwise::CheckpointBatch batch;
  batch.summary.name = "x";
  batch.summary.status = "RUNNING";
  batch.summary.version = 1;
  batch.summary.fingerprint = machine->fingerprint();
  batch.definition = std::string(kDefinition);
  for (std::string& piece : pieces) {
    std::size_t eq = piece.find('=');
    if (eq != std::string::npos && eq < 16) {
      batch.puts.push_back({piece.substr(0, eq), piece.substr(eq + 1)});
    } else {
      batch.history.push_back(std::move(piece));
    }
  }
  if (!store->commit(batch).ok()) return 0;
  for (bool redrive : {false, true}) {
    stepwise::EngineOptions options;
    options.checkpoint_store = store;
    options.clock = std::make_shared<stepwise::ManualClock>();
    options.task_executor =
        std::make_shared<stepwise::FunctionExecutor>([](const nlohmann::json& in) { return in; });
    stepwise::Engine engine(std::move(options));
    auto id = redrive ? engine.redrive("x", machine) : engine.resume("x", machine);
    if (!id.ok()) continue;
    (void)engine.step({});
    (void)engine.result(*id);
  }
  return 0;
}
