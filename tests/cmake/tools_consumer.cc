// Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
//
// A host program that uses the engine's tooling as an outside project would: stepwise::tools
// (a definition drawn as DOT, a bucket of the local object store, one state run through the
// TestState API) and, when STEPWISE_CONSUMER_SPDLOG is set, the header-only spdlog listener
// of stepwise::spdlog.
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <system_error>

#include "stepwise/stepwise.h"
#include "stepwise/tools.h"
#if STEPWISE_CONSUMER_SPDLOG
#include "stepwise/spdlog_listener.h"
#endif

int main() {
  stepwise::ParseResult parsed = stepwise::parse_state_machine(
      R"({"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":"world","End":true}}})");
  if (!parsed.ok()) return 1;
  std::string dot = stepwise::to_dot(*parsed.machine());
  if (dot.find("digraph") == std::string::npos) {
    std::cerr << "tools consumer: unexpected DOT text\n" << dot;
    return 1;
  }

  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::temp_directory_path(ec) /
                       ("stepwise-tools-consumer-" + std::to_string(std::random_device{}()));
  stepwise::LocalObjectStore store;
  store.add_bucket("lake", dir);
  int rc = 0;
  {
    auto writer = store.put_object("lake", "a/b.json");
    if (!writer.ok() || !(*writer)->write("[1, 2]").ok() || !(*writer)->commit().ok()) rc = 1;
  }
  auto listed = store.list_objects("lake", "a/", "", 10);
  if (rc != 0 || !listed.ok() || listed->size() != 1 || (*listed)[0].key != "a/b.json") {
    std::cerr << "tools consumer: the local object store did not keep the object\n";
    rc = 1;
  }
  fs::remove_all(dir, ec);

  stepwise::TestStateRequest request;
  request.definition = {{"Type", "Pass"}, {"Result", "tested"}, {"Next", "After"}};
  stepwise::Result<stepwise::TestStateResponse> tested = stepwise::test_state(request);
  if (!tested.ok() || tested->status != stepwise::TestStateStatus::kSucceeded ||
      tested->output != nlohmann::json("tested") || tested->next_state != "After") {
    std::cerr << "tools consumer: TestState did not run the Pass state\n";
    rc = 1;
  }

#if STEPWISE_CONSUMER_SPDLOG
  stepwise::EngineOptions options;
  options.history_listeners.push_back(
      std::make_shared<stepwise::SpdlogListener>(spdlog::default_logger()));
  stepwise::Engine engine(std::move(options));
  stepwise::Result<stepwise::ExecutionResult> r =
      engine.run(parsed.machine(), nlohmann::json::object());
  if (!r.ok() || r->status != stepwise::ExecutionStatus::kSucceeded) {
    rc = 1;
  }
#endif
  if (rc == 0) {
    std::cout << "tools consumer: drew a graph, stored an object and tested a state\n";
  }
  return rc;
}
